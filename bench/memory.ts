/**
 * Memory of the extension's processes, against an extension that does the
 * least the same situations ask of any extension, in real Chromium and
 * Firefox, each pair of browsers side by side on the same local server. Memory
 * is not a timing, so all four browsers run at once (the module would take
 * about four times as long one after the other).
 *
 * What is counted: the processes that run the extension's code and pages.
 * - Chromium: every renderer started with `--extension-process` among the
 *   browser's descendants (the worker and the extension's pages run there).
 * - Firefox: the process Firefox names "WebExtensions" (/proc/<pid>/comm),
 *   where every add-on's background and pages run.
 * Each is read as PSS from /proc/<pid>/smaps_rollup (bench/processes.ts), RSS
 * beside it. One browser has our build (a profile on, the welcome tab closed);
 * the other the baseline: an extension whose background only answers messages
 * and whose one static rule redirects the same banned host to a script-free
 * copy of the interstitial (bench/warning.ts, writeFloorExtension).
 *
 * Before each reading in Chromium, every extension target (the worker, the
 * pages) is garbage-collected through CDP (HeapProfiler.collectGarbage), so
 * garbage not yet collected is not counted as growth; each target's live JS
 * heap (Runtime.getHeapUsage) is printed beside the process figure, which
 * tells the extension's own objects from what the renderer keeps for itself.
 * Firefox offers no such call to a WebDriver BiDi client (about:memory, whose
 * button minimizes memory, is refused to it), so its readings are as the
 * process stands.
 *
 * Three moments, each browser in the same state (a web tab, nothing else):
 * idle after start-up (each browser set up once, then started again on the
 * same profile, so nothing of the set-up, such as the welcome page, is in the
 * reading; the baseline's background also starts with the browser); with the warning open (ours: the interstitial drawn;
 * the baseline: its static page); and after N warnings (200 by default), each
 * one proceeded past through the page's own controls, the site left for the
 * web page and the exception ended from the options page (the baseline: N
 * visits to its static page, each left for the web page). The site is left
 * before the exception ends: ending it sends a tab still on the site back to
 * the warning (background/open-tabs.ts), which would race the next visit. Growth is
 * the last reading ÷ the reading after the first tenth of the warnings.
 * Ending an exception is accepted only from the popup or the options page, so
 * ours has its options page open during the warnings (closed before each
 * reading); the baseline has no such page, which the "after" ratio carries,
 * while the growth figure compares ours with itself.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Page as FxPage } from 'puppeteer-core';
import { freshProfileDir, launchChromium, type ProfileBrowser } from '../tests/e2e/harness/chromium';
import { launchFirefox, type FirefoxExtension } from '../tests/e2e/harness/firefox';
import { startSiteServer, type CountingServer } from '../tests/e2e/harness/server';
import { chromiumForBench, DIST_CHROME, DIST_FIREFOX, firefoxPath, INTERSTITIAL_PATH, pageFiles } from './browser/dist';
import { benchRoutes, START_HOST } from './browser/pages';
import { benchRounds, figureLine, sleep, until } from './figures';
import { commandLine, descendantsOf, processesMentioning, totalMemory } from './processes';
import type { BenchFigure, BenchModuleResult } from './run';
import { FLOOR_PAGE, writeFloorExtension } from './warning';

const BANNED_HOST = 'chat.deepseek.com';
const PROFILE = 'kb-financial-group';
/** Idle after start-up is a time, not an event: how long the browser sits before that reading. */
const IDLE_MS = 2_000;
const T0 = Date.now();
const BASELINE_GECKO_ID = 'bench-baseline@ai-policy-guard.test';

interface Reading {
  pss: number;
  rss: number;
  processes: number;
  /** Chromium: each extension target's live JS heap after the GC, bytes. */
  heaps?: { target: string; used: number }[];
}

interface Side {
  idle: Reading;
  warning: Reading;
  early: Reading;
  after: Reading;
}

const MB = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
const heapText = (r: Reading) =>
  r.heaps === undefined ? '' : `; live JS heap after GC: ${r.heaps.map((h) => `${h.target} ${(h.used / 1048576).toFixed(1)} MB`).join(', ') || 'no extension target running'}`;
const show = (r: Reading) => `${MB(r.pss)} PSS (${MB(r.rss)} RSS, ${r.processes} process${r.processes === 1 ? '' : 'es'}${heapText(r)})`;

function ratioFigure(name: string, ours: Reading, base: Reading, goal: string, pass: (v: number) => boolean | null, detail: string): BenchFigure {
  const v = ours.pss / base.pss;
  return { name, unit: '×', median: v, min: v, max: v, runs: 1, goal, pass: Number.isFinite(v) ? pass(v) : null, detail };
}

