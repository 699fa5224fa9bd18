/**
 * Speed in Firefox ESR, by the method of the Chromium modules, with Firefox's
 * own floors measured beside each figure:
 *
 * - Background start-up: Firefox's MV3 background is an event page, which
 *   Firefox suspends after `extensions.background.idle.timeout` without
 *   events (30 s by default; 1 s here, so a run need not wait). Each run waits
 *   until both backgrounds are idle, then times one message from an extension
 *   page of each: ours (`getProfiles`, from the options page) and a baseline
 *   add-on whose background only answers messages. The figure is the median
 *   of the per-run ratios; warm round trips are reported beside, so a run in
 *   which nothing was suspended would show (cold ≈ warm).
 * - Time to warning: the navigation asked for → FCP of the interstitial (the
 *   document that stays: the page replaces its first one), with the
 *   background running (woken by a message just before) and idle, and the
 *   complete warning (the `interstitial-rendered` mark; the page draws it from
 *   the verdict table in storage.session, without waking a suspended
 *   background, and says so in data-verdict-from), each ÷ the FCP of a
 *   plain page of the interstitial's weight (bench/browser/pages.ts); the
 *   floor is the baseline add-on's static copy of the interstitial behind the
 *   same kind of redirect (bench/warning.ts). Navigations start from a web
 *   page by setting location.href, as a link would; orders rotate per run.
 * - Unrelated sites: four Firefoxes side by side (ours with a profile on, two
 *   without, one with an add-on holding only declarativeNetRequest and no
 *   rules), one load of unrelated.test in each per round in a shuffled order:
 *   ours ÷ without, ours ÷ the declarativeNetRequest floor, and the A/A
 *   control (one browser without ÷ the other).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { geckoIdOf, launchFirefox, type FirefoxExtension } from '../tests/e2e/harness/firefox';
import { startSiteServer, type CountingServer } from '../tests/e2e/harness/server';
import { DIST_CHROME, DIST_FIREFOX, ensureFreshBuild, firefoxPath, INTERSTITIAL_PATH, pageFiles } from './browser/dist';
import { benchRoutes, PLAIN_HOST, START_HOST, UNRELATED_HOST } from './browser/pages';
import { benchRounds, figureLine, median, seriesFigure, sleep } from './figures';
import type { BenchFigure, BenchModuleResult } from './run';
import { middleHalf, seeded, shuffled } from './unrelated';
import { FLOOR_PAGE, writeFloorExtension } from './warning';

const BANNED_HOST = 'chat.deepseek.com';
const FLOOR_HOST = 'floor.test';
const PROFILE = 'kb-financial-group';
const IDLE_TIMEOUT_MS = 1_000;
/** Long enough past the idle timeout for Firefox to have suspended a background. */
const IDLE_WAIT_MS = 2_500;
const BASELINE_ID = 'bench-baseline@ai-policy-guard.test';
const DNR_ID = 'bench-dnr-floor@ai-policy-guard.test';

// Strings, not functions: tsx names inner functions with a `__name` helper the page does not have.
const ROUND_TRIP = `(async () => {
  const start = performance.now();
  const reply = await browser.runtime.sendMessage({ kind: 'getProfiles', request: {} });
  return { ms: performance.now() - start, ok: !!reply && reply.ok === true };
})()`;

const READ_PAINT = `new Promise((resolve) => {
  const wantMark = location.protocol === 'moz-extension:' && !location.pathname.endsWith('/${FLOOR_PAGE}');
  const deadline = performance.now() + 10000;
  const read = () => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const mark = performance.getEntriesByName('interstitial-rendered')[0];
    if (fcp && (mark || !wantMark)) resolve({ fcp: fcp.startTime, rendered: mark ? mark.startTime : NaN, from: document.documentElement.dataset.verdictFrom || '', timeOrigin: performance.timeOrigin });
    else if (performance.now() > deadline) resolve(null);
    else setTimeout(read, 10);
  };
  read();
})`;

const LOAD_TIME = `new Promise((resolve) => {
  const read = () => {
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav && nav.loadEventEnd > 0) resolve(nav.loadEventEnd);
    else setTimeout(read, 5);
  };
  read();
})`;

async function roundTrip(page: Page): Promise<number> {
  const r = (await page.evaluate(ROUND_TRIP)) as { ms: number; ok: boolean };
  if (!r.ok) throw new Error('a round trip to a background failed');
  return r.ms;
}

interface Paint {
  fcp: number;
  rendered: number;
  /** The interstitial's data-verdict-from: 'table' (drawn from storage.session) or 'background'; '' elsewhere. */
  from: string;
}

