/**
 * The enforcement status and private windows, from what a person sees in the
 * real browsers: the options page's status block (rules installed, the hosts
 * they stop, a digest that matches what the settings compile to, private
 * windows, the last sync), the popup's line when private windows are not
 * covered, and a private window itself, where a banned site loads with no
 * warning, which is why the line is there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, chromiumForSuite, launchChromium, type ProfileBrowser } from './harness/chromium';
import { DIST_FIREFOX, firefoxForSuite, launchFirefox, OPTIONS_PATH, type FirefoxExtension } from './harness/firefox';
import { startSiteServer, type CountingServer } from './harness/server';
import { setProfileInPopup, waitForInterstitial } from './harness/ui';

const chromium = chromiumForSuite('status-private e2e (Chromium)');
const firefox = firefoxForSuite('status-private e2e (Firefox)');
const DEEPSEEK_URL = 'http://chat.deepseek.com/';
const CHROME_STEP = 'To cover them: in chrome://extensions, open Details for AI Policy Guard and turn on "Allow in Incognito".';
const FIREFOX_STEP = 'To cover them: in about:addons, open AI Policy Guard and set "Run in Private Windows" to Allow.';
const NOT_COVERED = 'Private windows are not covered: a banned site opened in a private window is not stopped.';

describe.skipIf(!chromium.found)('status page and incognito windows, Chromium', () => {
  let site: CountingServer;
  let b: ProfileBrowser;

  beforeAll(async () => {
    assertBuilt();
    site = await startSiteServer();
    b = await launchChromium({ executablePath: chromium.path, defaultPort: site.port });
    await b.worker();
  });
  afterAll(async () => {
    await b?.close();
    await site?.close();
  });

  it('the options page shows what is enforced, with a digest matching what the settings compile to, and copies it as one block', async () => {
    await (await setProfileInPopup(b, 'kb-financial-group')).close();
    const options = await b.openOptions();
    await expect.poll(async () => (await options.locator('#status-text').textContent()) ?? '', { timeout: 10_000 }).toContain('Rules installed');
    const text = (await options.locator('#status-text').textContent()) ?? '';
    const installed = await b.inWorker(() => (globalThis as unknown as { chrome: { declarativeNetRequest: { getDynamicRules(): Promise<unknown[]> } } }).chrome.declarativeNetRequest.getDynamicRules());
    expect(text).toContain(`Rules installed: ${installed.length}; digest `);
    expect(text).toMatch(/Rules the policy and settings compile to: \d+; digest \S+ \(match\)/);
    expect(text).toMatch(/Profiles in force: KB Financial Group[^[]*\[kb-financial-group\] \(set by you\)/);
    expect(text).toMatch(/Hosts stopped \(\d+\): .*deepseek\.com/);
    expect(text).toContain('Installed by policy: no (development)');
    expect(text).toContain('Managed policy: none (nothing managed)');
    expect(text).toContain(`Private windows: NOT covered. ${CHROME_STEP}`);
    expect(text).toMatch(/Last rule sync: .* \([a-z-]+\); no error/);
    expect(await options.locator('#status-private').innerText()).toBe(`${NOT_COVERED} ${CHROME_STEP}`);

    await b.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await options.locator('#status-copy').click();
    await expect.poll(() => options.locator('#status-copy-result').innerText()).toBe('Copied. Paste it into your ticket.');
    const copied = await options.evaluate(() => navigator.clipboard.readText());
    expect(copied.split('\n')[0]).toMatch(/^AI Policy Guard \d+\.\d+\.\d+, Chrome, status read /);
    expect(copied).toContain('Rules installed');
    // Nothing was fetched to make it: every request the test server saw was the test's own.
    expect(site.log.filter((r) => !/deepseek|example\.test/.test(r.host))).toEqual([]);
    console.log(`[status, Chromium]\n${copied}`);

    // A change made on this page: the status follows it to the sync it leads to,
    // and the installed rules are again what the new settings compile to.
    const changed = await options.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean }> } } }).chrome;
      return (await api.runtime.sendMessage({ kind: 'updateSettings', request: { deviceContext: 'work' } })).ok;
    });
    expect(changed).toBe(true);
    await expect
      .poll(async () => (await options.locator('#status-text').textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/Last rule sync: [^\n]* \((?!profile\))[a-z-]+\); no error/);
    const after = (await options.locator('#status-text').textContent()) ?? '';
    expect(after).toMatch(/Rules the policy and settings compile to: \d+; digest \S+ \(match\)/);
    expect(after).toMatch(/Device answer: work/);
    await options.close();
  });

  it('the popup says incognito windows are not covered, with the one step; an incognito window loads DeepSeek with no warning', async () => {
    const popup = await b.openPopup();
    await popup.locator('#private-notice:not([hidden])').waitFor({ timeout: 10_000 });
    expect(await popup.locator('#private-notice').innerText()).toBe(`${NOT_COVERED} ${CHROME_STEP}`);
    await popup.close();

    // The same banned site in a normal window of this profile is stopped...
    site.reset();
    const normal = await b.context.newPage();
    await normal.goto(DEEPSEEK_URL);
    await waitForInterstitial(b, normal);
    expect(site.requests('chat.deepseek.com')).toBe(0);
    await normal.close();

    // ...and in an incognito (off-the-record) context of the same browser, where the extension does not run, it loads.
    const browser = b.context.browser();
    if (!browser) throw new Error('no browser handle for an incognito context');
    const incognito = await browser.newContext();
    const page = await incognito.newPage();
    await page.goto(DEEPSEEK_URL);
    expect(page.url()).toBe(DEEPSEEK_URL);
    expect(site.requests('chat.deepseek.com')).toBe(1);
    console.log(`[incognito, Chromium] ${page.url()} loaded; requests to chat.deepseek.com: ${site.requests('chat.deepseek.com')}; title: ${await page.title()}`);
    await incognito.close();
  });
});

describe.skipIf(!firefox.found)('status page and private windows, Firefox', () => {
  let site: CountingServer;
  let profileDir: string;

  beforeAll(async () => {
    assertBuilt(DIST_FIREFOX);
    site = await startSiteServer();
    profileDir = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-ff-private-'));
  });
  afterAll(async () => {
    await site?.close();
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('the options page and the status say private windows are not covered, with the one step for Firefox; a private window loads DeepSeek with no warning', async () => {
    // Installed in the profile (it lasts across a restart), as a person's install does; KB Financial Group on.
    let ff: FirefoxExtension = await launchFirefox({ executablePath: firefox.path, proxyPort: site.port, install: 'profile', userDataDir: profileDir });
    try {
      const allowed = await ff.ext((api) => (api as unknown as { extension: { isAllowedIncognitoAccess(): Promise<boolean> } }).extension.isAllowedIncognitoAccess());
      expect(allowed).toBe(false);
      await ff.ext((api) => api.runtime.sendMessage({ kind: 'setProfileEnabled', request: { organizationId: 'kb-financial-group', enabled: true } }));
      await ff.waitForRules((rules) => rules.length > 0, 'KB Financial Group rules');
      const options = await ff.openExtensionPage(OPTIONS_PATH);
      await options.waitForFunction(() => (document.getElementById('status-text')?.textContent ?? '').includes('Private windows'), { timeout: 15_000 });
      const text = await options.evaluate(() => document.getElementById('status-text')?.textContent ?? '');
      const line = await options.evaluate(() => ({ hidden: document.getElementById('status-private')?.hidden, text: document.getElementById('status-private')?.textContent }));
      expect(text).toContain(`Private windows: NOT covered. ${FIREFOX_STEP}`);
      expect(text).toMatch(/Profiles in force: KB Financial Group[^[]*\[kb-financial-group\] \(set by you\)/);
      console.log(`[Firefox rules as installed] ${JSON.stringify(await ff.dynamicRules()).slice(0, 1500)}`);
      expect(text).toMatch(/Rules the policy and settings compile to: \d+; digest \S+ \(match\)/);
      expect(line).toEqual({ hidden: false, text: `${NOT_COVERED} ${FIREFOX_STEP}` });
      const popup = await ff.openPopup();
      await popup.waitForFunction(() => document.getElementById('private-notice')?.hidden === false, { timeout: 15_000 });
      expect(await popup.evaluate(() => document.getElementById('private-notice')?.textContent)).toBe(`${NOT_COVERED} ${FIREFOX_STEP}`);
      // A normal window is stopped.
      site.reset();
      const page = await ff.newWebPage();
      await ff.navigate(page, DEEPSEEK_URL, (h) => h.startsWith(ff.origin));
      expect(site.requests('chat.deepseek.com')).toBe(0);
      console.log(`[status, Firefox]\n${text}`);
    } finally {
      await ff.close();
    }

    // The same profile in private browsing (every window private): the extension does not run there, and DeepSeek loads.
    ff = await launchFirefox({
      executablePath: firefox.path,
      proxyPort: site.port,
      install: 'profile',
      userDataDir: profileDir,
      prefs: { 'browser.privatebrowsing.autostart': true },
    });
    try {
      site.reset();
      const page = await ff.browser.newPage();
      await page.goto(DEEPSEEK_URL);
      expect(await ff.href(page)).toBe(DEEPSEEK_URL);
      // Through the proxy: the request reached the banned host.
      expect(site.requests('chat.deepseek.com')).toBeGreaterThanOrEqual(1);
      console.log(`[private window, Firefox] ${await ff.href(page)} loaded; requests to chat.deepseek.com: ${site.requests('chat.deepseek.com')}`);
    } finally {
      await ff.close();
    }
  });
});
