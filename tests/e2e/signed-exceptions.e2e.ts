/**
 * Signed exceptions in real browsers with a real machine policy: the
 * administrator's policy forces KB Financial Group (a block on DeepSeek),
 * turns proceeding off, and lists one approver key (the test-only key of
 * tests/fixtures/exception-keys). Tokens are signed here with the same
 * library `npm run exception:sign` uses, for the device code the options
 * page shows. What is asserted is what a person sees and what reaches
 * chat.deepseek.com: nothing, except while an exception stands.
 *
 * Chromium: /etc/chromium/policies/managed, rewritten while the browser
 * runs (revocation, key removal). Firefox: distribution/policies.json, read
 * at start-up, so its revocation is one the policy already holds.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { assertBuilt, discoverChromium, launchChromium, sendFrom, type ExtensionBrowser } from './harness/chromium';
import { DIST_FIREFOX, OPTIONS_PATH, firefoxForSuite, type FirefoxExtension } from './harness/firefox';
import { startHostServer, startSiteServer, type CountingServer, type HostServer } from './harness/server';
import { waitForInterstitial } from './harness/ui';
import { policyDirProblem, setUpChromiumPolicy, type ChromiumPolicy } from './managed/chromium-policy';
import { launchManagedFirefox } from './managed/firefox';
import { signException } from '../../scripts/exception-tokens';

const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const KEYS = 'tests/fixtures/exception-keys';
const PRIVATE = readFileSync(`${KEYS}/test-approver.private.pem`, 'utf8');
const OTHER_PRIVATE = readFileSync(`${KEYS}/other-approver.private.pem`, 'utf8');
const PUBLIC = readFileSync(`${KEYS}/test-approver.public.txt`, 'utf8').trim();
const VECTORS = JSON.parse(readFileSync(`${KEYS}/tokens.json`, 'utf8')) as Record<string, string>;
const APPROVER = { name: 'IT Security (test key)', publicKey: PUBLIC };
const POLICY = { enabledProfiles: ['kb-financial-group'], lockProfiles: true, allowProceedOnBlock: false, exceptionApprovers: [APPROVER] };
const REVOKED_AT_START = 'e2e-revoked-at-start';

/** A token for `device` letting DeepSeek through for `ms` from now (negative: already over). */
function sign(device: string, ms: number, over: { id?: string; key?: string } = {}): string {
  return signException(over.key ?? PRIVATE, {
    services: ['deepseek'],
    until: new Date(Date.now() + ms),
    reason: 'Evaluation of the translation pilot',
    approver: 'Kim Minji, IT Security',
    device,
    ...(over.id ? { id: over.id } : {}),
  }).token;
}

/** The background's ending for a refused token, by the sentence the page shows. */
const REFUSED = {
  tampered: 'This exception was changed after it was signed, so it cannot be trusted. Ask your approver for a new one.',
  'other-device': 'This exception was issued for another device. Send your approver the device code this browser shows.',
  'unknown-key': "This exception was signed with a key your organization's policy does not list. Ask your approver which key they used.",
  expired: 'This exception has already ended.',
  revoked: 'Your organization has revoked this exception.',
} as const;

const chromium = discoverChromium();
const chromiumSkip = !chromium.found ? chromium.message : policyDirProblem();
if (chromiumSkip) {
  if (process.env.CI === 'true') throw new Error(`signed exceptions e2e (Chromium): ${chromiumSkip} (CI=true: browser tests must run)`);
  console.warn(`signed exceptions e2e (Chromium) skipped: ${chromiumSkip}`);
}

async function pasteOnOptions(page: Page, token: string): Promise<{ result: string; text: string }> {
  await page.locator('#signed-token').fill(token);
  await page.locator('#signed-apply').click();
  await page.waitForFunction(() => {
    const result = document.getElementById('signed-status')?.dataset.result;
    return result !== undefined && result !== 'checking';
  });
  const status = page.locator('#signed-status');
  return { result: (await status.getAttribute('data-result')) ?? '', text: await status.innerText() };
}