/** The four readings of one browser, driven through `steps`. */
async function readSide(steps: {
  read: () => Promise<Reading>;
  openWarning: () => Promise<void>;
  leaveWarning: () => Promise<void>;
  cycle: (i: number) => Promise<void>;
  beforeCycles?: () => Promise<void>;
  afterCycles?: () => Promise<void>;
  cycles: number;
  /** Named in the progress lines (stderr), so a slow or stuck side shows which. */
  label: string;
}): Promise<Side> {
  await sleep(IDLE_MS);
  const idle = await steps.read();
  await steps.openWarning();
  const warning = await steps.read();
  await steps.leaveWarning();
  const early = Math.max(1, Math.round(steps.cycles / 10));
  const run = async (from: number, to: number) => {
    await steps.beforeCycles?.();
    for (let i = from; i < to; i += 1) {
      await steps.cycle(i);
      if ((i + 1) % 50 === 0 || i + 1 === steps.cycles) process.stderr.write(`   memory · ${steps.label}: ${i + 1}/${steps.cycles} at ${((Date.now() - T0) / 1000).toFixed(0)} s\n`);
    }
    await steps.afterCycles?.();
  };
  await run(0, early);
  const earlyReading = await steps.read();
  await run(early, steps.cycles);
  const after = await steps.read();
  return { idle, warning, early: earlyReading, after };
}

/** The extension processes of the Chromium whose profile is `userDataDir`. */
function chromiumExtensionProcesses(userDataDir: string): number[] {
  const root = processesMentioning(`--user-data-dir=${userDataDir}`).find((pid) => !commandLine(pid).includes('--type='));
  if (root === undefined) throw new Error(`no Chromium browser process for ${userDataDir}`);
  return descendantsOf(root).filter((pid) => commandLine(pid).includes('--extension-process'));
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/**
 * Garbage-collects every extension target of `b` (service worker and pages)
 * through CDP, and returns each one's live JS heap afterwards. A session per
 * target, not flattened: Playwright's browser session relays its messages.
 */
async function collectExtensionGarbage(b: ProfileBrowser): Promise<{ target: string; used: number }[]> {
  const browser = b.context.browser();
  if (!browser) throw new Error('no browser handle for CDP');
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
    const heaps: { target: string; used: number }[] = [];
    for (const t of targetInfos.filter((x) => x.url.startsWith('chrome-extension://'))) {
      let sessionId: string;
      try {
        ({ sessionId } = (await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })) as { sessionId: string });
      } catch {
        continue; // gone meanwhile (a worker stopped, a page closed)
      }
      let next = 0;
      const call = (method: string) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const id = ++next;
          const timer = setTimeout(() => reject(new Error(`${method}: no answer from ${t.url}`)), 10_000);
          const onMessage = (event: { sessionId: string; message: string }) => {
            const reply = JSON.parse(event.message) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
            if (event.sessionId !== sessionId || reply.id !== id) return;
            cdp.off('Target.receivedMessageFromTarget', onMessage);
            clearTimeout(timer);
            if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
            else resolve(reply.result ?? {});
          };
          cdp.on('Target.receivedMessageFromTarget', onMessage);
          void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) }).catch(reject);
        });
      try {
        await call('HeapProfiler.collectGarbage');
        const usage = await call('Runtime.getHeapUsage');
        // 'worker', 'interstitial', 'options', or the baseline's page by its file name.
        const name = t.type === 'service_worker' ? 'worker' : new URL(t.url).pathname.replace(/^\/(src\/pages\/)?/, '').replace(/\/index\.html$|\.html$/, '');
        heaps.push({ target: name, used: Number(usage.usedSize) });
      } catch {
        // A target that went away between the list and the call has nothing left to count.
      } finally {
        await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      }
    }
    return heaps;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Chromium's reading: every extension target garbage-collected first, then the processes' PSS. */
async function chromiumReading(b: ProfileBrowser): Promise<Reading> {
  const heaps = await collectExtensionGarbage(b);
  return { ...totalMemory(chromiumExtensionProcesses(b.userDataDir)), heaps };
}

/** Firefox's "WebExtensions" process(es) under `root`. */
function firefoxExtensionProcesses(root: number): number[] {
  return descendantsOf(root).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'WebExtensions';
    } catch {
      return false;
    }
  });
}

