/**
 * Where the browser is decides what LG U+'s notice means, in real Chromium
 * and real Firefox on the built extension. The article: LG U+ prohibited
 * DeepSeek "on the company's network" and only "cautions workers against
 * using DeepSeek on their personal computers". So, with LG U+ on:
 * - not said: DeepSeek is stopped as written, and the warning asks the question;
 * - my own device: DeepSeek loads, with LG U+'s caution banner;
 * - a work device: DeepSeek is stopped, citing LG U+.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page as FxPage } from 'puppeteer-core';
import { assertBuilt, chromiumForSuite, launchChromium, type ProfileBrowser } from './harness/chromium';
import { firefoxForSuite, launchFirefox, START_URL, type FirefoxExtension, type FxRule } from './harness/firefox';
import { startHostServer, startSiteServer, type CountingServer, type HostServer } from './harness/server';
import { readCitation, setProfileInPopup, waitForInterstitial } from './harness/ui';
import { withoutTableKey } from './harness/landing';

const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const LG = 'lg-uplus';
const ELSEWHERE = 'LG U+: DeepSeek is blocked on its company network; this is your own device.';
const CAUTION = 'LG U+ asks staff not to use DeepSeek on personal computers';

const chromium = chromiumForSuite();
const firefox = firefoxForSuite('Firefox device-context e2e');

/**
 * What the page's banner and note say, read through the extension's own
 * scripting access: the overlay lives in a CLOSED shadow root that neither
 * the page nor a test driver can open, only the extension
 * (chrome.dom.openOrClosedShadowRoot / Firefox's element.openOrClosedShadowRoot).
 * Runs as source text in the extension; no named helpers inside.
 */
const READ_OVERLAY = `async (api) => {
  const tabs = await api.tabs.query({ url: '*://chat.deepseek.com/*' });
  if (tabs.length === 0) return null;
  const [result] = await api.scripting.executeScript({
    target: { tabId: tabs[0].id },
    func: () => {
      const host = document.querySelector('ai-policy-guard-banner');
      if (!host) return [];
      const root = typeof chrome !== 'undefined' && chrome.dom ? chrome.dom.openOrClosedShadowRoot(host) : host.openOrClosedShadowRoot;
      if (!root) return [];
      return [...root.querySelectorAll('.banner, .note')].filter((n) => !n.hidden).map((n) => n.className + ': ' + n.textContent.replace(/\\s+/g, ' '));
    },
  });
  return result ? result.result : null;
}`;

describe.skipIf(!chromium.found)('Chromium: LG U+ on each kind of device', () => {
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
    await Promise.all([site, deepseek].map((s) => s?.close()));
  });

  const overlay = async (): Promise<string[]> => {
    let seen: string[] | null = [];
    await expect
      .poll(async () => {
        seen = await b.inWorker(new Function(`return (${READ_OVERLAY})(chrome)`) as () => Promise<string[] | null>);
        return (seen ?? []).length;
      }, { timeout: 10_000 })
      .toBeGreaterThan(0);
    return seen ?? [];
  };

  it('not said: stopped as written, each rule says it depends on the device, one click answers', async () => {
    (await setProfileInPopup(b, LG)).close();
    deepseek.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL).catch(() => undefined);
    await waitForInterstitial(b, page);
    const card = await readCitation(page, LG);
    expect(card.text).toContain("Applies on its company network. You haven't said whether this is a work device.");
    expect(card.text).toContain("Applies on personal computers. You haven't said whether this is your own device.");
    // The age of the report, computed now, and where to check.
    expect(card.text).toMatch(/Reported February 6, 2025, (\d+ years?)(, \d+ months?)? ago/);
    expect(await page.locator('.data-age-caveat').innerText()).toBe(
      "The organization's rules may have changed since. Check its own rules or ask its IT team.",
    );
    expect(deepseek.requests(DEEPSEEK)).toBe(0);

    // "No, my own device": the rules are rebuilt and the tab goes on to DeepSeek.
    await page.locator('#device-personal').click();
    await page.waitForURL(DEEPSEEK_URL, { timeout: 10_000 });
    expect(deepseek.requests(DEEPSEEK)).toBe(1);
    await page.close();
  });

  it('my own device: DeepSeek loads, with LG U+’s caution banner naming where the ban applies', async () => {
    expect(await b.dynamicRules()).toEqual([]);
    deepseek.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL);
    expect(await page.locator('#service-host').innerText()).toBe(DEEPSEEK);
    expect(deepseek.requests(DEEPSEEK)).toBe(1);
    const shown = await overlay();
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/^banner: /);
    expect(shown[0]).toContain(CAUTION);
    expect(shown[0]).toContain(ELSEWHERE.replace(/^LG U\+/, ''));

    // The popup says where this browser is.
    const popup = await b.openPopup();
    await expect.poll(() => popup.locator('#device-line-text').innerText()).toBe('This browser: your own device');
    await popup.close();
    await page.close();
  });

  it('a work device (chosen on the options page): DeepSeek is stopped, citing LG U+', async () => {
    const options = await b.openOptions();
    await options.locator('label[for="device-work"]').click();
    await expect.poll(() => options.locator('#device-status').innerText()).toBe('Saved');
    await b.waitForRules(1);
    await options.close();

    deepseek.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL).catch(() => undefined);
    await waitForInterstitial(b, page);
    expect(await page.locator('#heading').innerText()).toBe('DeepSeek is blocked by your organization');
    const card = await readCitation(page, LG);
    expect(card.text).toContain('Applies on this device: it is a work device.');
    // The personal-computer caution does not apply on a work device.
    expect(card.text).not.toContain("haven't said");
    expect(await page.locator('#device-question').count()).toBe(0);
    expect(deepseek.requests(DEEPSEEK)).toBe(0);
    await page.close();
  });
});