describe.skipIf(chromiumSkip !== null)('signed exceptions, Chromium (/etc/chromium/policies/managed)', () => {
  let policy: ChromiumPolicy;
  let site: CountingServer;
  let deepseek: HostServer;
  let b: ExtensionBrowser;
  let options: Page;
  let device = '';

  /** Navigates a fresh tab to DeepSeek; true when it landed on the site, false on the warning. */
  async function visit(): Promise<boolean> {
    const page = await b.context.newPage();
    try {
      await page.goto(DEEPSEEK_URL).catch(() => undefined);
      await page.waitForLoadState('domcontentloaded');
      const url = page.url();
      return url.startsWith(DEEPSEEK_URL);
    } finally {
      await page.close();
    }
  }

  beforeAll(async () => {
    assertBuilt();
    policy = setUpChromiumPolicy(`${process.cwd()}/dist/chrome`);
    policy.write(POLICY);
    [site, deepseek] = await Promise.all([startSiteServer(), startHostServer(DEEPSEEK)]);
    b = await launchChromium({ executablePath: chromium.path, defaultPort: site.port, hostMap: { [DEEPSEEK]: deepseek.port }, dist: policy.dist });
    await b.waitForRules(1, 30_000);
    options = await b.openOptions();
    await options.locator('#signed-token').waitFor({ timeout: 30_000 });
    device = (await options.locator('#device-code').innerText()).trim();
  });

  afterAll(async () => {
    await b?.close();
    policy?.remove();
    await Promise.all([site?.close(), deepseek?.close()]);
  });

  it('the options page shows a device code of its own, kept across reloads', async () => {
    expect(device).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await options.locator('#signed').innerText()).toContain('Send this code with your request.');
    await options.reload();
    await options.locator('#device-code').waitFor();
    expect((await options.locator('#device-code').innerText()).trim()).toBe(device);
  });

  it('refuses a tampered token, another device’s, an unknown key’s and an expired one, each with its reason; nothing reaches the site', async () => {
    deepseek.reset();
    const cases: [keyof typeof REFUSED, string][] = [
      ['tampered', VECTORS.tampered!],
      ['other-device', sign('ABCD-6789', 3_600_000)],
      ['unknown-key', sign(device, 3_600_000, { key: OTHER_PRIVATE })],
      ['expired', sign(device, -60_000)],
    ];
    for (const [reason, token] of cases) {
      expect(await pasteOnOptions(options, token), reason).toEqual({ result: reason, text: REFUSED[reason] });
    }
    expect(await visit()).toBe(false);
    expect(deepseek.requests(DEEPSEEK)).toBe(0);
    // Nothing was stored: the list is still empty.
    expect(await options.locator('#signed-none').count()).toBe(1);
  });

  it('a signed exception is refused to a page other than the options page and the warning', async () => {
    const popup = await b.openPopup();
    const refused = await sendFrom(popup, 'applyExceptionToken', { token: sign(device, 3_600_000) });
    expect(refused).toMatchObject({ ok: false, error: 'applyExceptionToken: not allowed from this context' });
    await popup.close();
  });

  it('pasted on the warning, with proceeding turned off, it lets the site through until it ends, and is logged', async () => {
    deepseek.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL).catch(() => undefined);
    expect(await waitForInterstitial(b, page)).toBe(DEEPSEEK_URL);
    await page.locator('.proceed-off').waitFor();
    expect(deepseek.requests(DEEPSEEK)).toBe(0);

    const lifetime = 20_000;
    const token = sign(device, lifetime, { id: 'e2e-chromium-expiry' });
    const endsAt = Date.now() + lifetime;
    await page.locator('#signed-exception summary').click();
    await page.locator('#signed-token').fill(token);
    await page.locator('#signed-apply').click();
    await page.waitForURL((url) => url.href.startsWith(DEEPSEEK_URL), { timeout: 15_000 });
    expect(deepseek.requests(DEEPSEEK)).toBeGreaterThan(0);
    const during = deepseek.requests(DEEPSEEK);
    console.log(`[granted] requests to ${DEEPSEEK} while granted: ${during}`);

    const log = await sendFrom(options, 'getActivityLog', {});
    const entries = (log.data as { entries: { event: string; tokenId?: string; approver?: string; justification?: string }[] }).entries;
    expect(entries.find((e) => e.event === 'exception-granted' && e.tokenId === 'e2e-chromium-expiry')).toMatchObject({
      approver: 'Kim Minji, IT Security',
      justification: 'Evaluation of the translation pilot',
    });
    await options.reload();
    const listed = options.locator('[data-token-id="e2e-chromium-expiry"]');
    await listed.waitFor();
    expect(await listed.innerText()).toContain('In effect');
    expect(await listed.innerText()).toContain('DeepSeek');

    // At the end, the open tab is sent back to the warning and nothing more reaches the site.
    await page.waitForURL((url) => url.href.startsWith(b.interstitialUrl()), { timeout: endsAt - Date.now() + 15_000 });
    console.log(`[expiry] tab back on the warning ${Date.now() - endsAt} ms after the exception ended`);
    const after = deepseek.requests(DEEPSEEK);
    expect(await visit()).toBe(false);
    expect(deepseek.requests(DEEPSEEK)).toBe(after);
    await options.reload();
    await options.locator('[data-token-id="e2e-chromium-expiry"]').waitFor();
    expect(await options.locator('[data-token-id="e2e-chromium-expiry"] .grant-status').innerText()).toBe('Ended: its time ran out.');
    await page.close();
  });

  it('a revocation in the policy ends it while the browser runs', async () => {
    deepseek.reset();
    expect(await pasteOnOptions(options, sign(device, 3_600_000, { id: 'e2e-chromium-revoke' }))).toMatchObject({ result: 'accepted' });
    expect(await visit()).toBe(true);
    // The warning (opened by hand) and the popup say whose exception it is, and its end with the date.
    const warning = await b.context.newPage();
    await warning.goto(b.interstitialUrl(DEEPSEEK_URL));
    expect(await warning.locator('.proceed-exception p').first().innerText()).toMatch(/^Your organization approved an exception for this site until \w+ \d+, \d{4}, /);
    await warning.close();
    const popup = await b.openPopup();
    expect((await sendFrom(popup, 'getVerdict', { url: DEEPSEEK_URL })).data).toMatchObject({ exceptionSigned: true, exceptionExpiresAt: expect.any(Number) });
    await popup.close();
    policy.write({ ...POLICY, revokedExceptions: ['e2e-chromium-revoke'] });
    await expect.poll(() => visit(), { timeout: 45_000, interval: 1_000 }).toBe(false);
    const after = deepseek.requests(DEEPSEEK);
    expect(await visit()).toBe(false);
    expect(deepseek.requests(DEEPSEEK)).toBe(after);
    await options.reload();
    await options.locator('[data-token-id="e2e-chromium-revoke"]').waitFor();
    expect(await options.locator('[data-token-id="e2e-chromium-revoke"] .grant-status').innerText()).toBe('Ended: your organization revoked it.');
    // Pasted again, it is refused for the same reason.
    expect(await pasteOnOptions(options, sign(device, 3_600_000, { id: 'e2e-chromium-revoke' }))).toEqual({ result: 'revoked', text: REFUSED.revoked });
  });

  it('removing the key from the policy ends what it signed', async () => {
    policy.write(POLICY);
    await expect
      .poll(async () => (await pasteOnOptions(options, sign(device, 3_600_000, { id: 'e2e-chromium-key' }))).result, { timeout: 45_000, interval: 1_000 })
      .toBe('accepted');
    expect(await visit()).toBe(true);
    policy.write({ ...POLICY, exceptionApprovers: [] });
    await expect.poll(() => visit(), { timeout: 45_000, interval: 1_000 }).toBe(false);
    await options.reload();
    await options.locator('[data-token-id="e2e-chromium-key"]').waitFor();
    expect(await options.locator('[data-token-id="e2e-chromium-key"] .grant-status').innerText()).toBe(
      "Ended: your organization's policy no longer lists the key that signed it.",
    );
    expect(await options.locator('#signed-no-approvers').innerText()).toMatch(/has not named any exception approvers/);
  });
});

