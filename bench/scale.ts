/**
 * Scale: a managed policy of 1,000 organizations, and a catalog of 10,000
 * hosts, against the shipped catalog.
 *
 * What the product lets a policy say: a managed `organizations` entry (like a
 * custom organization) may only name services and categories of the shipped
 * catalog, because the catalog decides which hosts the extension holds host
 * permission for and can redirect (src/core/custom-organizations.ts). So a
 * policy of 1,000 organizations reaches the shipped 22 hosts, not 10,000 new
 * ones. Both halves are measured:
 *
 * - Core (Node, no browser): the shipped bundle; the shipped bundle with 1,000
 *   managed organizations read through readManagedOrganizations (the code the
 *   worker runs); and a catalog grown by 1,000 services of 10 hosts each, one
 *   organization per service (what a catalog of 10,000 hosts would cost the
 *   same code). For each: reading and merging, the decider, compiling the DNR
 *   rules with every organization on, and the verdict table (time and stored
 *   size), the rule counts against each browser's limits (src/core/dnr-types.ts).
 * - Chromium: the built extension under a real machine policy
 *   (/etc/chromium/policies/managed/, removed afterwards; a copy of the build
 *   with its own id, tests/e2e/managed/chromium-policy.ts) with the 1,000
 *   organizations forced on, beside a browser with the shipped catalog and one
 *   profile on: worker start-up (stopped worker → first answered message) and
 *   the complete warning after a stopped worker, per run ÷ the shipped
 *   catalog's, and requests reaching a sample of the hosts the policy stops.
 */
import { performance } from 'node:perf_hooks';
import type { BrowserContext, Page } from 'playwright-core';
import { loadPolicyBundle } from '../scripts/load-policies';
import { checkDnrLimits, DNR_LIMITS } from '../src/core/dnr-types';
import { compileDnrRules } from '../src/core/dnr';
import { createDecider } from '../src/core/decide';
import { mergeIntoBundle } from '../src/core/custom-organizations';
import { readManagedOrganizations } from '../src/core/managed-organizations';
import type { PolicyBundle } from '../src/core/policy-schema';
import { buildVerdictTable, canonicalJson } from '../src/core/verdict-table-build';
import { launchChromium, type ProfileBrowser } from '../tests/e2e/harness/chromium';
import { startSiteServer } from '../tests/e2e/harness/server';
import { policyDirProblem, setUpChromiumPolicy, type ChromiumPolicy } from '../tests/e2e/managed/chromium-policy';
import { chromiumForBench, DIST_CHROME, INTERSTITIAL_PATH, pageFiles } from './browser/dist';
import { benchRoutes, START_HOST } from './browser/pages';
import { benchRounds, figureLine, median, seriesFigure, sleep, until } from './figures';
import type { BenchFigure, BenchModuleResult } from './run';
import { grownBundle, managedOrganizationsFile, organizationIds } from './scale-policy';

/** BENCH_SCALE_ORGANIZATIONS runs the same with fewer (e.g. 100, under a lower cap on managed organizations). */
const ORGANIZATIONS = Number(process.env.BENCH_SCALE_ORGANIZATIONS) || 1_000;
const GROWN_SERVICES = 1_000;
const HOSTS_EACH = 10;
const SAMPLE = 200;
const PROFILE = 'kb-financial-group';
const INTERSTITIAL = 'https://interstitial.invalid/index.html?v=bench';

