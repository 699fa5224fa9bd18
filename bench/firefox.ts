/**
 * Requests that reached the banned host before the warning, in Firefox ESR
 * with dist/firefox installed as a temporary add-on, driven by puppeteer-core
 * over WebDriver BiDi (recipe: /work/shared/notes/browser-testing.md). The
 * local server is Firefox's HTTP proxy, so every host reaches it and requests
 * are counted per Host header (connections all go to the proxy and say nothing
 * about a host, so they are not counted here). Each run navigates from a web
 * page (start.test) by setting location.href, as a link would. The control
 * visit is made with the extension installed but no profile on.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { launchFirefox } from '../tests/e2e/harness/firefox';
import { startSiteServer } from '../tests/e2e/harness/server';
import { DIST_CHROME, DIST_FIREFOX, ensureFreshBuild, firefoxPath, INTERSTITIAL_PATH, pageFiles } from './browser/dist';
import { benchRoutes, START_HOST } from './browser/pages';
import { figureLine, seriesFigure } from './figures';
import type { BenchModuleResult } from './run';

const RUNS = 20;
const BANNED_HOST = 'chat.deepseek.com';
const PROFILE = 'kb-financial-group';

export async function runFirefoxBench(): Promise<BenchModuleResult> {
  const name = 'requests to the banned host (Firefox)';
  const executable = firefoxPath();
  if (!existsSync(executable)) {
    const line = `skipped: Firefox not found at ${executable} (apt-get install firefox-esr, or set FIREFOX_PATH)`;
    return { name, figures: [], lines: [line], notes: [line] };
  }
  const build = ensureFreshBuild();
  if (!build.usable) return { name, figures: [], lines: [`skipped: ${build.note}`], notes: [build.note] };

  const proxy = await startSiteServer(benchRoutes(DIST_CHROME, pageFiles(DIST_CHROME, INTERSTITIAL_PATH)));
  const ff = await launchFirefox({ executablePath: executable, proxyPort: proxy.port, dist: DIST_FIREFOX, startUrl: `http://${START_HOST}/` });
  try {
    const version = await ff.browser.version();
    const page: Page = await ff.newWebPage();
    // Control: before a profile is on, a visit does reach the counter.
    await ff.navigate(page, `http://${BANNED_HOST}/`, (h) => h.startsWith(`http://${BANNED_HOST}/`));
    const control = proxy.requests(BANNED_HOST);

    const ruleCount = await ff.ext(async (api, id) => {
      const reply = (await api.runtime.sendMessage({ kind: 'setProfileEnabled', request: { organizationId: id, enabled: true } })) as { ok: boolean; error?: string };
      if (!reply.ok) throw new Error(`setProfileEnabled: ${reply.error}`);
      return (await api.declarativeNetRequest.getDynamicRules()).length;
    }, PROFILE);

    proxy.reset();
    // Without a fragment: the redirect adds the verdict table's key (?v=…) before it.
    const interstitial = ff.interstitialUrl();
    const requests: number[] = [];
    for (let r = 0; r < RUNS; r += 1) {
      await ff.navigate(page, `http://${START_HOST}/?run=${r}`, (h) => h.startsWith(`http://${START_HOST}/`));
      const before = proxy.requests(BANNED_HOST);
      await ff.navigate(page, `http://${BANNED_HOST}/c/${r}`, (h) => h.startsWith(interstitial));
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
          `control before a profile was on: 1 visit → ${control} request(s) counted; ${ruleCount} DNR rules`,
      ),
    ];
    return { name, figures, lines: figures.map(figureLine), notes: [build.note] };
  } finally {
    await ff.close();
    await proxy.close();
  }
}
