/**
 * No answer, click or message lowers a stop that the policy does not let the
 * person lower, in real Chromium on the built extension.
 *
 * 1. A machine policy forces KB Financial Group, locks profiles, turns off
 *    proceeding past blocks, requires a reason, keeps the log, and does not
 *    say where the browser is. KB's block is scoped to its external network,
 *    so before the gate one click on "my own device" let DeepSeek through
 *    with no reason and no log entry. Now the warning offers no device
 *    answer, a forged answer from an extension page is refused, the rules
 *    stay as they were, and DeepSeek receives no request.
 * 2. KB Financial Group (a block) and KHNP (a work ban) on together: the way
 *    forward asks for the block's acknowledgement, not the milder "This is
 *    not for work", the background refuses the milder one, and the log
 *    records what was confirmed against the level that was stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DIST_CHROME, assertBuilt, chromiumForSuite, launchChromium, sendFrom as send, type ProfileBrowser } from './harness/chromium';
import { startHostServer, startSiteServer, type CountingServer, type HostServer } from './harness/server';
import { readCitation, setProfileInPopup, waitForInterstitial } from './harness/ui';
import { firefoxForSuite, type FirefoxExtension, type FxRule } from './harness/firefox';
import { withoutTableKey } from './harness/landing';
import { policyDirProblem, setUpChromiumPolicy, type ChromiumPolicy } from './managed/chromium-policy';
import { launchManagedFirefox } from './managed/firefox';

const DEEPSEEK = 'chat.deepseek.com';
const HELD_WARNING = 'Your organization has not said where this browser is, so its rule applies as written. Only your organization can change this.';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const KB = 'kb-financial-group';
const KHNP = 'khnp';
const RESPONSIBILITY = 'I understand that my organization has blocked this service, and I take responsibility for using it';

/** The machine policy: no `deviceContext`. */
const POLICY_HELD = {
  enabledProfiles: [KB],
  lockProfiles: true,
  allowProceedOnBlock: false,
  requireJustification: true,
  activityLog: true,
};

const chromium = chromiumForSuite('lowering-gate e2e');
const policyProblem = chromium.found ? policyDirProblem() : null;
if (policyProblem) {
  if (process.env.CI === 'true') throw new Error(`lowering-gate e2e: ${policyProblem} (CI=true: browser tests must run)`);
  console.warn(`lowering-gate e2e (machine policy) skipped: ${policyProblem}`);
}

interface LogEntry {
  event: string;
  serviceId: string;
  level: string;
  organizations: string[];
  statement?: string;
  justification?: string;
}

async function activityLog(page: Page): Promise<LogEntry[]> {
  const reply = await send(page, 'getActivityLog', {});
  expect(reply.ok, reply.error).toBe(true);
  return (reply.data as { entries: LogEntry[] }).entries;
}