interface CoreCost {
  /** ms: reading the managed value and merging it (0 for the shipped bundle). */
  read: number;
  decider: number;
  compile: number;
  table: number;
  rules: number;
  redirects: number;
  regex: number;
  tableBytes: number;
  hosts: number;
  organizations: number;
  problems: string[];
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

/** Median costs over `rounds` of the whole pipeline for one bundle. */
function coreCost(rounds: number, build: () => { bundle: PolicyBundle; problems: string[] }): CoreCost {
  const samples: Omit<CoreCost, 'problems'>[] = [];
  let problems: string[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const [{ bundle, problems: found }, read] = timed(build);
    problems = found;
    const [decider, deciderMs] = timed(() => createDecider(bundle));
    const enabledOrganizations = bundle.organizations.map((o) => o.id);
    const options = { enabledOrganizations, allowProceedOnBlock: true };
    // The decider's index is built on first use: the first decision is part of its cost.
    const [, firstDecision] = timed(() => decider.decideForUrl('https://chat.deepseek.com/', options));
    const [rules, compile] = timed(() =>
      compileDnrRules({ bundle, enabledOrganizations, exceptions: [], now: Date.now(), interstitialUrl: INTERSTITIAL, target: 'chrome' }),
    );
    const [table, tableMs] = timed(() => buildVerdictTable({ bundle, decider, options, page: {}, excepted: new Set() }));
    samples.push({
      read,
      decider: deciderMs + firstDecision,
      compile,
      table: tableMs,
      rules: rules.length,
      redirects: rules.filter((x) => x.action.type === 'redirect').length,
      regex: rules.filter((x) => x.condition.regexFilter !== undefined).length,
      tableBytes: Buffer.byteLength(canonicalJson(table)),
      hosts: bundle.services.reduce((n, s) => n + s.hosts.length, 0),
      organizations: bundle.organizations.length,
    });
  }
  const med = (k: keyof Omit<CoreCost, 'problems'>) => median(samples.map((s) => s[k]));
  return {
    read: med('read'),
    decider: med('decider'),
    compile: med('compile'),
    table: med('table'),
    rules: med('rules'),
    redirects: med('redirects'),
    regex: med('regex'),
    tableBytes: med('tableBytes'),
    hosts: med('hosts'),
    organizations: med('organizations'),
    problems,
  };
}

const describeCost = (c: CoreCost) =>
  `${c.organizations} organizations, ${c.hosts} hosts: read and merge ${c.read.toFixed(1)} ms, decider ${c.decider.toFixed(1)} ms, ` +
  `rules ${c.compile.toFixed(1)} ms (${c.rules} rules, ${c.redirects} redirect, ${c.regex} regex), verdict table ${c.table.toFixed(1)} ms, ${(c.tableBytes / 1024).toFixed(1)} KB stored`;

function single(name: string, unit: BenchFigure['unit'], value: number, goal: string, pass: boolean | null, detail: string): BenchFigure {
  return { name, unit, median: value, min: value, max: value, runs: 1, goal, pass, detail };
}

function coreFigures(): BenchFigure[] {
  const shipped = loadPolicyBundle();
  const catalogServices = shipped.services.map((s) => s.id);
  const file = managedOrganizationsFile(ORGANIZATIONS, catalogServices, 3);
  const rounds = benchRounds(5);
  const base = coreCost(rounds, () => ({ bundle: shipped, problems: [] }));
  const managed = coreCost(rounds, () => {
    const read = readManagedOrganizations(file, shipped);
    return { bundle: mergeIntoBundle(shipped, read.policies), problems: read.problems };
  });
  const grown = coreCost(rounds, () => ({ bundle: grownBundle(shipped, GROWN_SERVICES, HOSTS_EACH), problems: [] }));
  const total = (c: CoreCost) => c.read + c.decider + c.compile + c.table;
  const grownRules = compileDnrRules({
    bundle: grownBundle(shipped, GROWN_SERVICES, HOSTS_EACH),
    enabledOrganizations: grownBundle(shipped, GROWN_SERVICES, HOSTS_EACH).organizations.map((o) => o.id),
    exceptions: [],
    now: Date.now(),
    interstitialUrl: INTERSTITIAL,
    target: 'firefox',
  });
  const limitProblems = [...checkDnrLimits(grownRules, 'firefox'), ...checkDnrLimits(grownRules, 'chrome')];
  const accepted = managed.organizations - base.organizations;
  return [
    single(
      `scale (core): ${ORGANIZATIONS} managed organizations over the shipped catalog, organizations accepted`,
      'count',
      accepted,
      `${ORGANIZATIONS} (the managed caps must admit them)`,
      accepted === ORGANIZATIONS,
      `${managed.problems.length} problem(s) reported${managed.problems.length > 0 ? `, first: ${managed.problems[0]}` : ''}`,
    ),
    single(
      `scale (core): compile time of the managed policy (read, merge, decider, rules, verdict table) ÷ the shipped catalog's`,
      '×',
      total(managed) / total(base),
      'reported (the start-up and warning figures below carry the goal)',
      null,
      `median of ${rounds} rounds — managed: ${describeCost(managed)}; shipped: ${describeCost(base)}`,
    ),
    single(
      `scale (core): verdict table stored, managed policy of ${ORGANIZATIONS} organizations`,
      'KB',
      managed.tableBytes,
      'reported (chrome.storage.local holds 10 MB without unlimitedStorage)',
      null,
      `shipped catalog: ${(base.tableBytes / 1024).toFixed(1)} KB; the table stores every catalog host and each intercepted service's verdict with its citations`,
    ),
    single(
      `scale (core): a catalog of ${GROWN_SERVICES} more services × ${HOSTS_EACH} hosts, DNR rules with every organization on`,
      'count',
      grown.rules,
      `within both browsers' limits: the smallest that applies is ${DNR_LIMITS.firefox.dynamicRules.toLocaleString('en-US')} dynamic rules in Firefox, ` +
        `${DNR_LIMITS.chrome.unsafeDynamicRules.toLocaleString('en-US')} redirect (unsafe) rules in Chrome, ${DNR_LIMITS.chrome.regexRules} regex rules in each`,
      limitProblems.length === 0,
      `${grown.redirects} redirect, ${grown.regex} regex rules (one rule holds every domain host in requestDomains; exact hosts need one regex rule per label count); ` +
        `${limitProblems.length === 0 ? 'checkDnrLimits: fits Chrome and Firefox' : limitProblems.join('; ')}`,
    ),
    single(
      `scale (core): compile time with ${GROWN_SERVICES * HOSTS_EACH + base.hosts} hosts ÷ the shipped catalog's`,
      '×',
      total(grown) / total(base),
      'reported: a catalog this size cannot come from a policy today (see the module header)',
      null,
      `median of ${rounds} rounds — grown: ${describeCost(grown)}`,
    ),
  ];
}

// A string, not a function: tsx names inner functions with a `__name` helper the page does not have.
const ROUND_TRIP = `(async () => {
  const start = performance.now();
  const reply = await chrome.runtime.sendMessage({ kind: 'getProfiles', request: {} });
  return { ms: performance.now() - start, ok: !!reply && reply.ok === true, organizations: reply && reply.ok ? reply.data.organizations.length : 0,
    enabled: reply && reply.ok ? reply.data.enabled.length : 0 };
})()`;
const READ_RENDERED = `new Promise((resolve) => {
  const deadline = performance.now() + 10000;
  const read = () => {
    const mark = performance.getEntriesByName('interstitial-rendered')[0];
    if (mark) resolve(performance.timeOrigin + mark.startTime);
    else if (performance.now() > deadline) resolve(null);
    else setTimeout(read, 10);
  };
  read();
})`;

async function roundTrip(page: Page): Promise<{ ms: number; organizations: number; enabled: number }> {
  const r = (await page.evaluate(ROUND_TRIP)) as { ms: number; ok: boolean; organizations: number; enabled: number };
  if (!r.ok) throw new Error('getProfiles failed');
  return r;
}

/** Stops the worker, again if something woke it at once (a sync still running, say); false when it would not stay stopped. */
async function stopWorker(b: ProfileBrowser): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    if (await b.workerRunning()) await b.stopWorker().catch(() => undefined);
    await sleep(150);
    if (!(await b.workerRunning())) return true;
    await sleep(500);
  }
  return false;
}

