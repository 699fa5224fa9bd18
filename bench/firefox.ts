/**
 * Requests that reached the banned host before the warning, in Firefox ESR
 * with dist/firefox installed as a temporary add-on, driven by puppeteer-core
 * over WebDriver BiDi (recipe: /work/shared/notes/browser-testing.md). The
 * local server is Firefox's HTTP proxy, so every host reaches it and requests
 * are counted per Host header (connections all go to the proxy and say nothing
 * about a host, so they are not counted here). Each run navigates from a web
 * page (start.test) by setting location.href, as a link would.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import { DIST_CHROME, DIST_FIREFOX, ensureFreshBuild, firefoxPath, INTERSTITIAL_PATH, pageFiles } from './browser/dist';
import { benchRoutes, START_HOST } from './browser/pages';
import { startBenchServer } from './browser/server';
import { figureLine, seriesFigure, until } from './figures';
import type { BenchModuleResult } from './run';

const RUNS = 20;
const BANNED_HOST = 'chat.deepseek.com';
const PROFILE = 'kb-financial-group';
const GECKO_ID = 'ai-policy-guard@extension';

/** page.url() goes stale after a redirect to a moz-extension page; the document knows where it is. */
const hrefOf = (page: Page): Promise<string> => page.evaluate(() => location.href).catch(() => '');

async function navigate(page: Page, url: string, landed: (href: string) => boolean): Promise<string> {
  // page.goto never settles after a redirect to an extension page; location.href works from any page.
  await page.evaluate((u) => {
    location.href = u;
  }, url).catch(() => undefined);
  return until(`navigation to ${url}`, 15_000, async () => {
    const href = await hrefOf(page);
    return landed(href) ? href : undefined;
  });
}

export async function runFirefoxBench(): Promise<BenchModuleResult> {
  const name = 'requests to the banned host (Firefox)';
  const executable = firefoxPath();
  if (!existsSync(executable)) {
    const line = `skipped: Firefox not found at ${executable} (apt-get install firefox-esr, or set FIREFOX_PATH)`;
    return { name, figures: [], lines: [line], notes: [line] };
  }
  const build = ensureFreshBuild();
  if (!build.usable) return { name, figures: [], lines: [`skipped: ${build.note}`], notes: [build.note] };

  const proxy = await startBenchServer(benchRoutes(DIST_CHROME, pageFiles(DIST_CHROME, INTERSTITIAL_PATH)));
  const profileDir = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-ff-'));
  const uuid = randomUUID();
  const origin = `moz-extension://${uuid}/`;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: executable,
    headless: true,
    userDataDir: profileDir,
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.port,
      'network.proxy.allow_hijacking_localhost': true,
      'network.proxy.no_proxies_on': '',
      'dom.security.https_first': false,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
    },
  });
  try {
    const version = await browser.version();
    const page = await browser.newPage();
    // Control: before the profile is on, a visit does reach the counter.
    await navigate(page, `http://${BANNED_HOST}/`, (h) => h.startsWith(`http://${BANNED_HOST}/`));
    const control = proxy.requests(BANNED_HOST);

    await browser.installExtension(DIST_FIREFOX);
    // The extension opens its welcome page on install: an extension page with the full browser.* API.
    const extensionPage = await until('the extension welcome page', 20_000, async () => {
      for (const p of await browser.pages()) if ((await hrefOf(p)).startsWith(origin)) return p;
      return undefined;
    });
    const ruleCount = await extensionPage.evaluate(async (id) => {
      const api = (globalThis as unknown as {
        browser: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; error?: string }> }; declarativeNetRequest: { getDynamicRules(): Promise<unknown[]> } };
      }).browser;
      const reply = await api.runtime.sendMessage({ kind: 'setProfileEnabled', request: { organizationId: id, enabled: true } });
      if (!reply.ok) throw new Error(`setProfileEnabled: ${reply.error}`);
      return (await api.declarativeNetRequest.getDynamicRules()).length;
    }, PROFILE);

    proxy.reset();
    const interstitial = `${origin}${INTERSTITIAL_PATH}#`;
    const requests: number[] = [];
    for (let r = 0; r < RUNS; r += 1) {
      await navigate(page, `http://${START_HOST}/?run=${r}`, (h) => h.startsWith(`http://${START_HOST}/`));
      const before = proxy.requests(BANNED_HOST);
      await navigate(page, `http://${BANNED_HOST}/c/${r}`, (h) => h.startsWith(interstitial));
      // Wait for the warning to be filled in, so a late request would have had time to happen.
      await page.waitForSelector('#go-back', { visible: true, timeout: 10_000 });
      requests.push(proxy.requests(BANNED_HOST) - before);
    }
    const figures = [
      seriesFigure(
        `HTTP requests that reached ${BANNED_HOST} per blocked navigation (Firefox)`,
        'count',
        requests,
        '0',
        (v) => v === 0 && requests.every((n) => n === 0),
        `${version}; total ${requests.reduce((a, n) => a + n, 0)} over ${requests.length} navigations from a web page; ` +
          `control before the profile was on: 1 visit → ${control} request(s) counted; ${ruleCount} DNR rules`,
      ),
    ];
    return { name, figures, lines: figures.map(figureLine), notes: [build.note] };
  } finally {
    await browser.close().catch(() => undefined);
    await proxy.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}
