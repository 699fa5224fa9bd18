/**
 * Hostile fragments on the interstitial in real Chromium (Firefox runs the same
 * cases in firefox.e2e.ts): javascript: and data: URLs, markup, 100 KB strings,
 * addresses no policy matches. No payload may run script (a window marker,
 * dialogs, console), inject elements, or lead anywhere but the matched http(s)
 * URL: every way out of the page (Go back, proceed, links) is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumForSuite, launchChromium, type ChromeApi, type ProfileBrowser } from './harness/chromium';
import { startSiteServer, UNRELATED_HOST, type CountingServer } from './harness/server';
import { BANNED_URL, hostileCases } from './harness/hostile';
import { isInterstitial, proceedPastInterstitial, setProfileInPopup } from './harness/ui';

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