async function coldRoundTrip(b: ProfileBrowser, page: Page): Promise<number> {
  if (!(await stopWorker(b))) throw new Error('the worker would not stay stopped');
  return (await roundTrip(page)).ms;
}

/** ms from navigation start to the complete warning, the worker stopped first. */
async function coldWarning(b: ProfileBrowser, page: Page, url: string): Promise<number> {
  await page.goto(`http://${START_HOST}/`, { waitUntil: 'load' });
  if (!(await stopWorker(b))) throw new Error('the worker would not stay stopped');
  const requestedAt = Date.now();
  await page.goto(url, { waitUntil: 'commit' }).catch(() => undefined);
  // The document that stays: the page replaces its first one with its own history entry (main.ts).
  await page.waitForURL((u) => u.protocol === 'chrome-extension:' && u.pathname === `/${INTERSTITIAL_PATH}` && u.searchParams.get('own') === '1', {
    timeout: 10_000,
  });
  const rendered = (await page.evaluate(READ_RENDERED)) as number | null;
  if (rendered === null) throw new Error(`no interstitial-rendered mark after ${url}`);
  return rendered - requestedAt;
}

async function storedBytes(context: BrowserContext, b: ProfileBrowser): Promise<{ total: number; table: number }> {
  const page = await context.newPage();
  try {
    await page.goto(b.extensionUrl('manifest.json'));
    return (await page.evaluate(
      `(async () => ({ total: await chrome.storage.local.getBytesInUse(null), table: await chrome.storage.local.getBytesInUse('verdictTable') }))()`,
    )) as { total: number; table: number };
  } finally {
    await page.close();
  }
}