describe.skipIf(!chromium.found || policyProblem !== null)('a policy that limits proceeding holds the device answer (Chromium machine policy)', () => {
  let policy: ChromiumPolicy;
  let site: CountingServer;
  let deepseek: HostServer;
  let b: ProfileBrowser;

  beforeAll(async () => {
    assertBuilt();
    policy = setUpChromiumPolicy(DIST_CHROME);
    policy.write(POLICY_HELD);
    [site, deepseek] = await Promise.all([startSiteServer(), startHostServer(DEEPSEEK)]);
    b = await launchChromium({ executablePath: chromium.path, defaultPort: site.port, hostMap: { [DEEPSEEK]: deepseek.port }, dist: policy.dist });
    await b.worker();
    // KB's rules exist only once the policy has reached the extension.
    await b.waitForRules(1, 30_000);
  });

  afterAll(async () => {
    await b?.close();
    policy?.remove();
    await Promise.all([site?.close(), deepseek?.close()]);
  });

  it('the warning offers no device answer, a forged one is refused, and DeepSeek stays stopped with 0 requests', async () => {
    const rulesBefore = await b.dynamicRules();
    expect(rulesBefore.length).toBeGreaterThan(0);
    deepseek.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL).catch(() => undefined);
    expect(await waitForInterstitial(b, page)).toBe(DEEPSEEK_URL);
    const card = await readCitation(page, KB);
    expect(card.text).toContain('Applies on its external network.');
    // Where the question was, the page says who holds the answer; nothing to click.
    await page.locator('#device-held').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#device-held').innerText()).toBe(HELD_WARNING);
    expect(await page.locator('#device-question, #device-personal, #device-work').count()).toBe(0);
    expect(await page.locator('.proceed-off').innerText()).toMatch(/turned off proceeding/);

    // The answer the page no longer offers, sent anyway from the warning page itself.
    for (const deviceContext of ['personal', 'work'] as const) {
      const refused = await send(page, 'setDeviceContext', { deviceContext });
      expect(refused, `setDeviceContext ${deviceContext}`).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^setDeviceContext: your organization's policy limits proceeding and does not say where this browser is/),
      });
    }
    // And from the options page, the settings way.
    const options = await b.openOptions();
    const viaSettings = await send(options, 'updateSettings', { deviceContext: 'personal' });
    expect(viaSettings).toMatchObject({ ok: false, error: expect.stringMatching(/only your organization can change this/) });
    const settings = await send(options, 'getSettings', {});
    expect(settings.data).toMatchObject({
      effective: { deviceContext: 'unsaid', deviceContextHeld: true },
      locked: { deviceContext: true },
    });

    // Nothing changed: the same rules, DeepSeek still stopped, nothing reached it, nothing but warnings in the log.
    expect(await b.dynamicRules()).toEqual(rulesBefore);
    const again = await b.context.newPage();
    await again.goto(DEEPSEEK_URL).catch(() => undefined);
    await waitForInterstitial(b, again);
    expect(deepseek.requests(DEEPSEEK)).toBe(0);
    const entries = await activityLog(options);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.event === 'warning-shown')).toBe(true);
    console.log(`[held device answer] rules kept: ${rulesBefore.length}; requests to ${DEEPSEEK}: ${deepseek.requests(DEEPSEEK)}; log: ${entries.map((e) => e.event).join(', ')}`);
    await Promise.all([page.close(), again.close(), options.close()]);
  });

  it('the options page shows the answer locked, and says why', async () => {
    const options = await b.openOptions();
    const lock = options.locator('#device-lock');
    await lock.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await lock.innerText()).toBe(
      'Your organization limits proceeding past its warnings and has not said where this browser is, so its rules apply here as written, as when nothing is said. Only your organization can change this.',
    );
    expect(await options.locator('#device-choices').evaluate((f) => (f as HTMLFieldSetElement).disabled)).toBe(true);
    expect(await options.locator('#device-unsaid').isChecked()).toBe(true);

    // The same in Korean, the page's other language.
    // Saving the language reloads the page in it.
    await options.locator('#ui-language:not([disabled])').waitFor({ timeout: 10_000 });
    await options.selectOption('#ui-language', 'ko');
    await options.waitForFunction(() => document.documentElement.lang === 'ko', undefined, { timeout: 10_000 });
    await lock.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await lock.innerText()).toBe(
      "소속 기관이 경고를 지나 계속 진행하는 것을 제한하고, 이 브라우저를 어떤 기기에서 사용하는지는 정하지 않았습니다. 그래서 기관의 규칙은 '정하지 않음'일 때처럼 적힌 그대로 적용됩니다. 이 설정은 소속 기관만 바꿀 수 있습니다.",
    );
    await options.selectOption('#ui-language', 'browser');
    await options.waitForFunction(() => document.documentElement.lang === 'en', undefined, { timeout: 10_000 });
    await options.close();
  });

  it('an answer given before the policy limited proceeding is kept but not applied: DeepSeek is stopped again when the policy arrives', async () => {
    const options = await b.openOptions();
    // Whether the extension has read a policy that limits proceeding (Chromium re-reads the file within seconds).
    const limits = async () => ((await send(options, 'getManagedPolicy', {})).data as { policy: { requireJustification?: boolean } }).policy.requireJustification === true;
    // The same profile forced, nothing limited: the person may say where the browser is.
    policy.write({ enabledProfiles: [KB] });
    await expect.poll(limits, { timeout: 30_000, interval: 500 }).toBe(false);
    expect(await send(options, 'updateSettings', { deviceContext: 'personal' })).toMatchObject({ ok: true });
    // KB's block on its external network is a note on one's own device: no rule stops DeepSeek.
    await expect.poll(async () => (await b.dynamicRules()).length, { timeout: 10_000 }).toBe(0);
    deepseek.reset();
    const open = await b.context.newPage();
    await open.goto(DEEPSEEK_URL);
    expect(deepseek.requests(DEEPSEEK)).toBe(1);
    await open.close();

    // The policy limits proceeding again, still without deviceContext: the stored answer no longer applies.
    policy.write(POLICY_HELD);
    await expect.poll(limits, { timeout: 30_000, interval: 500 }).toBe(true);
    await b.waitForRules(1);
    deepseek.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL).catch(() => undefined);
    await waitForInterstitial(b, page);
    await page.locator('#device-held').waitFor({ state: 'visible', timeout: 10_000 });
    expect(deepseek.requests(DEEPSEEK)).toBe(0);
    expect((await send(options, 'getSettings', {})).data).toMatchObject({ deviceContext: 'personal', effective: { deviceContext: 'unsaid' } });
    await Promise.all([page.close(), options.close()]);
  });
});

const firefox = firefoxForSuite('lowering-gate e2e (Firefox)');