// Strings, not functions: tsx names inner functions with a `__name` helper the page does not have.
const PROCEED = `(() => {
  const details = document.querySelector('#proceed-details');
  if (details) details.open = true;
  const ack = document.querySelector('#proceed-ack');
  if (ack && !ack.checked) ack.click();
  const button = document.querySelector('#proceed-button');
  if (!button || button.disabled) return false;
  button.click();
  return true;
})()`;
const WARNING_DRAWN = `!!document.querySelector('#go-back') && !!document.querySelector('.citation')`;
const endException = (api: string) => `${api}.runtime.sendMessage({ kind: 'endException', request: { serviceId: 'deepseek' } }).then((r) => r && r.ok)`;

async function chromiumSides(server: CountingServer, cycles: number, notes: string[]): Promise<{ ours: Side; base: Side } | null> {
  const ready = chromiumForBench('memory (Chromium)');
  if ('skipped' in ready) {
    notes.push(ready.skipped.lines[0] ?? 'Chromium skipped');
    return null;
  }
  const floorDir = writeFloorExtension(DIST_CHROME, { host: BANNED_HOST, worker: true });
  const hostMap = { [BANNED_HOST]: server.port, [START_HOST]: server.port };
  const browsers: ProfileBrowser[] = [];
  const dirs = [freshProfileDir(), freshProfileDir()];
  try {
    // Installed and set up, then the browser started again on the same profile: what runs at idle
    // after a start, with none of the set-up's pages (the welcome page, the popup) ever opened in it.
    const launchOurs = () => launchChromium({ executablePath: ready.executable, dist: DIST_CHROME, hostMap, userDataDir: dirs[0] });
    const launchBase = () =>
      launchChromium({ executablePath: ready.executable, withExtension: false, extraExtensions: [floorDir], hostMap, userDataDir: dirs[1] });
    const setUp = await launchOurs();
    await setUp.enableProfile(PROFILE);
    await setUp.close();
    await (await launchBase()).close();
    const ours = await launchOurs();
    browsers.push(ours);
    const base = await launchBase();
    browsers.push(base);
    const start = `http://${START_HOST}/`;
    const oursTab = await ours.context.newPage();
    const baseTab = await base.context.newPage();
    await Promise.all([oursTab.goto(start), baseTab.goto(start)]);
    for (const p of [...ours.context.pages(), ...base.context.pages()]) if (p !== oursTab && p !== baseTab) await p.close();

    const isOurWarning = (u: URL) => u.protocol === 'chrome-extension:' && u.pathname === `/${INTERSTITIAL_PATH}`;
    const isFloor = (u: URL) => u.protocol === 'chrome-extension:' && u.pathname === `/${FLOOR_PAGE}`;
    const showWarning = async (tab: Page, n: number, landed: (u: URL) => boolean, drawn: boolean) => {
      await tab.goto(`http://${BANNED_HOST}/c/${n}`, { waitUntil: 'commit' }).catch(() => undefined);
      await tab.waitForURL(landed, { timeout: 10_000 });
      // Polled with evaluate: waitForFunction's string form is refused by the extension page's CSP.
      if (drawn) await until('the warning to be drawn', 10_000, async () => ((await tab.evaluate(WARNING_DRAWN).catch(() => false)) ? true : undefined), 20);
      else await tab.waitForLoadState('load');
    };
    let options: Page | null = null;
    const before = server.requests(BANNED_HOST);
    // Memory is not a timing: the two sides (and the two browsers' families) run at the same time.
    const [oursSide, baseSide] = await Promise.all([
      readSide({
        cycles,
        label: 'Chromium, ours',
        read: () => chromiumReading(ours),
        openWarning: () => showWarning(oursTab, 0, isOurWarning, true),
        leaveWarning: async () => void (await oursTab.goto(start)),
        beforeCycles: async () => void (options = await ours.openOptions()),
        afterCycles: async () => {
          await options?.close();
          options = null;
        },
        cycle: async (i) => {
          await showWarning(oursTab, i + 1, isOurWarning, true);
          if (!(await oursTab.evaluate(PROCEED))) throw new Error('the proceed button stayed disabled');
          await oursTab.waitForURL((u) => u.host === BANNED_HOST, { timeout: 10_000 });
          // Off the site before the exception ends (else the background sends this tab back to the warning).
          await oursTab.goto(start);
          if (!(await options!.evaluate(endException('chrome')))) throw new Error('endException was refused');
        },
      }),
      readSide({
        cycles,
        label: 'Chromium, baseline',
        read: () => chromiumReading(base),
        openWarning: () => showWarning(baseTab, 0, isFloor, false),
        leaveWarning: async () => void (await baseTab.goto(start)),
        cycle: async (i) => {
          await showWarning(baseTab, i + 1, isFloor, false);
          await baseTab.goto(start);
        },
      }),
    ]);
    const proceeded = server.requests(BANNED_HOST) - before;
    notes.push(`Chromium: ${proceeded} request(s) reached ${BANNED_HOST} over ${cycles} proceeds (each proceed loads the site itself)`);
    return { ours: oursSide, base: baseSide };
  } finally {
    for (const b of browsers) await b.close();
    for (const dir of [floorDir, ...dirs]) rmSync(dir, { recursive: true, force: true });
  }
}

