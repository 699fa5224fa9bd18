/**
 * Before any profile is chosen: on a catalog site that organizations in the
 * list restrict, a small note says how many, once per service per browser
 * session, and opens the profile list. Nothing is stopped. Real Chromium and
 * real Firefox on the built extension; buttons are clicked with the pointer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { restrictingOrganizations } from '../../src/core/profile-hint';
import { assertBuilt, chromiumForSuite, launchChromium, type ProfileBrowser } from './harness/chromium';
import { firefoxForSuite, launchFirefox, START_URL, type FirefoxExtension } from './harness/firefox';
import { startHostServer, startSiteServer, type CountingServer, type HostServer } from './harness/server';
import { setProfileInPopup } from './harness/ui';

const DEEPSEEK_URL = 'http://chat.deepseek.com/';
const CLAUDE_URL = 'http://claude.ai/';
const CHATGPT = 'chatgpt.com';
const bundle = loadPolicyBundle();
const noteFor = (service: string, id: string) => {
  const n = restrictingOrganizations(bundle, id).length;
  return n === 1
    ? `1 organization in AI Policy Guard's list restricts ${service}.`
    : `${n} organizations in AI Policy Guard's list restrict ${service}.`;
};

const chromium = chromiumForSuite();
const firefox = firefoxForSuite('Firefox profile-hint e2e');

/**
 * The note in a tab whose URL matches `pattern`, read through the extension's
 * own access to its CLOSED shadow root: its text and where its buttons are,
 * so the test can click them with the pointer. Source text, run in the extension.
 */
const readNote = (pattern: string) => `async (api) => {
  const tabs = await api.tabs.query({ url: ${JSON.stringify(pattern)} });
  if (tabs.length === 0) return null;
  const [result] = await api.scripting.executeScript({
    target: { tabId: tabs[tabs.length - 1].id },
    func: () => {
      const host = document.querySelector('ai-policy-guard-banner');
      const root = host && (typeof chrome !== 'undefined' && chrome.dom ? chrome.dom.openOrClosedShadowRoot(host) : host.openOrClosedShadowRoot);
      const note = root && root.querySelector('.hint');
      if (!note || note.hidden) return null;
      const at = (label) => {
        const b = [...note.querySelectorAll('button')].find((n) => n.textContent === label);
        if (!b) return null;
        const r = b.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      };
      return { text: note.querySelector('.head').textContent, choose: at('Choose yours'), never: at("Don't show this again") };
    },
  });
  return result ? result.result : null;
}`;

interface NoteSeen {
  text: string;
  choose: { x: number; y: number };
  never: { x: number; y: number };
}

/** The content script asks once per page load; give a page that should NOT show it as long as one that does. */
const SETTLE_MS = 1_500;

