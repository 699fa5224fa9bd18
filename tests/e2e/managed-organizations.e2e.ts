/**
 * An organization deploys its own notice through the managed key
 * `organizations`, and its locks hold on every path a person can try. Real
 * machine policy files: Chromium's /etc/chromium/policies/managed/, Firefox's
 * distribution/policies.json. The notice's quote appears nowhere else, so
 * seeing it proves the page cites the administrator's policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Page as FxPage } from 'puppeteer-core';
import { assertBuilt, discoverChromium, launchChromium, sendFrom as send, type ExtensionBrowser } from './harness/chromium';
import { startHostServer, startSiteServer, type CountingServer, type HostServer } from './harness/server';
import { readCitation, waitForInterstitial } from './harness/ui';
import { DIST_FIREFOX, OPTIONS_PATH, firefoxForSuite, type FirefoxExtension } from './harness/firefox';
import { withoutTableKey } from './harness/landing';
import { policyDirProblem, setUpChromiumPolicy, type ChromiumPolicy } from './managed/chromium-policy';
import { launchManagedFirefox } from './managed/firefox';
import {
  GAMMA_FILE,
  ORG_BROKEN_PROBLEM,
  ORG_NOTICE_HOST,
  ORG_NOTICE_URL,
  ORG_QUOTE,
  POLICY_ORG,
  POLICY_ORG_FIREFOX,
  harmlessFile,
} from './managed/fixtures';

const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const CI = process.env.CI === 'true';

const chromium = discoverChromium();
const chromiumSkip = !chromium.found ? chromium.message : policyDirProblem();
if (chromiumSkip) {
  if (CI) throw new Error(`managed organizations e2e (Chromium): ${chromiumSkip} (CI=true: browser tests must run)`);
  console.warn(`managed organizations e2e (Chromium) skipped: ${chromiumSkip}`);
}

async function rowState(page: Page, id: string) {
  const box = page.locator(`input[type=checkbox][data-organization-id="${id}"]`);
  await box.waitFor({ state: 'attached', timeout: 15_000 });
  return {
    checked: await box.isChecked(),
    disabled: await box.isDisabled(),
    lock: (await page.locator(`#profile-lock-${id}`).textContent())?.trim() ?? '',
    tag: (await page.locator(`li.profile[data-organization-id="${id}"] .profile-custom`).allInnerTexts()).join(' '),
  };
}

describe.skipIf(chromiumSkip !== null)("the organization's own notice and its locks, Chromium", () => {
  let policy: ChromiumPolicy;
  let site: CountingServer;
  let deepseek: HostServer;
  let intranet: HostServer;
  let b: ExtensionBrowser;

  /** DeepSeek in a new tab: the interstitial, the organization's citation as shown, and its notice link. */
  async function visitDeepSeek() {
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL);
    expect(await waitForInterstitial(b, page)).toBe(DEEPSEEK_URL);
    const citation = await readCitation(page, 'acme-heavy');
    const link = page.locator('.citation[data-organization-id="acme-heavy"] a.notice-link');
    const shown = { citation, href: await link.getAttribute('href'), linkText: await link.innerText() };
    await page.close();
    return shown;
  }

  beforeAll(async () => {
    assertBuilt();
    policy = setUpChromiumPolicy(`${process.cwd()}/dist/chrome`);
    policy.write(POLICY_ORG);
    [site, deepseek, intranet] = await Promise.all([startSiteServer(), startHostServer(DEEPSEEK), startHostServer(ORG_NOTICE_HOST)]);
    b = await launchChromium({
      executablePath: chromium.path,
      defaultPort: site.port,
      hostMap: { [DEEPSEEK]: deepseek.port, [ORG_NOTICE_HOST]: intranet.port },
      dist: policy.dist,
    });
    // The policy reaches storage.managed a few seconds after start; its organization then brings the rule.
    await b.waitForRules(1, 30_000);
  });

  afterAll(async () => {
    await b?.close();
    policy?.remove();
    await Promise.all([site?.close(), deepseek?.close(), intranet?.close()]);
  });

  it('DeepSeek is stopped with the notice the policy carries: title, verbatim quote, reason, source, and its link, never fetched', async () => {
    deepseek.reset();
    intranet.reset();
    const shown = await visitDeepSeek();
    expect(shown.citation.quotes).toEqual([ORG_QUOTE]);
    expect(shown.citation.text).toContain('Use of external generative AI services');
    expect(shown.citation.text).toContain('Plant data could leave the company.');
    expect(shown.citation.text).toContain('Acme Heavy Industries intranet');
    expect(shown.href).toBe(ORG_NOTICE_URL);
    expect(shown.linkText).toBe(ORG_NOTICE_URL);
    console.log(`[interstitial under the inline organization] ${shown.citation.text}`);
    // (Connections Chromium pre-connects at navigation start are the connections suite's subject.)
    expect(deepseek.requests(DEEPSEEK)).toBe(0);
    // The page links to the organization's page but never loads it.
    expect(intranet.connections()).toBe(0);
  });

  it('the popup shows it "From your organization", on and locked; turning it off is refused', async () => {
    const popup = await b.openPopup();
    await expect
      .poll(() => rowState(popup, 'acme-heavy'), { timeout: 15_000 })
      .toEqual({ checked: true, disabled: true, lock: 'Turned on by your organization', tag: 'From your organization' });
    console.log(`[popup under the inline organization] acme-heavy: ${JSON.stringify(await rowState(popup, 'acme-heavy'))}`);
    // Forced, as the box is disabled; scrolled to first, so the click lands on the row and not on what covers it.
    await popup.locator('label:has(input[data-organization-id="acme-heavy"])').scrollIntoViewIfNeeded();
    await popup.locator('label:has(input[data-organization-id="acme-heavy"])').click({ force: true });
    expect(await popup.locator('input[data-organization-id="acme-heavy"]').isChecked()).toBe(true);
    expect(await send(popup, 'setProfileEnabled', { organizationId: 'acme-heavy', enabled: false })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/locked by your organization/),
    });
    await popup.close();
  });

  it('the options page lists the bad organization by field and applies the good one', async () => {
    const options = await b.openOptions();
    await options.locator('#managed-problem-list li').first().waitFor({ timeout: 10_000 });
    const problems = await options.locator('#managed-problem-list li').allInnerTexts();
    expect(problems).toEqual([ORG_BROKEN_PROBLEM, 'enabledProfiles.1: unknown organization "gamma-labs" (ignored)']);
    expect(await options.locator('#managed-applied').innerText()).toContain('Acme Heavy Industries');
    expect(await options.locator('li.profile[data-organization-id="beta-works"]').count()).toBe(0);
    expect(await rowState(options, 'acme-heavy')).toMatchObject({ checked: true, disabled: true, tag: 'From your organization' });
    // Not the person's own: not in their custom list, so never offered for removal or export.
    expect(await options.locator('.custom-item[data-organization-id="acme-heavy"]').count()).toBe(0);
    await options.close();
  });

  it('Reset, Remove, Import of the same id and toggling, each tried through the page, leave DeepSeek stopped with the same quote', async () => {
    const options = await b.openOptions();
    await options.locator('#managed').waitFor({ state: 'visible', timeout: 10_000 });
    const importFile = async (name: string, text: string) => {
      await options.locator('#custom-error').evaluate((e) => e.replaceChildren());
      await options.setInputFiles('#custom-import', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
    };

    // A custom organization the person imports; the policy forces it on once it exists.
    await importFile('gamma.json', GAMMA_FILE);
    const gamma = options.locator('.custom-item[data-organization-id="gamma-labs"]');
    await expect.poll(() => gamma.locator('.profile-lock').count(), { timeout: 10_000 }).toBe(1);
    expect(await gamma.locator('.profile-lock').innerText()).toBe('Turned on by your organization');
    expect(await gamma.locator('button').count(), 'no Remove button for a forced organization').toBe(0);

    // Remove: not offered, and refused when asked for anyway.
    expect(await send(options, 'removeCustomOrganization', { organizationId: 'gamma-labs' })).toMatchObject({
      ok: false,
      error: 'removeCustomOrganization: "gamma-labs" is turned on by your organization and cannot be removed',
    });
    expect(await send(options, 'removeCustomOrganization', { organizationId: 'acme-heavy' })).toMatchObject({
      ok: false,
      error: `removeCustomOrganization: "acme-heavy" comes from your organization's policy and cannot be removed`,
    });

    // Import of a file with the same id, whose rules are only notices: refused, with the reason.
    await importFile('acme-heavy.json', harmlessFile('acme-heavy'));
    await options.locator('#custom-error li').first().waitFor({ timeout: 10_000 });
    expect(await options.locator('#custom-error li').allInnerTexts()).toEqual([
      `organizations.0.id: "acme-heavy" comes from your organization's policy; an import cannot replace it`,
    ]);
    await importFile('gamma-labs.json', harmlessFile('gamma-labs'));
    await options.locator('#custom-error li').first().waitFor({ timeout: 10_000 });
    expect(await options.locator('#custom-error li').allInnerTexts()).toEqual([
      'organizations.0.id: "gamma-labs" is turned on by your organization; an import cannot replace it',
    ]);

    // Toggling on the options page.
    // Forced, as the box is disabled; scrolled to first, so the click lands on the row and not on what covers it.
    await options.locator('label:has(input[data-organization-id="acme-heavy"])').scrollIntoViewIfNeeded();
    await options.locator('label:has(input[data-organization-id="acme-heavy"])').click({ force: true });
    expect(await options.locator('input[data-organization-id="acme-heavy"]').isChecked()).toBe(true);
    expect(await send(options, 'setProfileEnabled', { organizationId: 'gamma-labs', enabled: false })).toMatchObject({ ok: false });

    // Reset everything: what the policy holds stays, and the page says so.
    options.once('dialog', (dialog) => void dialog.accept());
    await options.locator('#reset').click();
    await expect.poll(() => options.locator('#reset-status').innerText(), { timeout: 10_000 }).toBe(
      "Everything else was reset. Kept by your organization's policy: Acme Heavy Industries and Gamma Labs.",
    );
    await expect.poll(() => gamma.count(), { timeout: 10_000 }).toBe(1);
    expect(await rowState(options, 'acme-heavy')).toMatchObject({ checked: true, disabled: true });
    await options.close();

    deepseek.reset();
    const shown = await visitDeepSeek();
    expect(shown.citation.quotes).toEqual([ORG_QUOTE]);
    expect(shown.href).toBe(ORG_NOTICE_URL);
    expect(deepseek.requests(DEEPSEEK)).toBe(0);
  });
});