async function firefoxSides(server: CountingServer, cycles: number, notes: string[]): Promise<{ ours: Side; base: Side } | null> {
  const executable = firefoxPath();
  if (!existsSync(executable)) {
    notes.push(`Firefox skipped: not found at ${executable}`);
    return null;
  }
  const floorDir = writeFloorExtension(DIST_CHROME, { host: BANNED_HOST, worker: true, geckoId: BASELINE_GECKO_ID });
  const browsers: FirefoxExtension[] = [];
  const dirs = [mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-ff-')), mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-ff-'))];
  try {
    const startUrl = `http://${START_HOST}/`;
    // As in Chromium: set up, then started again on the same profile (the add-on installed in it).
    const launch = (dist: string, userDataDir: string, uuid: string) =>
      launchFirefox({ executablePath: executable, proxyPort: server.port, dist, startUrl, install: 'profile', userDataDir, uuid });
    const uuids = [randomUUID(), randomUUID()];
    const setUp = await launch(DIST_FIREFOX, dirs[0]!, uuids[0]!);
    await setUp.ext(async (api, id) => {
      const reply = (await api.runtime.sendMessage({ kind: 'setProfileEnabled', request: { organizationId: id, enabled: true } })) as { ok: boolean; error?: string };
      if (!reply.ok) throw new Error(`setProfileEnabled: ${reply.error}`);
    }, PROFILE);
    await setUp.close();
    await (await launch(floorDir, dirs[1]!, uuids[1]!)).close();
    const ours = await launch(DIST_FIREFOX, dirs[0]!, uuids[0]!);
    browsers.push(ours);
    const base = await launch(floorDir, dirs[1]!, uuids[1]!);
    browsers.push(base);
    const oursTab = await ours.newWebPage();
    const baseTab = await base.newWebPage();
    // Only the measured tab stays open: the welcome page and the harness's options page are closed.
    const closeOthers = async (ff: FirefoxExtension, keep: FxPage) => {
      for (const p of await ff.browser.pages()) if (p !== keep) await p.close().catch(() => undefined);
    };
    await closeOthers(ours, oursTab);
    await closeOthers(base, baseTab);
    const pidOf = (ff: FirefoxExtension) => {
      const pid = ff.browser.process()?.pid;
      if (pid === undefined) throw new Error('no Firefox process id');
      return pid;
    };
    const ourWarning = ours.interstitialUrl();
    const floorPrefix = base.extensionUrl(FLOOR_PAGE);
    const showWarning = async (ff: FirefoxExtension, tab: FxPage, n: number, prefix: string, drawn: boolean) => {
      await ff.navigate(tab, `http://${BANNED_HOST}/c/${n}`, (h) => h.startsWith(prefix));
      if (drawn) await until('the warning to be drawn', 10_000, async () => ((await tab.evaluate(WARNING_DRAWN).catch(() => false)) ? true : undefined), 20);
    };
    let options: FxPage | null = null;
    const [oursSide, baseSide] = await Promise.all([
      readSide({
        cycles,
        label: 'Firefox, ours',
        read: async () => totalMemory(firefoxExtensionProcesses(pidOf(ours))),
        openWarning: () => showWarning(ours, oursTab, 0, ourWarning, true),
        leaveWarning: async () => void (await ours.navigate(oursTab, startUrl)),
        beforeCycles: async () => void (options = await ours.openExtensionPage('src/pages/options/index.html')),
        afterCycles: async () => {
          await options?.close();
          options = null;
        },
        cycle: async (i) => {
          await showWarning(ours, oursTab, i + 1, ourWarning, true);
          if (!(await oursTab.evaluate(PROCEED))) throw new Error('the proceed button stayed disabled');
          await ours.waitForLocation(oursTab, (h) => h.startsWith(`http://${BANNED_HOST}/`));
          // Off the site before the exception ends, as in Chromium.
          await ours.navigate(oursTab, startUrl);
          if (!(await options!.evaluate(endException('browser')))) throw new Error('endException was refused');
        },
      }),
      readSide({
        cycles,
        label: 'Firefox, baseline',
        read: async () => totalMemory(firefoxExtensionProcesses(pidOf(base))),
        openWarning: () => showWarning(base, baseTab, 0, floorPrefix, false),
        leaveWarning: async () => void (await base.navigate(baseTab, startUrl)),
        cycle: async (i) => {
          await showWarning(base, baseTab, i + 1, floorPrefix, false);
          await base.navigate(baseTab, startUrl);
        },
      }),
    ]);
    return { ours: oursSide, base: baseSide };
  } finally {
    for (const b of browsers) await b.close();
    for (const dir of [floorDir, ...dirs]) rmSync(dir, { recursive: true, force: true });
  }
}

