/**
 * Hostile fragments on the interstitial in real Chromium (Firefox runs the same
 * cases in firefox.e2e.ts): javascript: and data: URLs, markup, 100 KB strings,
 * addresses no policy matches. No payload may run script (a window marker,
 * dialogs, console), inject elements, or lead anywhere but the matched http(s)
 * URL: every way out of the page (Go back, proceed, links) is checked.
 *
 * Then a hostile page on a catalog host, and a content-script context it could
 * take over, against what decides and draws the warning: in Chromium the
 * content script can neither read nor write storage.local, and the page can
 * neither see nor cancel the navigation that sends it to the warning (Navigation
 * API preventDefault); in Firefox, where content scripts can write storage.local,
 * the verdict table is kept in storage.session, which a content script can
 * neither read nor write, and a forged table it writes to storage.local (its
 * own approved alternative and words, the real key) is not drawn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumForSuite, launchChromium, type ChromeApi, type ProfileBrowser } from './harness/chromium';
import { firefoxForSuite, launchFirefox, until, type FirefoxApi, type FirefoxExtension } from './harness/firefox';
import { startSiteServer, UNRELATED_HOST, type CountingServer } from './harness/server';
import { BANNED_URL, hostileCases } from './harness/hostile';
import { isInterstitial, proceedPastInterstitial, setProfileInPopup, waitForInterstitial } from './harness/ui';

const DEEPSEEK = new URL(BANNED_URL).host;
const START = `http://${UNRELATED_HOST}/`;
const KB = 'kb-financial-group';

const discovery = chromiumForSuite();

type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

/** What the rendered page holds that a payload could have put there. */
function pageState(page: Page) {
  return page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: number }).__pwned ?? 0,
    inlineScripts: document.querySelectorAll('script:not([src])').length,
    injected: document.querySelectorAll('#content img, #content svg, #content iframe, #content object, #content embed, #content script').length,
    wayForward: document.querySelector('#proceed-details, #continue-button') !== null,
    links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
  }));
}

describe.skipIf(!discovery.found)('Chromium, hostile input to the interstitial', () => {
  let site: CountingServer;
  let b: ProfileBrowser;

  beforeAll(async () => {
    site = await startSiteServer();
    b = await launchChromium({ executablePath: discovery.path, defaultPort: site.port });
  });

  afterAll(async () => {
    await b?.close();
    await site?.close();
  });

  it('no payload runs script, injects markup or leads anywhere but the matched http(s) URL', async () => {
    await (await setProfileInPopup(b, KB)).close();
    const page = await b.context.newPage();
    const dialogs: string[] = [];
    const consoleLines: string[] = [];
    const pageErrors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => consoleLines.push(m.text()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // A marker on every document before its own scripts run: a payload that ran flips it.
    await page.addInitScript(() => {
      Object.defineProperty(window, '__pwned', { value: 0, writable: true });
    });

    const origin = b.extensionUrl('');
    let proceeded = 0;
    // The proceedable cases last: the site they reach may still be fetching its favicon afterwards.
    const cases = [...hostileCases()].sort((x, y) => Number(x.proceedable) - Number(y.proceedable));
    for (const c of cases) {
      site.reset();
      await page.goto(START);
      await page.goto(b.interstitialUrl(c.fragment));
      await page.waitForFunction(() => document.getElementById('main')?.getAttribute('aria-busy') === null, undefined, { timeout: 10_000 });
      const state = await pageState(page);
      expect(state.pwned, c.name).toBe(0);
      expect(state.inlineScripts, c.name).toBe(0);
      expect(state.injected, c.name).toBe(0);
      expect(state.wayForward, `${c.name}: a way forward only for the banned URL`).toBe(c.proceedable);
      // Every link on the page is http(s) or the extension's own page, never javascript:/data:.
      for (const href of state.links) {
        const scheme = new URL(href).protocol;
        expect(href.startsWith(origin) || scheme === 'http:' || scheme === 'https:', `${c.name}: link ${href.slice(0, 80)}`).toBe(true);
      }
      // Asked directly, the background refuses to open anything a policy did not match.
      const reply = (await page.evaluate(
        (u) =>
          (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({
            kind: 'proceedAnyway',
            request: { url: u, acknowledged: true, statement: 'responsibility' },
          }),
        c.fragment,
      )) as Reply<{ url: string }>;
      if (c.proceedable) {
        expect(reply.ok, c.name).toBe(true);
        const expected = new URL(reply.ok ? reply.data.url : 'x:');
        expect([expected.protocol, expected.host], c.name).toEqual(['http:', DEEPSEEK]);
        await proceedPastInterstitial(b, page);
        expect(page.url(), c.name).toBe(expected.href);
        // The page itself, once (the stand-in answers 404 there, so Chromium also asks for /favicon.ico).
        expect(site.requests(DEEPSEEK, expected.pathname), `${c.name}: exactly the proceed request`).toBe(1);
        proceeded += 1;
      } else {
        expect(reply.ok, `${c.name}: proceedAnyway refused`).toBe(false);
        // Go back is the only way out: back to the page the person came from.
        await page.locator('#go-back').press('Enter');
        await page.waitForURL(START, { timeout: 10_000 });
        expect(site.requests(DEEPSEEK), `${c.name}: nothing reached the banned host`).toBe(0);
      }
      expect(isInterstitial(b, page.url()), `${c.name}: left the interstitial`).toBe(false);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0), c.name).toBe(0);
    }
    expect(proceeded, 'the proceedable case was exercised').toBe(1);
    expect(dialogs).toEqual([]);
    expect(consoleLines.filter((l) => l.includes('PWNED'))).toEqual([]);
    expect(pageErrors).toEqual([]);
    console.log(`hostile fragments (Chromium): ${hostileCases().length} cases, 0 scripts run, 0 dialogs, ${proceeded} proceed to the matched URL`);
    await page.close();
  });
});