async function chromiumFigures(notes: string[]): Promise<BenchFigure[]> {
  const ready = chromiumForBench('scale (Chromium)');
  if ('skipped' in ready) {
    notes.push(ready.skipped.lines[0] ?? 'Chromium skipped');
    return [];
  }
  const problem = policyDirProblem();
  if (problem) {
    notes.push(`Chromium part skipped: ${problem}`);
    return [];
  }
  const shipped = loadPolicyBundle();
  const hosts = shipped.services.flatMap((s) => s.hosts.map((h) => h.host));
  const file = managedOrganizationsFile(ORGANIZATIONS, shipped.services.map((s) => s.id), 3);
  const ids = organizationIds(file);
  const server = await startSiteServer(benchRoutes(DIST_CHROME, pageFiles(DIST_CHROME, INTERSTITIAL_PATH)));
  const hostMap = Object.fromEntries([START_HOST, ...hosts].map((h) => [h, server.port]));
  let policy: ChromiumPolicy | undefined;
  const browsers: ProfileBrowser[] = [];
  try {
    policy = setUpChromiumPolicy(DIST_CHROME);
    policy.write({ organizations: file, enabledProfiles: ids });
    const managed = await launchChromium({ executablePath: ready.executable, dist: policy.dist, hostMap });
    browsers.push(managed);
    const base = await launchChromium({ executablePath: ready.executable, dist: DIST_CHROME, hostMap });
    browsers.push(base);
    await base.enableProfile(PROFILE);
    const managedPage = await managed.context.newPage();
    await managedPage.goto(managed.extensionUrl('manifest.json'));
    const basePage = await base.context.newPage();
    await basePage.goto(base.extensionUrl('manifest.json'));
    // storage.managed reaches the extension seconds after start (see the browser-testing notes).
    const popup = await managed.openOptions();
    const report = (await until('the managed policy to be read', 60_000, async () => {
      const r = (await popup.evaluate(`chrome.runtime.sendMessage({ kind: 'getManagedPolicy', request: {} })`)) as {
        ok: boolean;
        data?: { present: boolean; problems: string[] };
      };
      return r.ok && r.data?.present ? r.data : undefined;
    })) as { present: boolean; problems: string[] };
    await popup.close();
    const applied = await until('the managed organizations to be on', 20_000, async () => {
      const r = await roundTrip(managedPage);
      return r.enabled > 1 ? r : undefined;
    }).catch(() => roundTrip(managedPage));
    const accepted = applied.organizations - shipped.organizations.length;
    const acceptedFigure = single(
      `scale (Chromium): organizations of the ${ORGANIZATIONS} in the machine policy that the extension lists`,
      'count',
      accepted,
      `${ORGANIZATIONS}`,
      accepted === ORGANIZATIONS,
      `${applied.enabled} profiles on; ${report.problems.length} problem(s) reported${report.problems.length > 0 ? `, first: ${report.problems[0]}` : ''}`,
    );
    if (applied.enabled <= 1) {
      notes.push('Chromium: the managed organizations were not applied, so start-up and warning were not timed against them');
      return [acceptedFigure];
    }
    const rules = await managed.waitForRules(1, 30_000);
    // Only the measuring pages stay open (the welcome page is closed, as a person closes it).
    for (const b of browsers) {
      for (const p of b.context.pages()) if (p.url().includes('/welcome')) await p.close();
    }
    const stored = await storedBytes(managed.context, managed);
    const storedBase = await storedBytes(base.context, base);

    const runs = benchRounds(10);
    const startRatios: number[] = [];
    const warnRatios: number[] = [];
    const starts = { managed: [] as number[], base: [] as number[] };
    const warnings = { managed: [] as number[], base: [] as number[] };
    const managedTab = await managed.context.newPage();
    const baseTab = await base.context.newPage();
    for (let r = -1; r < runs; r += 1) {
      const order = r % 2 === 0 ? (['managed', 'base'] as const) : (['base', 'managed'] as const);
      const s: Record<string, number> = {};
      const w: Record<string, number> = {};
      for (const side of order) {
        const [b, page, tab] = side === 'managed' ? [managed, managedPage, managedTab] : [base, basePage, baseTab];
        s[side] = await coldRoundTrip(b, page);
        w[side] = await coldWarning(b, tab, `http://chat.deepseek.com/c/${r}`);
      }
      if (r < 0) continue;
      starts.managed.push(s.managed!);
      starts.base.push(s.base!);
      warnings.managed.push(w.managed!);
      warnings.base.push(w.base!);
      startRatios.push(s.managed! / s.base!);
      warnRatios.push(w.managed! / w.base!);
    }

    // A sample of the hosts the policy stops (every catalog host, as the policy can name no others), each visited once.
    const sample = hosts.slice(0, SAMPLE);
    server.reset();
    let landed = 0;
    for (const host of sample) {
      await managedTab.goto(`http://${host}/`, { waitUntil: 'commit' }).catch(() => undefined);
      await managedTab
        .waitForURL((u) => u.protocol === 'chrome-extension:', { timeout: 10_000 })
        .then(() => (landed += 1))
        .catch(() => undefined);
    }
    const reached = sample.reduce((n, h) => n + server.requests(h), 0);
    const med = (xs: number[]) => median(xs).toFixed(1);
    return [
      acceptedFigure,
      seriesFigure(
        `scale (Chromium): worker start-up with ${ORGANIZATIONS} managed organizations ÷ with the shipped catalog (one profile on)`,
        '×',
        startRatios,
        '≤ 1.20×',
        (v) => v <= 1.2,
        `stopped worker → first getProfiles answer: ${med(starts.managed)} ms against ${med(starts.base)} ms; ` +
          `the managed browser listed ${applied.organizations} organizations, ${applied.enabled} on, ${rules} dynamic DNR rules; ` +
          `storage.local ${(stored.total / 1024).toFixed(1)} KB (verdict table ${(stored.table / 1024).toFixed(1)} KB) against ${(storedBase.total / 1024).toFixed(1)} KB (${(storedBase.table / 1024).toFixed(1)} KB)`,
      ),
      seriesFigure(
        `scale (Chromium): the complete warning after a stopped worker, ${ORGANIZATIONS} managed organizations ÷ the shipped catalog`,
        '×',
        warnRatios,
        '≤ 1.20×',
        (v) => v <= 1.2,
        `interstitial-rendered mark, ms after page.goto: ${med(warnings.managed)} ms against ${med(warnings.base)} ms`,
      ),
      single(
        `scale (Chromium): requests that reached a sample of the hosts the managed policy stops`,
        'count',
        reached,
        '0',
        reached === 0 && landed === sample.length,
        `${sample.length} hosts visited once each (the policy can name only catalog hosts: ${hosts.length}); ${landed} ended on the interstitial`,
      ),
    ];
  } finally {
    for (const b of browsers) await b.close();
    policy?.remove();
    await server.close();
  }
}

export async function runScaleBench(): Promise<BenchModuleResult> {
  const name = 'scale: 1,000 managed organizations, 10,000 hosts';
  const notes: string[] = [];
  const figures = coreFigures();
  try {
    figures.push(...(await chromiumFigures(notes)));
  } catch (error) {
    notes.push(`ERROR in the Chromium part (the benchmark broke, not a MISS): ${error instanceof Error ? error.message : String(error)}`);
  }
  return { name, figures, lines: [...figures.map(figureLine), ...notes], notes };
}