describe.skipIf(!chromium.found)('Chromium: the note before any profile is chosen', () => {
  let site: CountingServer;
  let chatgpt: HostServer;
  let b: ProfileBrowser;
  const note = (pattern: string) => b.inWorker(new Function(`return (${readNote(pattern)})(chrome)`) as () => Promise<NoteSeen | null>);
  const waitForNote = async (pattern: string): Promise<NoteSeen> => {
    let seen: NoteSeen | null = null;
    await expect.poll(async () => (seen = await note(pattern)) !== null, { timeout: 10_000 }).toBe(true);
    return seen!;
  };
  const noNote = async (page: Page, pattern: string): Promise<void> => {
    await page.waitForLoadState('load');
    await page.waitForTimeout(SETTLE_MS);
    expect(await note(pattern)).toBeNull();
  };

  beforeAll(async () => {
    assertBuilt();
    [site, chatgpt] = await Promise.all([startSiteServer(), startHostServer(CHATGPT, { tls: true })]);
    b = await launchChromium({ executablePath: chromium.path, defaultPort: site.port, hostMap: { [CHATGPT]: chatgpt.port } });
    await b.worker();
  });

  afterAll(async () => {
    await b?.close();
    await Promise.all([site, chatgpt].map((s) => s?.close()));
  });

  it('DeepSeek with no profile on: it loads, the note counts the organizations, once per session', async () => {
    site.reset();
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL);
    expect(await page.title()).toBe('chat.deepseek.com');
    expect(site.requests('chat.deepseek.com')).toBe(1);
    expect((await waitForNote('*://chat.deepseek.com/*')).text).toBe(noteFor('DeepSeek', 'deepseek'));

    // Once per service per browser session: the same service again shows nothing.
    await page.reload();
    await noNote(page, '*://chat.deepseek.com/*');
    await page.close();
  });

  it('"Choose yours" opens the profile list', async () => {
    // A new session for DeepSeek is not needed: claude.ai has not shown it yet.
    const page = await b.context.newPage();
    await page.goto(CLAUDE_URL);
    const seen = await waitForNote('*://claude.ai/*');
    expect(seen.text).toBe(noteFor('Claude', 'claude'));
    const opened = b.context.waitForEvent('page');
    await page.mouse.click(seen.choose.x, seen.choose.y);
    const options = await opened;
    await options.waitForURL((u) => u.href === b.extensionUrl('src/pages/options/index.html#profiles'));
    await options.locator('#profiles input[type=checkbox]').first().waitFor({ state: 'attached', timeout: 10_000 });
    expect(await note('*://claude.ai/*')).toBeNull();
    await options.close();
    await page.close();
  });

  it('not shown once a profile is on, nor after "Don\'t show this again"', async () => {
    // LG U+ restricts DeepSeek only: with it on, ChatGPT (never noted yet) shows no note.
    (await setProfileInPopup(b, 'lg-uplus')).close();
    const page = await b.context.newPage();
    await page.goto(`https://${CHATGPT}/`);
    await noNote(page, `*://${CHATGPT}/*`);
    await (await setProfileInPopup(b, 'lg-uplus', false)).close();

    // With no profile again, the open ChatGPT tab is checked again (tabs already
    // open are) and shows the note, once: a service not yet noted in this session.
    // "Don't show this again" ends it for every service.
    await page.bringToFront();
    const seen = await waitForNote(`*://${CHATGPT}/*`);
    await page.mouse.click(seen.never.x, seen.never.y);
    await expect.poll(() => note(`*://${CHATGPT}/*`)).toBeNull();
    const settings = await b.inWorker(async () => (await (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, { profileHintOff?: boolean }>> } } } }).chrome.storage.local.get('settings')).settings);
    expect(settings?.profileHintOff).toBe(true);
    expect(chatgpt.requests(CHATGPT)).toBeGreaterThan(0);
    await page.close();
  });
});

describe.skipIf(!firefox.found)('Firefox: the note before any profile is chosen', () => {
  let site: CountingServer;
  let ff: FirefoxExtension;
  const note = (pattern: string) => ff.ext(new Function('api', `return (${readNote(pattern)})(api)`) as (api: unknown) => Promise<NoteSeen | null>);

  beforeAll(async () => {
    site = await startSiteServer();
    ff = await launchFirefox({ executablePath: firefox.path, proxyPort: site.port });
    await ff.ext((api) => api.runtime.sendMessage({ kind: 'getSettings', request: {} }));
  }, 60_000);

  afterAll(async () => {
    await ff?.close();
    await site?.close();
  });

  it('DeepSeek with no profile on loads with the note, once; "Choose yours" opens the profile list', async () => {
    site.reset();
    const page = await ff.newWebPage();
    await ff.navigate(page, DEEPSEEK_URL);
    expect(site.requests('chat.deepseek.com')).toBe(1);
    let seen: NoteSeen | null = null;
    for (let i = 0; i < 40 && seen === null; i += 1) {
      seen = await note('*://chat.deepseek.com/*');
      if (seen === null) await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen?.text).toBe(noteFor('DeepSeek', 'deepseek'));

    const before = (await ff.browser.pages()).length;
    await page.mouse.click(seen!.choose.x, seen!.choose.y);
    let hrefs: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const pages = await ff.browser.pages();
      hrefs = await Promise.all(pages.map((p) => ff.href(p)));
      if (pages.length > before && hrefs.includes(ff.extensionUrl('src/pages/options/index.html#profiles'))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(hrefs).toContain(ff.extensionUrl('src/pages/options/index.html#profiles'));

    // Once per service per session.
    await page.goto(START_URL);
    await ff.navigate(page, DEEPSEEK_URL);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    expect(await note('*://chat.deepseek.com/*')).toBeNull();
    expect(site.requests('chat.deepseek.com')).toBe(2);
    await page.close();
  });
});