/** A catalog host that KB Financial Group does not stop: its pages load, with the content script in them. */
const ALLOWED_CATALOG_URL = 'http://claude.ai/';
const FORGED_URL = 'https://forged.example/';
const FORGED_WORDS = 'Forged words';

/** The content script's own API, as a page's exploit of its renderer would have it. */
interface ContentChrome {
  storage?: { local?: { get(key: string): Promise<unknown>; set(items: Record<string, unknown>): Promise<void> } };
}

interface WorkerChrome extends ChromeApi {
  tabs: {
    query(q: { url: string }): Promise<{ id?: number }[]>;
    sendMessage(tabId: number, message: unknown): Promise<unknown>;
  };
  scripting: {
    executeScript<T>(o: { target: { tabId: number }; func: () => Promise<T> }): Promise<{ result?: T }[]>;
  };
  storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
}

describe.skipIf(!discovery.found)('Chromium, a hostile page on a catalog host', () => {
  let site: CountingServer;
  let b: ProfileBrowser;

  beforeAll(async () => {
    site = await startSiteServer();
    b = await launchChromium({ executablePath: discovery.path, defaultPort: site.port });
  });

  afterAll(async () => {
    await b?.close();
    await site?.close();
  });

  it('cannot see or cancel the navigation that sends its tab to the warning', async () => {
    // DeepSeek loads while no profile is on; the page then watches every navigation and cancels what it can.
    const page = await b.context.newPage();
    const seen: { url: string; cancelable: boolean }[] = [];
    await page.exposeFunction('reportNavigate', (url: string, cancelable: boolean) => void seen.push({ url, cancelable }));
    await page.goto(BANNED_URL);
    await page.evaluate(() => {
      const w = window as unknown as { navigation: EventTarget; reportNavigate(url: string, cancelable: boolean): void };
      w.navigation.addEventListener('navigate', (event) => {
        const e = event as Event & { destination: { url: string } };
        w.reportNavigate(e.destination.url, e.cancelable);
        e.preventDefault();
      });
    });
    // KB is turned on behind the rules' back (no rule sync, no re-check of open tabs), and
    // the content script is asked to check again: only its backstop can move the tab.
    await b.inWorker(async () => {
      const chrome = (globalThis as unknown as { chrome: WorkerChrome }).chrome;
      const { settings } = await chrome.storage.local.get('settings');
      // The settings as the extension stores them (none are stored before the first change).
      const defaults = { version: 2, proceedMinutes: 15, onboarded: true, activityLog: true, uiLanguage: 'browser' };
      await chrome.storage.local.set({ settings: { ...defaults, ...(settings as object | undefined), enabledOrganizations: ['kb-financial-group'] } });
      const [tab] = await chrome.tabs.query({ url: 'http://chat.deepseek.com/*' });
      await chrome.tabs.sendMessage(tab!.id!, { kind: 'recheck' });
    });
    await waitForInterstitial(b, page).catch(() => {
      throw new Error(`the page kept its tab on ${page.url()}; it saw ${JSON.stringify(seen)}`);
    });
    await page.locator(`.citation[data-organization-id="${KB}"]`).waitFor({ state: 'visible', timeout: 10_000 });
    expect(seen.filter((s) => s.url.startsWith('chrome-extension:')), 'the page saw no extension address').toEqual([]);
    // A warning the backstop reached stays one when reloaded.
    await page.reload();
    await waitForInterstitial(b, page);
    await page.locator(`.citation[data-organization-id="${KB}"]`).waitFor({ state: 'visible', timeout: 10_000 });
    expect(site.requests(DEEPSEEK), 'only the page load before the profile').toBe(1);
    await page.close();
  });

  it('a content script can neither read nor write storage.local; the worker still can', async () => {
    await b.enableProfile(KB);
    const page = await b.context.newPage();
    await page.goto(ALLOWED_CATALOG_URL);
    // What a page that took over its content script could do with storage.local.
    const attempt = await b.inWorker(async () => {
      const chrome = (globalThis as unknown as { chrome: WorkerChrome }).chrome;
      const [tab] = await chrome.tabs.query({ url: 'http://claude.ai/*' });
      const [injected] = await chrome.scripting.executeScript({
        target: { tabId: tab!.id! },
        func: async () => {
          const local = (globalThis as unknown as { chrome: ContentChrome }).chrome.storage?.local;
          const tryIt = async (f: () => Promise<unknown>) => {
            try {
              await f();
              return 'allowed';
            } catch {
              return 'refused';
            }
          };
          if (!local) return { read: 'refused', write: 'refused' };
          return {
            read: await tryIt(() => local.get('verdictTable')),
            write: await tryIt(() => local.set({ verdictTable: { key: 'forged', services: [], verdicts: {}, page: {} } })),
          };
        },
      });
      return injected?.result;
    });
    expect(attempt).toEqual({ read: 'refused', write: 'refused' });
    const stored = await b.inWorker(async () => {
      const chrome = (globalThis as unknown as { chrome: WorkerChrome }).chrome;
      const { settings, verdictTable } = { ...(await chrome.storage.local.get('settings')), ...(await chrome.storage.local.get('verdictTable')) };
      return { enabled: (settings as { enabledOrganizations?: string[] }).enabledOrganizations, key: (verdictTable as { key?: string } | undefined)?.key };
    });
    expect(stored.enabled, 'the worker reads storage.local').toEqual([KB]);
    expect(stored.key, 'the stored table is the extension\'s').not.toBe('forged');
    await page.close();
  });
});