/** From start.test, sets location.href to `url` and reads the paint timings where it lands. */
async function timedPaint(ff: FirefoxExtension, page: Page, url: string, landed: (href: string) => boolean): Promise<Paint> {
  await ff.navigate(page, `http://${START_HOST}/`, (h) => h.startsWith(`http://${START_HOST}/`));
  const requestedAt = Date.now();
  await ff.navigate(page, url, landed);
  // The interstitial replaces its first document with its own history entry (main.ts, ownEntryUrl), so
  // times run from when the navigation was asked for, not from the final document's own start.
  // A document replaced while it is read rejects the read: read the one that replaced it.
  let seen: (Paint & { timeOrigin: number }) | null = null;
  for (let attempt = 0; attempt < 3 && !seen; attempt += 1) {
    seen = (await page.evaluate(READ_PAINT).catch(() => null)) as (Paint & { timeOrigin: number }) | null;
  }
  if (!seen) throw new Error(`no first-contentful-paint (or no interstitial-rendered mark) after ${url}`);
  const since = seen.timeOrigin - requestedAt;
  return { fcp: seen.fcp + since, rendered: seen.rendered + since, from: seen.from };
}

/** An MV3 add-on with only the declarativeNetRequest permission and no rules: the floor of the unrelated-site cost. */
function writeDnrOnlyAddOn(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-ff-dnr-'));
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Bench baseline: declarativeNetRequest only',
      version: '1.0.0',
      permissions: ['declarativeNetRequest'],
      background: { scripts: ['w.js'] },
      browser_specific_settings: { gecko: { id: DNR_ID } },
    }),
  );
  writeFileSync(path.join(dir, 'w.js'), 'browser.runtime.onMessage.addListener(() => undefined);\n');
  return dir;
}

async function enableProfile(ff: FirefoxExtension): Promise<number> {
  return ff.ext(async (api, id) => {
    const reply = (await api.runtime.sendMessage({ kind: 'setProfileEnabled', request: { organizationId: id, enabled: true } })) as { ok: boolean; error?: string };
    if (!reply.ok) throw new Error(`setProfileEnabled: ${reply.error}`);
    return (await api.declarativeNetRequest.getDynamicRules()).length;
  }, PROFILE);
}