describe.skipIf(!firefox.found)('a policy that limits proceeding holds the device answer (Firefox policies.json)', () => {
  let site: CountingServer;
  let ff: FirefoxExtension;
  const covers = (rules: FxRule[]) => rules.some((r) => r.action.type === 'redirect' && (r.condition.requestDomains ?? []).includes('deepseek.com'));

  beforeAll(async () => {
    site = await startSiteServer();
    ff = await launchManagedFirefox({ executablePath: firefox.path, proxyPort: site.port, policy: POLICY_HELD });
    await ff.waitForRules(covers, 'KB rules from the policy');
  }, 60_000);

  afterAll(async () => {
    await ff?.close();
    await site?.close();
  });

  it('no device answer on the warning; a forged one is refused; DeepSeek stays stopped with 0 requests', async () => {
    const rulesBefore = await ff.dynamicRules();
    site.reset();
    const page = await ff.newWebPage();
    expect(withoutTableKey(await ff.navigate(page, DEEPSEEK_URL, (h) => h.startsWith(ff.origin)))).toBe(ff.interstitialUrl(DEEPSEEK_URL));
    await page.waitForSelector('#device-held', { timeout: 15_000 });
    expect(await page.evaluate(() => document.getElementById('device-held')?.textContent)).toBe(HELD_WARNING);
    expect(await page.$('#device-question')).toBeNull();
    const refused = (await page.evaluate(() =>
      (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({
        kind: 'setDeviceContext',
        request: { deviceContext: 'personal' },
      }),
    )) as { ok: boolean; error?: string };
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/only your organization can change this/) });
    expect(await ff.dynamicRules()).toEqual(rulesBefore);
    const again = await ff.newWebPage();
    expect(withoutTableKey(await ff.navigate(again, DEEPSEEK_URL, (h) => h.startsWith(ff.origin)))).toBe(ff.interstitialUrl(DEEPSEEK_URL));
    expect(site.requests(DEEPSEEK)).toBe(0);
    await Promise.all([page.close(), again.close()]);
  });
});

describe.skipIf(!chromium.found)('KB Financial Group and KHNP together: proceeding confirms the block (Chromium)', () => {
  let site: CountingServer;
  let deepseek: HostServer;
  let b: ProfileBrowser;

  beforeAll(async () => {
    assertBuilt();
    [site, deepseek] = await Promise.all([startSiteServer(), startHostServer(DEEPSEEK)]);
    b = await launchChromium({ executablePath: chromium.path, defaultPort: site.port, hostMap: { [DEEPSEEK]: deepseek.port } });
    await b.worker();
  });

  afterAll(async () => {
    await b?.close();
    await Promise.all([site?.close(), deepseek?.close()]);
  });

  it('asks for the block’s acknowledgement, refuses "not for work", and logs what was confirmed against the block', async () => {
    await (await setProfileInPopup(b, KB)).close();
    await (await setProfileInPopup(b, KHNP)).close();
    deepseek.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL).catch(() => undefined);
    await waitForInterstitial(b, page);
    expect(await page.locator('#heading').innerText()).toBe('DeepSeek is blocked by your organization');
    await readCitation(page, KHNP);
    await page.locator('#proceed-details summary').click();
    expect(await page.locator('label[for="proceed-ack"]').innerText()).toBe(RESPONSIBILITY);

    // The milder statement, sent by hand, is refused by the background: the page is not the gate.
    const milder = await send(page, 'proceedAnyway', { url: DEEPSEEK_URL, acknowledged: true, statement: 'not-for-work' });
    expect(milder).toMatchObject({ ok: false, error: expect.stringMatching(/^proceedAnyway: this page is blocked/) });
    const none = await send(page, 'proceedAnyway', { url: DEEPSEEK_URL, acknowledged: true });
    expect(none.ok).toBe(false);
    expect(deepseek.requests(DEEPSEEK)).toBe(0);

    await page.locator('#proceed-ack').check();
    await page.locator('#proceed-button').click();
    await page.waitForURL(DEEPSEEK_URL, { timeout: 10_000 });
    expect(deepseek.requests(DEEPSEEK)).toBe(1);

    const options = await b.openOptions();
    const proceeded = (await activityLog(options)).filter((e) => e.event === 'proceeded');
    expect(proceeded).toEqual([
      expect.objectContaining({ serviceId: 'deepseek', level: 'block', organizations: [KB, KHNP], statement: 'responsibility' }),
    ]);
    const shown = options.locator('#log-entries');
    await shown.waitFor({ timeout: 10_000 });
    expect(await shown.innerText()).toContain('Confirmed: takes responsibility');
    expect(await shown.innerText()).not.toContain('Confirmed: not for work');
    await Promise.all([page.close(), options.close()]);
  });
});
