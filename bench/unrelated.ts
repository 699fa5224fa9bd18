/**
 * The cost of the extension on a site no policy names (unrelated.test: a
 * 20 KB page with 11 sub-resources on a local server), with a profile on.
 *
 * Load time: the page's own navigation timing (loadEventEnd, ms after
 * navigation start) in one Chromium with dist/chrome loaded, switched off and
 * on between blocks of loads by a small helper extension (chrome.management),
 * so "with" and "without" share the browser process, profile, caches and
 * machine load (two browsers side by side differed by more than the 2% goal
 * on their own). A run is a block of LOADS loads with the extension on and
 * one with it off, in alternating order, each after a discarded settling
 * load; its figure is the ratio of the two blocks' medians.
 *
 * What runs there: content-script worlds the extension creates in the page
 * (CDP Runtime.executionContextCreated with auxData.type 'isolated' and an
 * extension origin; Playwright's own utility world has no such origin) and
 * service-worker wake-ups caused by loading it (the worker is stopped first; a
 * listener that fired on the navigation would have started it). A control
 * counts the same on a catalog host before the profile is on, where the
 * content script must show up, so a zero means something.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, type ProfileBrowser } from '../tests/e2e/harness/chromium';
import { startSiteServer } from '../tests/e2e/harness/server';
import { chromiumForBench, DIST_CHROME, INTERSTITIAL_PATH, pageFiles } from './browser/dist';
import { benchRoutes, UNRELATED_HOST } from './browser/pages';
import { figureLine, median, seriesFigure, sleep, until } from './figures';
import type { BenchFigure, BenchModuleResult } from './run';

const RUNS = 21;
const LOADS = 5;
const SWITCH_WORKER = 'bench-switch.js';

/** An extension with the `management` permission, whose page switches ours off and on. */
function writeSwitchExtension(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-switch-'));
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name: 'Bench helper: extension switch', version: '1.0.0', permissions: ['management'], background: { service_worker: SWITCH_WORKER } }),
  );
  // A worker only so the browser announces the helper's id.
  writeFileSync(path.join(dir, SWITCH_WORKER), 'chrome.runtime.onInstalled.addListener(() => undefined);\n');
  return dir;
}
const PROBE_LOADS = 5;
const CATALOG_HOST = 'chat.deepseek.com';
const PROFILE = 'kb-financial-group';