const firefox = firefoxForSuite('hostile e2e');

describe.skipIf(!firefox.found)('Firefox, a hostile page on a catalog host', () => {
  let site: CountingServer;
  let ff: FirefoxExtension;

  beforeAll(async () => {
    site = await startSiteServer();
    ff = await launchFirefox({ executablePath: firefox.path, proxyPort: site.port });
  });

  afterAll(async () => {
    await ff?.close();
    await site?.close();
  });

  it('a content script finds no storage.session, and a table it forges in storage.local is not drawn: no link, no words of its own', async () => {
    const reply = (await ff.ext((api, arg) => api.runtime.sendMessage({ kind: 'setProfileEnabled', request: arg }), { organizationId: KB, enabled: true })) as Reply<unknown>;
    expect(reply.ok).toBe(true);
    await ff.waitForRules((r) => r.length > 0, 'KB rules');
    const keyOf = (href: string) => new URL(href).searchParams.get('v');
    const rulesKey = await until('the session table under the rules\' key', 15_000, () =>
      ff.ext(async (api) => {
        const rules = await api.declarativeNetRequest.getDynamicRules();
        const redirect = rules.map((r) => (r.action as { redirect?: { regexSubstitution?: string } }).redirect?.regexSubstitution).find((x) => x !== undefined);
        const key = /\?v=([0-9a-z]+)#/.exec(redirect ?? '')?.[1];
        const table = (await api.storage.session.get('verdictTable')).verdictTable as { key?: string } | undefined;
        return key !== undefined && table?.key === key ? key : undefined;
      }),
    );
    const page = await ff.newWebPage();
    await ff.navigate(page, ALLOWED_CATALOG_URL);
    // From inside the content script's world of that page: storage.session, then storage.local with
    // the extension's own table (read here, as a page could at best guess it) made the forger's: every
    // approved alternative and custom message its own, the key kept.
    const attempt = await ff.ext(
      async (api, arg) => {
        const ext = api as unknown as FirefoxApi & {
          tabs: { query(q: { url: string }): Promise<{ id?: number }[]> };
          scripting: { executeScript(o: { target: { tabId: number }; func: (...a: string[]) => unknown; args: string[] }): Promise<{ result?: unknown }[]> };
        };
        const table = (await ext.storage.session.get('verdictTable')).verdictTable;
        let replaced = 0;
        const walk = (value: unknown): void => {
          if (value === null || typeof value !== 'object') return;
          const record = value as Record<string, unknown>;
          for (const key of Object.keys(record)) {
            if (key === 'approvedAlternative') {
              record[key] = { url: arg.url, label: { en: 'Forged assistant', ko: 'Forged assistant' } };
              replaced += 1;
            } else if (key === 'customMessage') {
              record[key] = { en: arg.words, ko: arg.words };
              replaced += 1;
            } else walk(record[key]);
          }
        };
        walk(table);
        const [tab] = await ext.tabs.query({ url: 'http://claude.ai/*' });
        const [injected] = await ext.scripting.executeScript({
          target: { tabId: tab!.id! },
          args: [JSON.stringify(table)],
          func: async (forged: string) => {
            const storage = (globalThis as unknown as { browser: { storage: Record<string, { get(k: string): Promise<unknown>; set(i: object): Promise<void> } | undefined> } }).browser.storage;
            const tryIt = async (f: () => Promise<unknown>) => {
              try {
                await f();
                return 'allowed';
              } catch {
                return 'refused';
              }
            };
            const session = storage.session;
            const local = storage.local!;
            return {
              sessionRead: session ? await tryIt(() => session.get('verdictTable')) : 'absent',
              sessionWrite: session ? await tryIt(() => session.set({ verdictTable: JSON.parse(forged) })) : 'absent',
              localWrite: await tryIt(() => local.set({ verdictTable: JSON.parse(forged) })),
            };
          },
        });
        return { replaced, ...(injected?.result as { sessionRead: string; sessionWrite: string; localWrite: string }) };
      },
      { url: FORGED_URL, words: FORGED_WORDS },
    );
    expect(attempt.replaced, 'the forgery changed the approved alternative or the words').toBeGreaterThan(0);
    expect(attempt.sessionRead, 'a content script cannot read storage.session').not.toBe('allowed');
    expect(attempt.sessionWrite, 'a content script cannot write storage.session').not.toBe('allowed');
    expect(attempt.localWrite, 'the content script could write storage.local (Firefox has no access level)').toBe('allowed');
    console.log(`Firefox content script: storage.session read ${attempt.sessionRead}, write ${attempt.sessionWrite}; storage.local write ${attempt.localWrite}`);
    const stored = await ff.ext(async (api) => {
      const keyOf = (v: unknown) => (v as { key?: string } | undefined)?.key ?? null;
      const session = (await api.storage.session.get('verdictTable')).verdictTable;
      return { session: keyOf(session), sessionForged: JSON.stringify(session).includes('Forged'), local: keyOf((await api.storage.local.get('verdictTable')).verdictTable) };
    });
    expect(stored, 'the forgery sits in storage.local under the real key; the session table is untouched').toEqual({ session: rulesKey, sessionForged: false, local: rulesKey });

    /** DeepSeek from the hostile tab: what the warning draws. */
    const visit = async () => {
      await ff.navigate(page, BANNED_URL, (h) => h.startsWith(ff.interstitialUrl()));
      await page.waitForSelector(`.citation[data-organization-id="${KB}"]`, { timeout: 10_000 });
      await page.waitForFunction(() => document.documentElement.dataset.verdictFrom !== undefined, { timeout: 10_000 });
      const drawn = await page.evaluate(() => ({
        links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
        text: document.body.innerText,
        from: document.documentElement.dataset.verdictFrom,
        href: location.href,
      }));
      expect(drawn.links.filter((href) => href.startsWith(FORGED_URL))).toEqual([]);
      expect(drawn.text).not.toContain(FORGED_WORDS);
      expect(keyOf(drawn.href), 'the redirect named the key the forgery kept').toBe(rulesKey);
      await ff.navigate(page, ALLOWED_CATALOG_URL);
      return drawn.from;
    };
    // With the extension's table in storage.session, the page draws from it.
    expect(await visit(), 'the verdict came from the session table').toBe('table');
    // With none there (a sync that could not write it removes the table and its key), the page asks the background, not storage.local.
    await ff.ext((api) => (api as unknown as { storage: { session: { remove(k: string[]): Promise<void> } } }).storage.session.remove(['verdictTable', 'verdictTableKey']));
    expect(await visit(), 'the verdict came from the background').toBe('background');
    expect(site.requests(DEEPSEEK)).toBe(0);
    await page.close();
  });
});