describe.skipIf(!firefox.found)('Firefox: LG U+ on each kind of device', () => {
  let site: CountingServer;
  let ff: FirefoxExtension;

  const send = async <T>(kind: string, request: unknown): Promise<T> => {
    const reply = (await ff.ext((api, arg) => api.runtime.sendMessage(arg), { kind, request })) as { ok: boolean; data?: T; error?: string };
    if (!reply.ok) throw new Error(`${kind}: ${reply.error}`);
    return reply.data as T;
  };
  const covers = (rules: FxRule[]) => rules.some((r) => r.action.type === 'redirect' && (r.condition.requestDomains ?? []).includes('deepseek.com'));
  const overlay = () =>
    ff.ext(new Function('api', `return (${READ_OVERLAY})(api)`) as (api: unknown) => Promise<string[] | null>);
  const text = (page: FxPage, selector: string) =>
    page.evaluate((s) => (document.querySelector(s)?.textContent ?? '').replace(/\s+/g, ' '), selector);

  beforeAll(async () => {
    site = await startSiteServer();
    ff = await launchFirefox({ executablePath: firefox.path, proxyPort: site.port });
    await send('setProfileEnabled', { organizationId: LG, enabled: true });
    await ff.waitForRules(covers, 'LG U+ rules');
  }, 60_000);

  afterAll(async () => {
    await ff?.close();
    await site?.close();
  });

  it('not said, then "No, my own device" on the warning: DeepSeek loads with LG U+’s caution banner', async () => {
    site.reset();
    const page = await ff.newWebPage();
    await ff.navigate(page, DEEPSEEK_URL, (h) => h.startsWith(ff.origin));
    await page.waitForSelector(`.citation[data-organization-id="${LG}"]`, { timeout: 10_000 });
    expect(await text(page, `.citation[data-organization-id="${LG}"]`)).toContain("You haven't said whether this is a work device.");
    expect(site.requests(DEEPSEEK)).toBe(0);

    await page.click('#device-personal');
    await ff.waitForLocation(page, (h) => h === DEEPSEEK_URL);
    expect(site.requests(DEEPSEEK)).toBe(1);
    expect(await ff.dynamicRules()).toEqual([]);
    let shown: string[] | null = null;
    for (let i = 0; i < 40 && !(shown && shown.length > 0); i += 1) {
      shown = await overlay();
      if (!shown || shown.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(shown).toHaveLength(1);
    expect(shown![0]).toMatch(/^banner: /);
    expect(shown![0]).toContain(CAUTION);
    expect(shown![0]).toContain(ELSEWHERE.replace(/^LG U\+/, ''));
    await page.close();
  });

  it('a work device: DeepSeek is stopped, citing LG U+', async () => {
    await send('updateSettings', { deviceContext: 'work' });
    await ff.waitForRules(covers, 'LG U+ rules on a work device');
    site.reset();
    const page = await ff.newWebPage();
    await page.goto(START_URL);
    expect(withoutTableKey(await ff.navigate(page, DEEPSEEK_URL, (h) => h.startsWith(ff.origin)))).toBe(ff.interstitialUrl(DEEPSEEK_URL));
    await page.waitForSelector(`.citation[data-organization-id="${LG}"]`, { timeout: 10_000 });
    const card = await text(page, `.citation[data-organization-id="${LG}"]`);
    expect(card).toContain('Applies on this device: it is a work device.');
    expect(card).toMatch(/Reported February 6, 2025, \d+ years?/);
    expect(await page.$('#device-question')).toBeNull();
    expect(site.requests(DEEPSEEK)).toBe(0);
    await page.close();
  });
});