const firefox = firefoxForSuite('signed exceptions e2e (Firefox)');

describe.skipIf(!firefox.found)('signed exceptions, Firefox (distribution/policies.json)', () => {
  let site: CountingServer;
  let ff: FirefoxExtension;
  let options: PuppeteerPage;
  let device = '';

  async function paste(token: string): Promise<{ result: string; text: string }> {
    await options.evaluate((t) => {
      const input = document.getElementById('signed-token') as HTMLTextAreaElement;
      input.value = t;
      document.getElementById('signed-status')!.removeAttribute('data-result');
      (document.getElementById('signed-apply') as HTMLButtonElement).click();
    }, token);
    await options.waitForFunction(
      () => {
        const result = document.getElementById('signed-status')?.dataset.result;
        return result !== undefined && result !== 'checking';
      },
      { timeout: 15_000 },
    );
    return options.evaluate(() => {
      const status = document.getElementById('signed-status')!;
      return { result: status.dataset.result ?? '', text: status.textContent ?? '' };
    });
  }

  /** Navigates a fresh tab to DeepSeek; true when it landed on the site, false on the warning. */
  async function visit(): Promise<boolean> {
    const page = await ff.newWebPage();
    try {
      const landed = await ff.navigate(page, DEEPSEEK_URL, (href) => href.startsWith(ff.origin) || href.startsWith(DEEPSEEK_URL));
      return landed.startsWith(DEEPSEEK_URL);
    } finally {
      await page.close();
    }
  }

  beforeAll(async () => {
    assertBuilt(DIST_FIREFOX);
    site = await startSiteServer();
    ff = await launchManagedFirefox({
      executablePath: firefox.path,
      proxyPort: site.port,
      policy: { ...POLICY, revokedExceptions: [REVOKED_AT_START] },
    });
    options = await ff.openExtensionPage(OPTIONS_PATH);
    await options.waitForSelector('#signed-token', { timeout: 30_000 });
    device = (await options.evaluate(() => document.getElementById('device-code')?.textContent ?? '')).trim();
  });

  afterAll(async () => {
    await ff?.close();
    await site?.close();
  });

  it('refuses a tampered token, another device’s, an unknown key’s, an expired and a revoked one; nothing reaches the site', async () => {
    expect(device).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    site.reset();
    const cases: [keyof typeof REFUSED, string][] = [
      ['tampered', VECTORS.tampered!],
      ['other-device', sign('ABCD-6789', 3_600_000)],
      ['unknown-key', sign(device, 3_600_000, { key: OTHER_PRIVATE })],
      ['expired', sign(device, -60_000)],
      ['revoked', sign(device, 3_600_000, { id: REVOKED_AT_START })],
    ];
    for (const [reason, token] of cases) {
      expect(await paste(token), reason).toEqual({ result: reason, text: REFUSED[reason] });
    }
    expect(await visit()).toBe(false);
    expect(site.requests(DEEPSEEK)).toBe(0);
  });

  it('pasted on the warning, with proceeding turned off, it lets the site through until it ends', async () => {
    site.reset();
    const page = await ff.newWebPage();
    await ff.navigate(page, DEEPSEEK_URL, (href) => href.startsWith(ff.origin));
    await page.waitForSelector('.proceed-off', { timeout: 15_000 });
    expect(site.requests(DEEPSEEK)).toBe(0);

    const lifetime = 20_000;
    const token = sign(device, lifetime, { id: 'e2e-firefox-expiry' });
    const endsAt = Date.now() + lifetime;
    await page.evaluate((t) => {
      (document.querySelector('#signed-exception') as HTMLDetailsElement).open = true;
      (document.getElementById('signed-token') as HTMLTextAreaElement).value = t;
      (document.getElementById('signed-apply') as HTMLButtonElement).click();
    }, token);
    await ff.waitForLocation(page, (href) => href.startsWith(DEEPSEEK_URL), 15_000);
    expect(site.requests(DEEPSEEK)).toBeGreaterThan(0);
    console.log(`[granted, Firefox] requests to ${DEEPSEEK} while granted: ${site.requests(DEEPSEEK)}`);
    expect(await visit()).toBe(true);

    await ff.waitForLocation(page, (href) => href.startsWith(ff.origin), endsAt - Date.now() + 15_000);
    console.log(`[expiry, Firefox] tab back on the warning ${Date.now() - endsAt} ms after the exception ended`);
    const after = site.requests(DEEPSEEK);
    expect(await visit()).toBe(false);
    expect(site.requests(DEEPSEEK)).toBe(after);
    await page.close();
  });
});