async function startupAndWarning(executable: string, proxy: CountingServer): Promise<BenchFigure[]> {
  const floorDir = writeFloorExtension(DIST_CHROME, { host: FLOOR_HOST, worker: true, geckoId: BASELINE_ID });
  const uuid = randomUUID();
  const baseUuid = randomUUID();
  const ff = await launchFirefox({
    executablePath: executable,
    proxyPort: proxy.port,
    dist: DIST_FIREFOX,
    uuid,
    startUrl: `http://${START_HOST}/`,
    prefs: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoIdOf(DIST_FIREFOX)]: uuid, [BASELINE_ID]: baseUuid }),
      'extensions.background.idle.timeout': IDLE_TIMEOUT_MS,
    },
  });
  try {
    await ff.browser.installExtension(floorDir);
    const ruleCount = await enableProfile(ff);
    const ours = await ff.openExtensionPage('src/pages/options/index.html');
    const base = await ff.newWebPage();
    const basePage = `moz-extension://${baseUuid}/${FLOOR_PAGE}`;
    await ff.navigate(base, basePage, (h) => h.startsWith(basePage));
    for (let i = 0; i < 3; i += 1) {
      await roundTrip(ours);
      await roundTrip(base);
    }

    // Background start-up, from idle.
    const runs = benchRounds(12);
    const cold = { ours: [] as number[], base: [] as number[] };
    const warm = { ours: [] as number[], base: [] as number[] };
    const ratios: number[] = [];
    for (let r = 0; r < runs; r += 1) {
      await sleep(IDLE_WAIT_MS);
      const got: Record<'ours' | 'base', number> = { ours: 0, base: 0 };
      for (const side of r % 2 === 0 ? (['ours', 'base'] as const) : (['base', 'ours'] as const)) {
        got[side] = await roundTrip(side === 'ours' ? ours : base);
      }
      cold.ours.push(got.ours);
      cold.base.push(got.base);
      warm.ours.push(await roundTrip(ours));
      warm.base.push(await roundTrip(base));
      ratios.push(got.ours / got.base);
    }

    // Time to warning.
    const page = await ff.newWebPage();
    const interstitial = ff.interstitialUrl();
    const isWarning = (h: string) => h.startsWith(interstitial);
    const isFloor = (h: string) => h.startsWith(basePage);
    const plain: Paint[] = [];
    const running: Paint[] = [];
    const idle: Paint[] = [];
    const floor: Paint[] = [];
    const fcpRatios: number[] = [];
    const runningRatios: number[] = [];
    const idleRatios: number[] = [];
    const floorRatios: number[] = [];
    const overFloor: number[] = [];
    let n = 0;
    const before = proxy.requests(BANNED_HOST);
    const paintRuns = benchRounds(10);
    for (let r = -1; r < paintRuns; r += 1) {
      let p: Paint | undefined;
      let w: Paint | undefined;
      let c: Paint | undefined;
      let f: Paint | undefined;
      const steps: (() => Promise<void>)[] = [
        async () => void (p = await timedPaint(ff, page, `http://${PLAIN_HOST}/?run=${r}`, (h) => h.startsWith(`http://${PLAIN_HOST}/`))),
        async () => {
          await roundTrip(ours); // the background is running
          w = await timedPaint(ff, page, `http://${BANNED_HOST}/c/${(n += 1)}`, isWarning);
        },
        async () => {
          await sleep(IDLE_WAIT_MS); // the background is suspended
          c = await timedPaint(ff, page, `http://${BANNED_HOST}/c/${(n += 1)}`, isWarning);
        },
        async () => void (f = await timedPaint(ff, page, `http://${FLOOR_HOST}/?run=${r}`, isFloor)),
      ];
      for (let k = 0; k < steps.length; k += 1) await steps[(r + 1 + k) % steps.length]!();
      if (r < 0 || !p || !w || !c || !f) continue;
      plain.push(p);
      running.push(w);
      idle.push(c);
      floor.push(f);
      fcpRatios.push(w.fcp / p.fcp);
      runningRatios.push(w.rendered / p.fcp);
      idleRatios.push(c.rendered / p.fcp);
      floorRatios.push(f.fcp / p.fcp);
      overFloor.push(c.rendered / f.fcp);
    }
    const requests = proxy.requests(BANNED_HOST) - before;
    const m = (xs: number[]) => median(xs).toFixed(1);
    const ms = (xs: Paint[], k: 'fcp' | 'rendered') => median(xs.map((x) => x[k])).toFixed(1);
    const fromTable = (xs: Paint[]) => xs.filter((x) => x.from === 'table').length;
    return [
      seriesFigure(
        "background start-up (Firefox): idle background → first handled message, ÷ an empty add-on's",
        '×',
        ratios,
        '≤ 1.50×',
        (v) => v <= 1.5,
        `cold round trips: ours ${m(cold.ours)} ms (getProfiles from the options page, ${ruleCount} dynamic DNR rules), the baseline ${m(cold.base)} ms; ` +
          `running: ours ${m(warm.ours)} ms, the baseline ${m(warm.base)} ms; extensions.background.idle.timeout ${IDLE_TIMEOUT_MS} ms, ${IDLE_WAIT_MS} ms of quiet before each run`,
      ),
      seriesFigure(
        'time to warning (Firefox): navigation start → interstitial FCP, background running, ÷ a plain page of its weight',
        '×',
        fcpRatios,
        '≤ 1.05×',
        (v) => v <= 1.05,
        `FCP medians: interstitial ${ms(running, 'fcp')} ms, plain page ${ms(plain, 'fcp')} ms; navigations set location.href from start.test`,
      ),
      seriesFigure(
        'the complete warning (Firefox), background running, ÷ plain page FCP',
        '×',
        runningRatios,
        'reported',
        () => null,
        `interstitial-rendered mark median ${ms(running, 'rendered')} ms after navigation start; drawn from the verdict table in ${fromTable(running)} of ${running.length} runs`,
      ),
      seriesFigure(
        'the complete warning (Firefox), background idle (suspended), ÷ plain page FCP',
        '×',
        idleRatios,
        'reported: the goal is on the floor below',
        () => null,
        `interstitial-rendered mark median ${ms(idle, 'rendered')} ms (FCP ${ms(idle, 'fcp')} ms); ` +
          `drawn from the verdict table in storage.session without waking the background in ${fromTable(idle)} of ${idle.length} runs, the rest asked the background`,
      ),
      seriesFigure(
        "floor (Firefox): a static copy of the interstitial (no script) behind the same kind of redirect, FCP ÷ plain page FCP",
        '×',
        floorRatios,
        'reported: what any add-on\'s warning page costs in Firefox',
        () => null,
        `median FCP ${ms(floor, 'fcp')} ms against ${ms(plain, 'fcp')} ms; Firefox runs every add-on's pages in one extension process that stays up, so an idle background does not mean a process to start`,
      ),
      seriesFigure(
        'the complete warning (Firefox), background idle, ÷ the floor\'s FCP',
        '×',
        overFloor,
        '≤ 1.05×',
        (v) => v <= 1.05,
        `per run; ${requests} request(s) reached ${BANNED_HOST} over ${n} blocked navigations`,
      ),
    ];
  } finally {
    await ff.close();
    rmSync(floorDir, { recursive: true, force: true });
  }
}