/** ms from navigation start to the end of the load event. */
async function loadTime(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' });
  // A string, not a function: tsx names inner functions with a `__name` helper the page does not have.
  const handle = await page.waitForFunction(
    `(() => { const nav = performance.getEntriesByType('navigation')[0]; return nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : 0; })()`,
    undefined,
    { polling: 5, timeout: 10_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** Counts extension content-script worlds created in a page while `body` navigates it. */
async function countExtensionWorlds(context: BrowserContext, page: Page, body: () => Promise<void>): Promise<number> {
  const cdp = await context.newCDPSession(page);
  let worlds = 0;
  cdp.on('Runtime.executionContextCreated', (event) => {
    const { origin, auxData } = event.context as { origin: string; auxData?: { type?: string } };
    if (auxData?.type === 'isolated' && origin.startsWith('chrome-extension://')) worlds += 1;
  });
  await cdp.send('Runtime.enable');
  try {
    await body();
    await sleep(200); // a document_idle script would come after load
  } finally {
    await cdp.detach();
  }
  return worlds;
}

export async function runUnrelatedBench(): Promise<BenchModuleResult> {
  const name = 'cost on unrelated sites (Chromium)';
  const ready = chromiumForBench(name);
  if ('skipped' in ready) return ready.skipped;
  const { executable, build } = ready;

  const site = await startSiteServer(benchRoutes(DIST_CHROME, pageFiles(DIST_CHROME, INTERSTITIAL_PATH)));
  const hostMap = { [UNRELATED_HOST]: site.port, [CATALOG_HOST]: site.port };
  const switchDir = writeSwitchExtension();
  let a: ProfileBrowser | undefined;
  try {
    a = await launchChromium({ executablePath: executable, dist: DIST_CHROME, extraExtensions: [switchDir], hostMap });
    const { context } = a;
    const isSwitch = (w: { url(): string }) => w.url().endsWith(`/${SWITCH_WORKER}`);
    const switchWorker = context.serviceWorkers().find(isSwitch) ?? (await context.waitForEvent('serviceworker', { predicate: isSwitch, timeout: 15_000 }));
    const switchPage = await context.newPage();
    await switchPage.goto(`chrome-extension://${new URL(switchWorker.url()).host}/manifest.json`, { waitUntil: 'load' });
    const ourId = a.extensionId;
    const setEnabled = async (enabled: boolean): Promise<void> => {
      await switchPage.evaluate(`chrome.management.setEnabled(${JSON.stringify(ourId)}, ${enabled})`);
      await until(`the extension to be ${enabled ? 'on' : 'off'}`, 10_000, async () =>
        (await switchPage.evaluate(`chrome.management.get(${JSON.stringify(ourId)}).then((e) => e.enabled)`)) === enabled ? true : undefined,
      );
      // Switched on, the worker starts and rebuilds its rules. Let it finish, then stop it: most of
      // the time an installed extension's worker is stopped (Chromium stops it after 30 s idle), and a
      // start-up burning CPU beside the timed loads is not what a visit to another site costs.
      // Both directions wait the same, so the switching itself favours neither block.
      if (enabled) await until('the worker to start after switching on', 5_000, async () => ((await a!.workerRunning()) ? true : undefined)).catch(() => undefined);
      await sleep(600);
      if (await a!.workerRunning()) await a!.stopWorker();
      await sleep(100);
    };
    const pa = await context.newPage();

    // Control: the content script is seen where it is meant to run.
    const control = await countExtensionWorlds(context, pa, async () => {
      await pa.goto(`http://${CATALOG_HOST}/`, { waitUntil: 'load' });
    });
    // Off the catalog host first: turning the profile on sends open tabs there to the
    // interstitial, and switching the extension off closes the tabs of its pages.
    await pa.goto(`http://${UNRELATED_HOST}/`, { waitUntil: 'load' });
    await a.enableProfile(PROFILE);

    const ratios: number[] = [];
    const timesOn: number[] = [];
    const timesOff: number[] = [];
    let enabled = true;
    const block = async (on: boolean, tag: string): Promise<number[]> => {
      if (enabled !== on) await setEnabled(on);
      enabled = on;
      await loadTime(pa, `http://${UNRELATED_HOST}/?${tag}&settle`);
      const times: number[] = [];
      for (let k = 0; k < LOADS; k += 1) times.push(await loadTime(pa, `http://${UNRELATED_HOST}/?${tag}&load=${k}`));
      return times;
    };
    for (let r = -1; r < RUNS; r += 1) {
      let on: number[];
      let off: number[];
      if (r % 2 === 0) {
        on = await block(true, `run=${r}&on`);
        off = await block(false, `run=${r}&off`);
      } else {
        off = await block(false, `run=${r}&off`);
        on = await block(true, `run=${r}&on`);
      }
      if (r < 0) continue;
      timesOn.push(...on);
      timesOff.push(...off);
      ratios.push(median(on) / median(off));
    }

    if (!enabled) await setEnabled(true);
    const rulesPage = await context.newPage();
    await rulesPage.goto(a.extensionUrl('manifest.json'), { waitUntil: 'load' });
    const rulesAtEnd = (await rulesPage.evaluate('chrome.declarativeNetRequest.getDynamicRules().then((r) => r.length)')) as number;
    await rulesPage.close();
    const probe = async (tag: string) => {
      for (let k = 0; k < PROBE_LOADS; k += 1) await pa.goto(`http://${UNRELATED_HOST}/?${tag}=${k}`, { waitUntil: 'load' });
    };
    const worldsWith = await countExtensionWorlds(context, pa, () => probe('probe'));
    let wakeUps = 0;
    for (let k = 0; k < PROBE_LOADS; k += 1) {
      if (await a.workerRunning()) await a.stopWorker();
      await pa.goto(`http://${UNRELATED_HOST}/?wake=${k}`, { waitUntil: 'load' });
      await sleep(200);
      if (await a.workerRunning()) wakeUps += 1;
    }
    await setEnabled(false);
    const worldsWithout = await countExtensionWorlds(context, pa, () => probe('probe-off'));

    const figures: BenchFigure[] = [
      seriesFigure(
        `page-load time on ${UNRELATED_HOST}, with the extension ÷ without`,
        '×',
        ratios,
        '≤ 1.02×',
        (v) => v <= 1.02,
        `loadEventEnd medians ${median(timesOn).toFixed(1)} ms with vs ${median(timesOff).toFixed(1)} ms without ` +
          `(${timesOn.length} loads each; the same browser, the extension switched off and on with chrome.management between blocks, ` +
          `its worker stopped as after an idle period, ${rulesAtEnd} dynamic DNR rules in place; ` +
          `a run = the ratio of the medians of ${LOADS} loads on and ${LOADS} off)`,
      ),
      {
        name: `content scripts and listeners that ran on ${UNRELATED_HOST}`,
        unit: 'count',
        median: worldsWith + wakeUps,
        min: worldsWith + wakeUps,
        max: worldsWith + wakeUps,
        runs: PROBE_LOADS,
        goal: '0',
        pass: worldsWith + wakeUps === 0,
        detail:
          `over ${PROBE_LOADS} loads: ${worldsWith} extension content-script worlds (${worldsWithout} with the extension off), ` +
          `${wakeUps} service-worker wake-ups from a stopped worker; control on ${CATALOG_HOST} before the profile was on: ` +
          `${control} content-script world(s) seen${control === 0 ? ' — THE COUNTER SAW NOTHING: treat the 0 above as unproven' : ''}`,
      },
    ];
    return { name, figures, lines: figures.map(figureLine), notes: [build.note] };
  } finally {
    await a?.close();
    await site.close();
    rmSync(switchDir, { recursive: true, force: true });
  }
}
