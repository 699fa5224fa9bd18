/**
 * The managed (enterprise) path in real browsers: a machine policy file the
 * test writes, the built extension reading it through storage.managed, and
 * what a person then sees: forced profiles locked in the popup and on the
 * options page, the organization's message and approved alternative on the
 * interstitial, proceeding turned off or behind a required reason, and the
 * ignored values reported. Chromium: /etc/chromium/policies/managed/*.json,
 * changed while the browser runs. Firefox: distribution/policies.json.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertBuilt, discoverChromium, launchChromium, sendFrom as send, type ExtensionBrowser } from './harness/chromium';
import { startHostServer, startSiteServer, type CountingServer, type HostServer } from './harness/server';
import { waitForInterstitial } from './harness/ui';
import { DIST_FIREFOX, OPTIONS_PATH, firefoxForSuite, type FirefoxExtension } from './harness/firefox';
import { withoutTableKey } from './harness/landing';
import { policyDirProblem, setUpChromiumPolicy, type ChromiumPolicy } from './managed/chromium-policy';
import { launchManagedFirefox } from './managed/firefox';
import { ALTERNATIVE, CUSTOM_FILE, POLICY_A, POLICY_B, POLICY_FIREFOX } from './managed/fixtures';

const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const CI = process.env.CI === 'true';

const chromium = discoverChromium();
const chromiumPolicyProblem = chromium.found ? policyDirProblem() : null;
const chromiumSkip = !chromium.found ? chromium.message : chromiumPolicyProblem;
if (chromiumSkip) {
  if (CI) throw new Error(`managed e2e (Chromium): ${chromiumSkip} (CI=true: browser tests must run)`);
  console.warn(`managed e2e (Chromium) skipped: ${chromiumSkip}`);
}

async function rowState(page: Page, id: string) {
  const box = page.locator(`input[type=checkbox][data-organization-id="${id}"]`);
  await box.waitFor({ state: 'attached', timeout: 10_000 });
  return {
    checked: await box.isChecked(),
    disabled: await box.isDisabled(),
    lock: (await page.locator(`#profile-lock-${id}`).textContent())?.trim() ?? '',
  };
}

describe.skipIf(chromiumSkip !== null)('managed policy, Chromium (/etc/chromium/policies/managed)', () => {
  let policy: ChromiumPolicy;
  let site: CountingServer;
  let deepseek: HostServer;
  let b: ExtensionBrowser;

  beforeAll(async () => {
    assertBuilt();
    policy = setUpChromiumPolicy(`${process.cwd()}/dist/chrome`);
    policy.write(POLICY_A);
    [site, deepseek] = await Promise.all([startSiteServer(), startHostServer(DEEPSEEK)]);
    b = await launchChromium({ executablePath: chromium.path, defaultPort: site.port, hostMap: { [DEEPSEEK]: deepseek.port }, dist: policy.dist });
    await b.worker();
  });

  afterAll(async () => {
    await b?.close();
    policy?.remove();
    await Promise.all([site?.close(), deepseek?.close()]);
  });

  it('loads the copy the policy names (the id Chromium derives from its path)', () => {
    expect(b.extensionId).toBe(policy.extensionId);
  });

  it('the popup shows the forced profile on and locked, every other profile locked', async () => {
    await b.waitForRules(1);
    const popup = await b.openPopup();
    await expect.poll(() => rowState(popup, 'kb-financial-group'), { timeout: 10_000 }).toEqual({
      checked: true,
      disabled: true,
      lock: 'Turned on by your organization',
    });
    expect(await rowState(popup, 'khnp')).toEqual({ checked: false, disabled: true, lock: 'Locked by your organization' });
    expect(await popup.locator('#managed-line').innerText()).toBe("Your organization manages these profiles; they can't be changed here.");
    console.log(`[popup under policy A] ${(await popup.locator('#managed-line').innerText())} | kb-financial-group: ${JSON.stringify(await rowState(popup, 'kb-financial-group'))} | khnp: ${JSON.stringify(await rowState(popup, 'khnp'))}`);

    // Clicking a locked row changes nothing, and the background refuses the change outright.
    await popup.locator('label:has(input[data-organization-id="khnp"])').click({ force: true });
    expect(await popup.locator('input[data-organization-id="khnp"]').isChecked()).toBe(false);
    const refused = await send(popup, 'setProfileEnabled', { organizationId: 'kb-financial-group', enabled: false });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/locked by your organization/) });
    await popup.close();
  });

  it("the interstitial shows the organization's message and the approved alternative, and no way forward", async () => {
    deepseek.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL);
    expect(await waitForInterstitial(b, page)).toBe(DEEPSEEK_URL);
    await page.locator('#organization-message').waitFor({ timeout: 10_000 });
    expect(await page.locator('.organization-message-text').innerText()).toBe(POLICY_A.customMessage.en);
    const alternative = page.locator('#approved-alternative');
    expect(await alternative.innerText()).toBe('Use the KB AI Assistant instead');
    expect(await alternative.getAttribute('href')).toBe(ALTERNATIVE);
    expect(await page.locator('.proceed-off').innerText()).toMatch(/turned off proceeding/);
    expect(await page.locator('#proceed-details').count()).toBe(0);
    // Hidden is not enough: the background refuses a proceed the policy turned off.
    const refused = await send(page, 'proceedAnyway', { url: DEEPSEEK_URL, acknowledged: true, statement: 'responsibility' });
    expect(refused).toMatchObject({ ok: false, error: 'proceedAnyway: proceeding is turned off for this site' });
    expect(deepseek.requests(DEEPSEEK)).toBe(0);
    await page.close();
  });

  it('the options page lists what the policy sets and each ignored value', async () => {
    const options = await b.openOptions();
    const managed = options.locator('#managed');
    await managed.waitFor({ state: 'visible', timeout: 10_000 });
    const facts = await options.locator('#managed-applied').innerText();
    expect(facts).toContain('KB Financial Group and KB Kookmin Bank');
    expect(facts).toContain(POLICY_A.customMessage.en);
    expect(facts).toContain(ALTERNATIVE);
    const problems = await options.locator('#managed-problem-list li').allInnerTexts();
    expect(problems).toEqual(
      expect.arrayContaining([
        'proceedMinutes: must be a whole number of minutes from 1 to 240, not 500; read as 240, the stricter choice',
        'enabledProfiles.1: unknown organization "no-such-org" (ignored)',
      ]),
    );
    expect(problems).toHaveLength(2);
    const kb = options.locator('li.profile[data-organization-id="kb-financial-group"]');
    expect(await kb.locator('input').isDisabled()).toBe(true);
    expect(await kb.locator('.profile-lock').innerText()).toBe('Turned on by your organization');
    // proceedMinutes out of range is read as the nearest allowed value, and locked.
    expect(await options.locator('#proceed-minutes').isDisabled()).toBe(true);
    expect(await options.locator('#proceed-off').innerText()).toMatch(/turned off proceeding past blocked sites/);
    await options.close();
  });

  it('a policy changed while the browser runs applies live: a reason is then required to proceed, and logged', async () => {
    const popup = await b.openPopup();
    policy.write(POLICY_B);
    // Chromium re-reads policy files a few seconds after they change.
    await expect.poll(() => rowState(popup, 'kakao'), { timeout: 30_000, interval: 500 }).toEqual({
      checked: true,
      disabled: true,
      lock: 'Turned on by your organization',
    });
    expect(await rowState(popup, 'kb-financial-group')).toEqual({ checked: false, disabled: false, lock: '' });
    expect(await popup.locator('#managed-line').innerText()).toBe('Your organization has turned on some of these profiles.');
    await popup.close();

    deepseek.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL);
    await waitForInterstitial(b, page);
    await page.locator('#organization-message').waitFor({ timeout: 10_000 });
    expect(await page.locator('.organization-message-text').innerText()).toBe(POLICY_B.customMessage.en);
    expect(await page.locator('#approved-alternative').count()).toBe(0);
    await page.locator('#proceed-details summary').click();
    const button = page.locator('#proceed-button');
    await page.locator('#proceed-ack').check();
    expect(await button.isDisabled(), 'a reason is still missing').toBe(true);
    const missing = await send(page, 'proceedAnyway', { url: DEEPSEEK_URL, acknowledged: true, statement: 'not-for-work' });
    expect(missing).toMatchObject({ ok: false, error: expect.stringMatching(/requires a reason/) });
    await page.locator('#proceed-reason').fill('Checking how a customer sees the DeepSeek login page, personal device test');
    expect(await button.isDisabled()).toBe(false);
    await button.click();
    await page.waitForURL(DEEPSEEK_URL, { timeout: 10_000 });
    expect(deepseek.requests(DEEPSEEK)).toBe(1);
    await page.close();

    const options = await b.openOptions();
    const entries = options.locator('#log-entries');
    await entries.waitFor({ timeout: 10_000 });
    const text = await entries.innerText();
    expect(text).toContain('Reason: Checking how a customer sees the DeepSeek login page, personal device test');
    expect(text).toContain('Confirmed: not for work');
    expect(await options.locator('#log-enabled').isDisabled(), 'a required reason keeps the log on').toBe(true);

    // The log leaves as a file the browser saves from a local Blob.
    const [csv] = await Promise.all([options.waitForEvent('download'), options.locator('#log-export-csv').click()]);
    const csvText = (await readFile((await csv.path())!, 'utf8')).replace(/^\ufeff/, '');
    expect(csvText.split('\r\n')[0]).toBe('time,event,service,host,level,organizations,statement,justification,approver,until,token,notice,notice_version,count,last,initiator');
    expect(csvText).toContain(',proceeded,deepseek,chat.deepseek.com,warn,kakao,not-for-work,');
    await options.close();
  });

  it('custom organizations: a bad file changes nothing and names the field; a good one is added; reset keeps the managed policy and the log it requires', async () => {
    const options = await b.openOptions();
    await options.locator('#managed').waitFor({ state: 'visible', timeout: 10_000 });
    await options.setInputFiles('#custom-import', { name: 'acme.json', mimeType: 'application/json', buffer: Buffer.from(CUSTOM_FILE) });
    await options.locator('.custom-item[data-organization-id="acme-corp"]').waitFor({ timeout: 10_000 });
    expect(await options.locator('li.profile[data-organization-id="acme-corp"] .profile-custom').innerText()).toBe('Custom');

    const bad = CUSTOM_FILE.replace('"acme-corp"', '"beta-inc"').replace('"deepseek"', '"skynet"');
    await options.setInputFiles('#custom-import', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
    await options.locator('#custom-error:not([hidden])').waitFor({ timeout: 10_000 });
    expect(await options.locator('#custom-error li').allInnerTexts()).toEqual([
      'organizations.0.rules.0.target.service: unknown service "skynet" (not in the extension\'s catalog)',
    ]);
    expect(await options.locator('.custom-item').count()).toBe(1);

    const [exported] = await Promise.all([options.waitForEvent('download'), options.locator('#custom-export').click()]);
    const file = JSON.parse(await readFile((await exported.path())!, 'utf8')) as { organizations: { id: string }[] };
    expect(file.organizations.map((o) => o.id)).toEqual(['acme-corp']);

    // A required reason is kept in the log: clearing it is refused, by the background as well as the page.
    options.once('dialog', (dialog) => void dialog.accept());
    await options.locator('#log-clear').click();
    await expect.poll(() => options.locator('#log-error').innerText(), { timeout: 10_000 }).toMatch(/your organization keeps the activity log/);
    expect(await send(options, 'clearActivityLog', {})).toMatchObject({ ok: false, error: expect.stringMatching(/keeps the activity log/) });
    const entriesBefore = await options.locator('#log-entries tbody tr').count();
    expect(entriesBefore).toBeGreaterThan(0);

    options.once('dialog', (dialog) => void dialog.accept());
    await options.locator('#reset').click();
    await expect.poll(() => options.locator('.custom-item').count(), { timeout: 10_000 }).toBe(0);
    await expect
      .poll(() => options.locator('#reset-status').innerText(), { timeout: 10_000 })
      .toBe("Everything else was reset. Kept by your organization's policy: Kakao and the activity log.");
    expect(await options.locator('#log-entries tbody tr').count()).toBe(entriesBefore);
    // The administrator's policy is not the user's to reset.
    const kakao = options.locator('input[data-organization-id="kakao"]');
    expect([await kakao.isChecked(), await kakao.isDisabled()]).toEqual([true, true]);
    await options.close();
  });

  it('the language chosen on the options page applies to the options page, the popup and the interstitial', async () => {
    const options = await b.openOptions();
    await options.locator('#ui-language:not([disabled])').waitFor({ timeout: 10_000 });
    expect(await options.locator('h1').innerText()).toBe('Settings');
    await options.selectOption('#ui-language', 'ko');
    // Saving reloads the page in the chosen language (the browser itself stays English).
    await options.waitForFunction(() => document.documentElement.lang === 'ko', undefined, { timeout: 10_000 });
    expect(await options.locator('h1').innerText()).toBe('설정');
    expect(await options.locator('#ui-language').inputValue()).toBe('ko');
    const popup = await b.openPopup();
    await popup.locator('#profile-lock-kakao:not([hidden])').waitFor({ timeout: 10_000 });
    expect(await popup.locator('#profile-lock-kakao').innerText()).toBe('소속 기관이 켠 프로필입니다');
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL);
    await waitForInterstitial(b, page);
    await expect.poll(() => page.locator('#go-back').innerText(), { timeout: 10_000 }).toMatch(/^(뒤로 가기|탭 닫기)$/);
    expect(await page.locator('h1').innerText()).toBe('소속 기관이 딥시크의 업무 사용을 금지했습니다');
    await options.selectOption('#ui-language', 'browser');
    await options.waitForFunction(() => document.documentElement.lang === 'en', undefined, { timeout: 10_000 });
    await Promise.all([options.close(), popup.close(), page.close()]);
  });
});

const firefox = firefoxForSuite('managed e2e (Firefox)');

describe.skipIf(!firefox.found)('managed policy, Firefox (distribution/policies.json)', () => {
  let site: CountingServer;
  let ff: FirefoxExtension;

  beforeAll(async () => {
    assertBuilt(DIST_FIREFOX);
    site = await startSiteServer();
    ff = await launchManagedFirefox({ executablePath: firefox.path, proxyPort: site.port, policy: POLICY_FIREFOX });
  });

  afterAll(async () => {
    await ff?.close();
    await site?.close();
  });

  it('the options page shows the forced profile locked, and a lock of the wrong type read as locked and reported', async () => {
    const page = await ff.openExtensionPage(OPTIONS_PATH);
    await page.waitForSelector('input[data-organization-id="kb-financial-group"]', { timeout: 15_000 });
    const row = (id: string) =>
      page.evaluate((orgId) => {
        const box = document.querySelector<HTMLInputElement>(`input[data-organization-id="${orgId}"]`);
        return { checked: box?.checked, disabled: box?.disabled, lock: document.getElementById(`profile-lock-${orgId}`)?.textContent ?? '' };
      }, id);
    expect(await row('kb-financial-group')).toEqual({ checked: true, disabled: true, lock: 'Turned on by your organization' });
    // "lockProfiles": "yes" is not a boolean: it is read as the stricter choice (locked), not as the permissive default.
    expect(await row('khnp')).toEqual({ checked: false, disabled: true, lock: 'Locked by your organization' });
    await page.waitForSelector('#managed-problem-list li', { timeout: 10_000 });
    const problems = await page.evaluate(() => [...document.querySelectorAll('#managed-problem-list li')].map((li) => li.textContent));
    expect(problems).toEqual(['lockProfiles: must be true or false, not the string "yes"; read as true, the stricter choice']);
  });

  it('the popup shows the forced profile locked', async () => {
    const page = await ff.openPopup();
    await page.waitForSelector('#profile-lock-kb-financial-group:not([hidden])', { timeout: 15_000 });
    const state = await page.evaluate(() => ({
      line: document.getElementById('managed-line')?.textContent,
      disabled: document.querySelector<HTMLInputElement>('input[data-organization-id="kb-financial-group"]')?.disabled,
    }));
    expect(state).toEqual({ line: "Your organization manages these profiles; they can't be changed here.", disabled: true });
  });

  it("the interstitial shows the organization's message and the approved alternative; nothing reaches the site", async () => {
    site.reset();
    const page = await ff.newWebPage();
    const landed = await ff.navigate(page, DEEPSEEK_URL, (href) => href.startsWith(ff.origin));
    expect(withoutTableKey(landed)).toBe(ff.interstitialUrl(DEEPSEEK_URL));
    await page.waitForSelector('#organization-message', { timeout: 15_000 });
    const shown = await page.evaluate(() => ({
      message: document.querySelector('.organization-message-text')?.textContent,
      alternative: document.getElementById('approved-alternative')?.textContent,
      href: document.getElementById('approved-alternative')?.getAttribute('href'),
    }));
    expect(shown).toEqual({ message: POLICY_FIREFOX.customMessage, alternative: 'Use the in-house assistant instead', href: ALTERNATIVE });
    expect(site.requests(DEEPSEEK)).toBe(0);
    await page.close();
  });
});