async function unrelatedSites(executable: string, proxy: CountingServer): Promise<BenchFigure[]> {
  const dnrDir = writeDnrOnlyAddOn();
  const browsers: FirefoxExtension[] = [];
  try {
    const launch = (dist: string, install: 'temporary' | 'none') =>
      launchFirefox({ executablePath: executable, proxyPort: proxy.port, dist, install, startUrl: `http://${START_HOST}/` });
    const ours = await launch(DIST_FIREFOX, 'temporary');
    browsers.push(ours);
    const plainA = await launch(DIST_FIREFOX, 'none');
    browsers.push(plainA);
    const plainB = await launch(DIST_FIREFOX, 'none');
    browsers.push(plainB);
    const dnr = await launch(dnrDir, 'temporary');
    browsers.push(dnr);
    const rules = await enableProfile(ours);
    const pages: Page[] = [];
    for (const b of browsers) {
      const page = await b.newWebPage();
      // Only the measured tab stays open (the welcome page and the harness's options page are closed).
      for (const other of await b.browser.pages()) if (other !== page) await other.close().catch(() => undefined);
      pages.push(page);
    }
    const times: number[][] = browsers.map(() => []);
    const ratios: number[] = [];
    const overDnr: number[] = [];
    const dnrRatios: number[] = [];
    const controls: number[] = [];
    const random = seeded(20_250_206);
    const rounds = benchRounds(40);
    for (let r = -3; r < rounds; r += 1) {
      const got: number[] = [];
      for (const i of shuffled(pages.length, random)) {
        await pages[i]!.goto(`http://${UNRELATED_HOST}/?round=${r}`, { waitUntil: 'load' });
        got[i] = (await pages[i]!.evaluate(LOAD_TIME)) as number;
      }
      if (r < 0) continue;
      got.forEach((t, i) => times[i]!.push(t));
      const base = r % 2 === 0 ? got[1]! : got[2]!;
      const other = r % 2 === 0 ? got[2]! : got[1]!;
      ratios.push(got[0]! / base);
      overDnr.push(got[0]! / got[3]!);
      dnrRatios.push(got[3]! / base);
      controls.push(other / base);
    }
    const spread = (xs: number[]) => middleHalf(xs).map((v) => v.toFixed(3)).join('–');
    const aa = `A/A control ${median(controls).toFixed(3)}× (middle half ${spread(controls)})`;
    return [
      seriesFigure(
        `page-load time on ${UNRELATED_HOST} (Firefox), with the extension ÷ without`,
        '×',
        ratios,
        'reported: the goal is on the declarativeNetRequest floor below',
        () => null,
        `${aa}; loadEventEnd medians ${median(times[0]!).toFixed(1)} ms with, ${median(times[1]!).toFixed(1)} / ${median(times[2]!).toFixed(1)} ms without; ` +
          `${rounds} rounds, four Firefoxes, shuffled order each round; a profile on, ${rules} dynamic DNR rules`,
      ),
      seriesFigure(
        `page-load time on ${UNRELATED_HOST} (Firefox), an add-on holding only declarativeNetRequest (no rules) ÷ without`,
        '×',
        dnrRatios,
        'reported: the floor',
        () => null,
        `middle half ${spread(dnrRatios)}; loadEventEnd median ${median(times[3]!).toFixed(1)} ms`,
      ),
      seriesFigure(
        `page-load time on ${UNRELATED_HOST} (Firefox), with the extension ÷ with the declarativeNetRequest-only add-on`,
        '×',
        overDnr,
        '≤ 1.02× (read against the A/A control beside it)',
        (v) => v <= 1.02,
        `middle half ${spread(overDnr)}; ${aa}`,
      ),
      seriesFigure(
        `A/A control (Firefox): page-load time on ${UNRELATED_HOST}, one Firefox without ÷ another without`,
        '×',
        controls,
        'reported: the noise floor of the figures above',
        () => null,
        `middle half ${spread(controls)}`,
      ),
    ];
  } finally {
    for (const b of browsers) await b.close();
    rmSync(dnrDir, { recursive: true, force: true });
  }
}

export async function runFirefoxSpeedBench(): Promise<BenchModuleResult> {
  const name = 'speed (Firefox)';
  const executable = firefoxPath();
  if (!existsSync(executable)) {
    const line = `skipped: Firefox not found at ${executable} (apt-get install firefox-esr, or set FIREFOX_PATH)`;
    return { name, figures: [], lines: [line], notes: [line] };
  }
  const build = ensureFreshBuild();
  if (!build.usable) return { name, figures: [], lines: [`skipped: ${build.note}`], notes: [build.note] };
  const proxy = await startSiteServer(benchRoutes(DIST_CHROME, pageFiles(DIST_CHROME, INTERSTITIAL_PATH)));
  try {
    const figures = [...(await startupAndWarning(executable, proxy)), ...(await unrelatedSites(executable, proxy))];
    return { name, figures, lines: figures.map(figureLine), notes: [build.note] };
  } finally {
    await proxy.close();
  }
}