const firefox = firefoxForSuite('managed organizations e2e (Firefox)');

describe.skipIf(!firefox.found)("the organization's own notice, Firefox policies.json (JSON string form, \"allowProceedOnBlock\": \"false\")", () => {
  let site: CountingServer;
  let ff: FirefoxExtension;

  const sendFrom = (page: FxPage, kind: string, request: Record<string, unknown>) =>
    page.evaluate(
      (k, r) =>
        (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({
          kind: k,
          request: r,
        }),
      kind,
      request,
    ) as Promise<{ ok: boolean; error?: string }>;

  beforeAll(async () => {
    assertBuilt(DIST_FIREFOX);
    site = await startSiteServer();
    ff = await launchManagedFirefox({ executablePath: firefox.path, proxyPort: site.port, policy: POLICY_ORG_FIREFOX });
  });

  afterAll(async () => {
    await ff?.close();
    await site?.close();
  });

  it('DeepSeek is stopped with the quote and the link, with no way forward; a proceed sent directly is refused', async () => {
    site.reset();
    const page = await ff.newWebPage();
    const landed = await ff.navigate(page, DEEPSEEK_URL, (href) => href.startsWith(ff.origin));
    expect(withoutTableKey(landed)).toBe(ff.interstitialUrl(DEEPSEEK_URL));
    await page.waitForSelector('.citation[data-organization-id="acme-heavy"] blockquote.notice-quote', { timeout: 15_000 });
    await page.waitForSelector('.proceed-off', { timeout: 10_000 });
    const shown = await page.evaluate(() => ({
      quotes: [...document.querySelectorAll('.citation[data-organization-id="acme-heavy"] blockquote.notice-quote')].map((q) => q.textContent),
      href: document.querySelector('.citation[data-organization-id="acme-heavy"] a.notice-link')?.getAttribute('href'),
      proceedControls: document.querySelectorAll('#proceed-details, #proceed-button').length,
    }));
    expect(shown).toEqual({ quotes: [ORG_QUOTE], href: ORG_NOTICE_URL, proceedControls: 0 });
    expect(await sendFrom(page, 'proceedAnyway', { url: DEEPSEEK_URL, acknowledged: true, statement: 'responsibility' })).toEqual({
      ok: false,
      error: 'proceedAnyway: proceeding is turned off for this site',
    });
    expect(site.requests(DEEPSEEK)).toBe(0);
    expect(site.requests(ORG_NOTICE_HOST)).toBe(0);
    await page.close();
  });

  it('the options page reports the string "false" read as false, and the bad organization by field', async () => {
    const page = await ff.openExtensionPage(OPTIONS_PATH);
    await page.waitForSelector('#managed-problem-list li', { timeout: 15_000 });
    const seen = await page.evaluate(() => ({
      problems: [...document.querySelectorAll('#managed-problem-list li')].map((li) => li.textContent),
      tag: document.querySelector('li.profile[data-organization-id="acme-heavy"] .profile-custom')?.textContent,
      disabled: document.querySelector<HTMLInputElement>('input[data-organization-id="acme-heavy"]')?.disabled,
    }));
    expect(seen).toEqual({
      problems: [
        'allowProceedOnBlock: must be true or false, not the string "false"; read as false, the stricter choice',
        ORG_BROKEN_PROBLEM,
      ],
      tag: 'From your organization',
      disabled: true,
    });
    await page.close();
  });
});