function sideFigures(browser: string, s: { ours: Side; base: Side }, cycles: number): BenchFigure[] {
  const early = Math.max(1, Math.round(cycles / 10));
  const goal = '≤ 1.50×';
  const within = (v: number) => v <= 1.5;
  const growth = s.ours.after.pss / s.ours.early.pss;
  const baseGrowth = s.base.after.pss / s.base.early.pss;
  return [
    ratioFigure(`memory (${browser}): extension process(es) at idle after start-up, ÷ the baseline extension's`, s.ours.idle, s.base.idle, goal, within, `ours ${show(s.ours.idle)}; baseline ${show(s.base.idle)}`),
    ratioFigure(
      `memory (${browser}): with the warning open, ÷ the baseline with its static warning page open`,
      s.ours.warning,
      s.base.warning,
      goal,
      within,
      `ours ${show(s.ours.warning)}; baseline ${show(s.base.warning)}`,
    ),
    ratioFigure(
      `memory (${browser}): after ${cycles} warnings, each proceeded past and its exception ended, ÷ the baseline after ${cycles} visits to its page`,
      s.ours.after,
      s.base.after,
      goal,
      within,
      `ours ${show(s.ours.after)}; baseline ${show(s.base.after)}`,
    ),
    {
      name: `memory growth (${browser}): ours after ${cycles} warnings and proceeds ÷ after the first ${early}`,
      unit: '×',
      median: growth,
      min: growth,
      max: growth,
      runs: 1,
      goal: '≤ 1.05× (no growth; the baseline\'s own drift beside it)',
      pass: Number.isFinite(growth) ? growth <= 1.05 : null,
      detail: `ours ${show(s.ours.early)} → ${show(s.ours.after)}; the baseline over its ${cycles} visits: ${show(s.base.early)} → ${show(s.base.after)} (${baseGrowth.toFixed(2)}×)`,
    },
    {
      // The control beside it: what the same browser does with an extension that keeps nothing.
      name: `memory growth (${browser}), control: the baseline after ${cycles} visits to its page ÷ after the first ${early}`,
      unit: '×',
      median: baseGrowth,
      min: baseGrowth,
      max: baseGrowth,
      runs: 1,
      goal: 'none (the browser\'s own drift, against which ours is read)',
      pass: null,
      detail: `${show(s.base.early)} → ${show(s.base.after)}`,
    },
  ];
}

export async function runMemoryBench(): Promise<BenchModuleResult> {
  const name = 'memory of the extension processes (Chromium, Firefox)';
  if (!existsSync('/proc/self/smaps_rollup')) {
    const line = 'skipped: /proc/<pid>/smaps_rollup is not readable here (Linux only)';
    return { name, figures: [], lines: [line], notes: [line] };
  }
  const cycles = benchRounds(200);
  const notes: string[] = [];
  const server = await startSiteServer(benchRoutes(DIST_CHROME, pageFiles(DIST_CHROME, INTERSTITIAL_PATH)));
  const figures: BenchFigure[] = [];
  try {
    const [chromium, firefox] = await Promise.all([chromiumSides(server, cycles, notes), firefoxSides(server, cycles, notes)]);
    if (chromium) figures.push(...sideFigures('Chromium', chromium, cycles));
    if (firefox) figures.push(...sideFigures('Firefox', firefox, cycles));
  } finally {
    await server.close();
  }
  notes.push(
    'PSS from /proc/<pid>/smaps_rollup of the processes running extension code: Chromium\'s --extension-process renderers, Firefox\'s "WebExtensions" process (shared by every add-on of that browser, so each browser has only one)',
    'Chromium: before each reading every extension target (worker, pages) was garbage-collected over CDP (HeapProfiler.collectGarbage) and its live JS heap read (Runtime.getHeapUsage), shown in the details',
    'Firefox, as far as it can be read: the WebExtensions process\'s PSS and RSS as /proc shows them, with no forced GC (WebDriver BiDi offers none and refuses about:memory) and no per-page JS heap',
  );
  return { name, figures, lines: [...figures.map(figureLine), ...notes], notes };
}
