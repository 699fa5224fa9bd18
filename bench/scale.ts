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
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { loadPolicyBundle, POLICIES_ROOT_ENV } from '../scripts/load-policies';
import { checkDnrLimits, DNR_LIMITS } from '../src/core/dnr-types';
import { compileDnrRules } from '../src/core/dnr';
import { createDecider } from '../src/core/decide';
import { mergeIntoBundle } from '../src/core/custom-organizations';
import { readManagedOrganizations } from '../src/core/managed-organizations';
import type { PolicyBundle } from '../src/core/policy-schema';
import { buildVerdictTable, canonicalJson } from '../src/core/verdict-table-build';
import { launchChromium, type ProfileBrowser } from '../tests/e2e/harness/chromium';
import { startSiteServer } from '../tests/e2e/harness/server';
import { launchFirefox, type FirefoxExtension } from '../tests/e2e/harness/firefox';
import { policyDirProblem, setUpChromiumPolicy, type ChromiumPolicy } from '../tests/e2e/managed/chromium-policy';
import { launchManagedFirefox, policiesFileOf } from '../tests/e2e/managed/firefox';
import { chromiumForBench, DIST_CHROME, DIST_FIREFOX, ensureFreshBuild, firefoxPath, INTERSTITIAL_PATH, pageFiles, ROOT } from './browser/dist';
import { benchRoutes, START_HOST } from './browser/pages';
import { benchRounds, figureLine, median, seriesFigure, sleep, until } from './figures';
import type { BenchFigure, BenchModuleResult } from './run';
import { grownBundle, managedOrganizationsFile, organizationIds, writeGrownPoliciesRoot } from './scale-policy';
import { seeded, shuffled } from './unrelated';

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

// ── the browsers ────────────────────────────────────────────────────────────

/** A catalog of 10,000 more hosts, built the way the shipped one is: a policies folder of its own, validated and built into a temp folder. */
interface GrownBuild {
  root: string;
  chrome: string;
  firefox: string;
  /** The added hosts (10,000), in catalog order. */
  hosts: string[];
  serviceIds: string[];
  seconds: number;
  /** host_permissions and content-script match patterns, and the manifest's size, per browser. */
  manifests: Record<'chrome' | 'firefox', { hostPermissions: number; contentMatches: number; bytes: number }>;
}

function buildGrown(): GrownBuild {
  const root = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-grown-'));
  const added = writeGrownPoliciesRoot(ROOT, root, GROWN_SERVICES, HOSTS_EACH);
  const started = performance.now();
  const out = path.join(root, 'dist');
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, [POLICIES_ROOT_ENV]: root, BUILD_OUT_DIR: out },
  });
  if (result.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-6).join(' / ');
    throw new Error(`building the grown catalog failed (exit ${result.status}): ${tail}`);
  }
  const manifestOf = (dir: string) => {
    const text = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    const m = JSON.parse(text) as { host_permissions: string[]; content_scripts: { matches: string[] }[] };
    return { hostPermissions: m.host_permissions.length, contentMatches: m.content_scripts.reduce((n, c) => n + c.matches.length, 0), bytes: Buffer.byteLength(text) };
  };
  const chrome = path.join(out, 'chrome');
  const firefox = path.join(out, 'firefox');
  return {
    root,
    chrome,
    firefox,
    hosts: added.flatMap((s) => s.hosts.map((h) => h.host)),
    serviceIds: added.map((s) => s.id),
    seconds: (performance.now() - started) / 1000,
    manifests: { chrome: manifestOf(chrome), firefox: manifestOf(firefox) },
  };
}

/** One browser under a managed policy, measured against the browser with the shipped catalog. */
interface Side {
  key: 'catalog' | 'grown';
  /** Which catalog the build holds, for the figure names. */
  label: string;
  /** The build, before the copy the policy names. */
  chromeDist: string;
  firefoxDist: string;
  file: Record<string, unknown>;
  ids: string[];
  /** Hosts the policy stops that are visited once each. */
  sample: string[];
  /** How many hosts the policy stops. */
  stopped: number;
}

interface Measured {
  listed: number;
  enabled: number;
  problems: string[];
  rules: { total: number; redirect: number; regex: number; domains: number };
  tableBytes: number;
  starts: number[];
  warnings: number[];
  startRatios: number[];
  warnRatios: number[];
  reached: number;
  landed: number;
  sampleSeconds: number;
}

interface BaseMeasured {
  starts: number[];
  warnings: number[];
}

function sides(grown: GrownBuild | null): Side[] {
  const shipped = loadPolicyBundle();
  const catalogIds = shipped.services.map((s) => s.id);
  const catalogHosts = shipped.services.flatMap((s) => s.hosts.map((h) => h.host));
  const catalogFile = managedOrganizationsFile(ORGANIZATIONS, catalogIds, 3);
  const list: Side[] = [
    {
      key: 'catalog',
      label: `the shipped catalog (${catalogHosts.length} hosts)`,
      chromeDist: DIST_CHROME,
      firefoxDist: DIST_FIREFOX,
      file: catalogFile,
      ids: organizationIds(catalogFile),
      sample: catalogHosts.slice(0, SAMPLE),
      stopped: catalogHosts.length,
    },
  ];
  if (grown) {
    // The shipped services first, so chat.deepseek.com (the warning every side times) is stopped too.
    const file = managedOrganizationsFile(ORGANIZATIONS, [...catalogIds, ...grown.serviceIds], 3);
    const random = seeded(20_250_301);
    const sample = shuffled(grown.hosts.length, random).slice(0, SAMPLE).map((i) => grown.hosts[i]!);
    list.push({
      key: 'grown',
      label: `a catalog grown by ${GROWN_SERVICES.toLocaleString('en-US')} services × ${HOSTS_EACH} hosts (${(grown.hosts.length + catalogHosts.length).toLocaleString('en-US')} hosts)`,
      chromeDist: grown.chrome,
      firefoxDist: grown.firefox,
      file,
      ids: organizationIds(file),
      sample,
      stopped: grown.hosts.length + catalogHosts.length,
    });
  }
  return list;
}

const ROUND_TRIP_BODY = `const start = performance.now();
  const reply = await API.runtime.sendMessage({ kind: 'getProfiles', request: {} });
  return { ms: performance.now() - start, ok: !!reply && reply.ok === true, organizations: reply && reply.ok ? reply.data.organizations.length : 0,
    enabled: reply && reply.ok ? reply.data.enabled.length : 0 };`;
// Strings, not functions: tsx names inner functions with a `__name` helper the page does not have.
const ROUND_TRIP = `(async () => { ${ROUND_TRIP_BODY.replace('API', 'chrome')} })()`;
const FX_ROUND_TRIP = `(async () => { ${ROUND_TRIP_BODY.replace('API', 'browser')} })()`;
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
/** ms for one storage.managed.get() of the whole policy, timed in an extension page. */
const MANAGED_GET = `(async () => { const start = performance.now(); await chrome.storage.managed.get(); return performance.now() - start; })()`;
/** The dynamic rules by kind and the stored verdict table's size, as JSON (Firefox has no getBytesInUse); 0 when none is stored. */
const RULES_AND_TABLE = (api: string) => `(async () => {
  const rules = await ${api}.declarativeNetRequest.getDynamicRules();
  // Chromium keeps it in storage.local, Firefox in storage.session (src/background/rules.ts); none when it does not fit.
  const local = (await ${api}.storage.local.get('verdictTable')).verdictTable;
  const verdictTable = local !== undefined ? local : (await ${api}.storage.session.get('verdictTable')).verdictTable;
  return {
    total: rules.length,
    redirect: rules.filter((r) => r.action.type === 'redirect').length,
    regex: rules.filter((r) => r.condition.regexFilter !== undefined && r.condition.regexFilter !== null).length,
    domains: rules.reduce((n, r) => n + (r.condition.requestDomains ? r.condition.requestDomains.length : 0), 0),
    tableBytes: verdictTable === undefined ? 0 : new Blob([JSON.stringify(verdictTable)]).size,
  };
})()`;

interface RoundTrip {
  ms: number;
  organizations: number;
  enabled: number;
}

async function roundTrip(page: { evaluate(script: string): Promise<unknown> }, script = ROUND_TRIP): Promise<RoundTrip> {
  const r = (await page.evaluate(script)) as RoundTrip & { ok: boolean };
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

/**
 * Visits each sampled host once; `visit` navigates and resolves when the interstitial shows that visit's
 * own address (it keeps the blocked URL raw in its fragment: this landing, not the one before).
 */
async function visitSample(
  server: { reset(): void; requests(host: string): number },
  sample: readonly string[],
  visit: (url: string) => Promise<unknown>,
): Promise<{ reached: number; landed: number; sampleSeconds: number }> {
  server.reset();
  const started = performance.now();
  let landed = 0;
  for (const host of sample) {
    await visit(`http://${host}/`).then(
      () => (landed += 1),
      () => undefined,
    );
  }
  const reached = sample.reduce((n, h) => n + server.requests(h), 0);
  return { reached, landed, sampleSeconds: (performance.now() - started) / 1000 };
}

const WARNING_URL = (r: number) => `http://chat.deepseek.com/c/${r}`;
const med = (xs: number[]) => median(xs).toFixed(1);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The figures of one browser: per side, organizations listed, start-up and warning ÷ the shipped catalog's, requests to the sample; for the grown catalog, its rules, table and manifest. */
function browserFigures(
  browser: 'Chromium' | 'Firefox',
  base: BaseMeasured,
  measured: { side: Side; m: Measured }[],
  grown: GrownBuild | null,
  how: { startup: string; warning: string },
): BenchFigure[] {
  const target = browser === 'Chromium' ? 'chrome' : 'firefox';
  const limits = DNR_LIMITS[target];
  const figures: BenchFigure[] = [];
  for (const { side, m } of measured) {
    const accepted = m.listed - loadPolicyBundle().organizations.length;
    const tag = `scale (${browser}, ${side.key === 'catalog' ? 'shipped catalog' : '10,000 hosts'})`;
    figures.push(
      single(
        `${tag}: organizations of the ${ORGANIZATIONS} in the managed policy that the extension lists, over ${side.label}`,
        'count',
        accepted,
        `${ORGANIZATIONS}`,
        accepted === ORGANIZATIONS,
        `${m.enabled} profiles on; ${m.problems.length} problem(s) reported${m.problems.length > 0 ? `, first: ${m.problems[0]}` : ''}`,
      ),
      seriesFigure(
        `${tag}: ${how.startup} with ${ORGANIZATIONS} managed organizations over ${side.label} ÷ with the shipped catalog (one profile on)`,
        '×',
        m.startRatios,
        '≤ 1.20×',
        (v) => v <= 1.2,
        `per run ÷ the shipped-catalog browser's in the same round: ${med(m.starts)} ms against ${med(base.starts)} ms; ` +
          `${m.rules.total} dynamic DNR rules (${m.rules.domains.toLocaleString('en-US')} request domains)`,
      ),
      seriesFigure(
        `${tag}: ${how.warning}, ${ORGANIZATIONS} managed organizations over ${side.label} ÷ the shipped catalog's`,
        '×',
        m.warnRatios,
        '≤ 1.20×',
        (v) => v <= 1.2,
        `per run ÷ the shipped-catalog browser's in the same round; interstitial-rendered mark after the navigation was asked for: ${med(m.warnings)} ms against ${med(base.warnings)} ms`,
      ),
      single(
        `${tag}: requests that reached a random sample of ${side.sample.length} of the ${side.stopped.toLocaleString('en-US')} hosts the policy stops`,
        'count',
        m.reached,
        '0, and every visit ends on the interstitial',
        m.reached === 0 && m.landed === side.sample.length,
        `${side.sample.length} hosts visited once each (counted per Host header at the local server the hosts are mapped to); ${m.landed} ended on the interstitial (${m.sampleSeconds.toFixed(1)} s)`,
      ),
    );
    if (side.key !== 'grown' || !grown) continue;
    const problems = [
      m.rules.total > limits.dynamicRules ? `over ${limits.dynamicRules} dynamic rules` : '',
      m.rules.redirect > limits.unsafeDynamicRules ? `over ${limits.unsafeDynamicRules} redirect rules` : '',
      m.rules.regex > limits.regexRules ? `over ${limits.regexRules} regex rules` : '',
    ].filter(Boolean);
    const limitText =
      browser === 'Chromium'
        ? `${limits.unsafeDynamicRules.toLocaleString('en-US')} redirect ("unsafe") dynamic rules (of ${limits.dynamicRules.toLocaleString('en-US')} dynamic), ${limits.regexRules} regex rules`
        : `${limits.dynamicRules.toLocaleString('en-US')} dynamic rules, ${limits.regexRules} regex rules`;
    const manifest = grown.manifests[target];
    figures.push(
      single(
        `${tag}: dynamic DNR rules with ${side.stopped.toLocaleString('en-US')} hosts stopped, against the limit that applies`,
        'count',
        m.rules.total,
        `within ${limitText}`,
        problems.length === 0,
        `${m.rules.redirect} redirect, ${m.rules.regex} regex; ${m.rules.domains.toLocaleString('en-US')} request domains in all (every domain host in one rule's requestDomains; exact hosts: one regex rule per label count)` +
          (problems.length > 0 ? `; ${problems.join(', ')}` : ''),
      ),
      single(
        `${tag}: verdict table stored with ${side.stopped.toLocaleString('en-US')} hosts`,
        'KB',
        m.tableBytes,
        'reported (storage.local and storage.session hold 10 MB each; 0 means no table was stored: it did not fit)',
        null,
        `as JSON (Chromium: storage.local; Firefox: storage.session); with the shipped catalog and ${ORGANIZATIONS} managed organizations: ${kb(measured.find((x) => x.side.key === 'catalog')?.m.tableBytes ?? NaN)}`,
      ),
      single(
        `${tag}: host permission patterns in the manifest of the grown build (it loaded and redirected: see the sample above)`,
        'count',
        manifest.hostPermissions,
        'reported: the build installs and stops the sample',
        null,
        `${manifest.contentMatches.toLocaleString('en-US')} content-script match patterns; manifest.json ${kb(manifest.bytes)}; ` +
          `each domain host gives two patterns (host and *.host), each exact host one` +
          (browser === 'Firefox' ? ', and Firefox doubles host_permissions with the trailing-dot form' : '') +
          `; a service whose hosts share one registrable domain is one domain entry, two patterns`,
      ),
    );
  }
  return figures;
}

function mappedHosts(port: number, side: Side | null): Record<string, number> {
  const shipped = loadPolicyBundle().services.flatMap((s) => s.hosts.map((h) => h.host));
  return Object.fromEntries([START_HOST, ...shipped, ...(side?.sample ?? [])].map((h) => [h, port]));
}

async function chromiumFigures(notes: string[], grown: GrownBuild | null): Promise<BenchFigure[]> {
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
  const server = await startSiteServer(benchRoutes(DIST_CHROME, pageFiles(DIST_CHROME, INTERSTITIAL_PATH)));
  const browsers: ProfileBrowser[] = [];
  let policy: ChromiumPolicy | undefined;
  try {
    const base = await launchChromium({ executablePath: ready.executable, dist: DIST_CHROME, hostMap: mappedHosts(server.port, null) });
    browsers.push(base);
    await base.enableProfile(PROFILE);
    for (const p of base.context.pages()) if (p.url().includes('/welcome')) await p.close();
    const basePage = await base.context.newPage();
    await basePage.goto(base.extensionUrl('manifest.json'));
    const baseTab = await base.context.newPage();
    const baseM: BaseMeasured = { starts: [], warnings: [] };
    const measured: { side: Side; m: Measured }[] = [];
    const managedReads: { label: string; ms: number[]; bytes: number }[] = [];
    // Seen twice in Chromium 156: with the grown build's manifest (19,031 host patterns, 1.5 MB) the browser
    // did not finish starting within playwright's 180 s. BENCH_SCALE_CHROMIUM_GROWN=1 tries it anyway.
    const chromiumSides = sides(grown).filter((side) => side.key !== 'grown' || process.env.BENCH_SCALE_CHROMIUM_GROWN === '1');
    if (grown && chromiumSides.length < sides(grown).length) {
      notes.push(
        `Chromium, 10,000 hosts: not launched (Chromium 156 did not finish starting within 180 s, twice, with the grown build's ` +
          `${grown.manifests.chrome.hostPermissions.toLocaleString('en-US')} host_permissions and ${grown.manifests.chrome.contentMatches.toLocaleString('en-US')} content-script matches, ` +
          `manifest ${kb(grown.manifests.chrome.bytes)}); BENCH_SCALE_CHROMIUM_GROWN=1 tries it`,
      );
    }
    // One managed browser at a time beside the base: a second policy file naming 3rdparty is not merged with the first.
    for (const side of chromiumSides) {
      policy = setUpChromiumPolicy(side.chromeDist);
      policy.write({ organizations: side.file, enabledProfiles: side.ids });
      const b = await launchChromium({ executablePath: ready.executable, dist: policy.dist, hostMap: mappedHosts(server.port, side) });
      browsers.push(b);
      const page = await b.context.newPage();
      await page.goto(b.extensionUrl('manifest.json'));
      // storage.managed reaches the extension seconds after start (see the browser-testing notes).
      // Settings messages are answered only from the options page and the popup.
      const options = await b.openOptions();
      const report = (await until(`the managed policy to be read (${side.label})`, 60_000, async () => {
        const r = (await options.evaluate(`chrome.runtime.sendMessage({ kind: 'getManagedPolicy', request: {} })`)) as {
          ok: boolean;
          data?: { present: boolean; problems: string[] };
        };
        return r.ok && r.data?.present ? r.data : undefined;
      })) as { present: boolean; problems: string[] };
      await options.close();
      const applied = await until('the managed organizations to be on', 30_000, async () => {
        const r = await roundTrip(page);
        return r.enabled > 1 ? r : undefined;
      }).catch(() => roundTrip(page));
      if (applied.enabled <= 1) throw new Error(`Chromium, ${side.label}: the managed organizations were not applied`);
      await b.waitForRules(1, 30_000);
      // Only the measuring pages stay open (the welcome page is closed, as a person closes it).
      for (const p of b.context.pages()) if (p.url().includes('/welcome')) await p.close();
      const tab = await b.context.newPage();

      const runs = benchRounds(10);
      const m = { starts: [] as number[], warnings: [] as number[], startRatios: [] as number[], warnRatios: [] as number[] };
      const reads: number[] = [];
      for (let r = -1; r < runs; r += 1) {
        const order = r % 2 === 0 ? (['managed', 'base'] as const) : (['base', 'managed'] as const);
        const s: Record<string, number> = {};
        const w: Record<string, number> = {};
        for (const who of order) {
          const [x, p, t] = who === 'managed' ? [b, page, tab] : [base, basePage, baseTab];
          s[who] = await coldRoundTrip(x, p);
          w[who] = await coldWarning(x, t, WARNING_URL(r));
        }
        if (r < 0) continue;
        // The floor: what handing this policy to any extension costs, read by an extension page (the worker stays stopped).
        reads.push((await page.evaluate(MANAGED_GET)) as number);
        baseM.starts.push(s.base!);
        baseM.warnings.push(w.base!);
        m.starts.push(s.managed!);
        m.warnings.push(w.managed!);
        m.startRatios.push(s.managed! / s.base!);
        m.warnRatios.push(w.managed! / w.base!);
      }

      managedReads.push({ label: side.label, ms: reads, bytes: Buffer.byteLength(JSON.stringify({ organizations: side.file, enabledProfiles: side.ids })) });
      const ruleInfo = (await page.evaluate(RULES_AND_TABLE('chrome'))) as Measured['rules'] & { tableBytes: number };
      const { reached, landed, sampleSeconds } = await visitSample(server, side.sample, async (url) => {
        await tab.goto(url, { waitUntil: 'commit' }).catch(() => undefined);
        await tab.waitForURL((u) => u.protocol === 'chrome-extension:' && u.href.endsWith(`#${url}`), { timeout: 10_000 });
      });
      measured.push({
        side,
        m: { listed: applied.organizations, enabled: applied.enabled, problems: report.problems, rules: ruleInfo, tableBytes: ruleInfo.tableBytes, ...m, reached, landed, sampleSeconds },
      });
      await b.close();
      browsers.pop();
      policy.remove();
      policy = undefined;
    }
    const figures = browserFigures('Chromium', baseM, measured, grown, {
      startup: 'worker start-up (stopped worker → first getProfiles answer)',
      warning: 'the complete warning after a stopped worker',
    });
    for (const { label, ms, bytes } of managedReads) {
      const startOf = measured.find((x) => x.side.label === label)?.m.starts ?? [];
      figures.push(
        single(
          `scale (Chromium): floor: storage.managed.get() of the ${ORGANIZATIONS}-organization policy from an extension page, ÷ the shipped catalog's whole worker start-up`,
          '×',
          median(ms) / median(baseM.starts),
          'reported: what the browser costs any extension that reads this policy once; a start that answers from it cannot go under shipped start-up + this read',
          null,
          `median ${med(ms)} ms per read (${ms.length} reads, the worker stopped) of a policy of ${kb(bytes)} as JSON, over ${label}; shipped start-up ${med(baseM.starts)} ms`,
        ),
        single(
          `scale (Chromium): worker start-up with ${ORGANIZATIONS} managed organizations ÷ (shipped start-up + that read)`,
          '×',
          median(startOf) / (median(baseM.starts) + median(ms)),
          'reported: what our start adds above the floor (validating the policy, merging it, answering with every organization)',
          null,
          `${med(startOf)} ms against ${med(baseM.starts)} + ${med(ms)} ms`,
        ),
      );
    }
    return figures;
  } finally {
    for (const b of browsers) await b.close();
    policy?.remove();
    await server.close();
  }
}

/** Firefox suspends an idle MV3 background after this (default 30 s); each timed run waits IDLE_WAIT_MS first (bench/firefox-speed.ts). */
const FX_IDLE_TIMEOUT_MS = 1_000;
const FX_IDLE_WAIT_MS = 2_500;

async function firefoxFigures(notes: string[], grown: GrownBuild | null): Promise<BenchFigure[]> {
  const executable = firefoxPath();
  if (!existsSync(executable)) {
    notes.push(`Firefox part skipped: Firefox not found at ${executable}`);
    return [];
  }
  const file = policiesFileOf(executable);
  const problem = policyDirProblem(path.dirname(file));
  if (problem) {
    notes.push(`Firefox part skipped: ${problem}`);
    return [];
  }
  // Firefox sends every request to this server as its proxy: every host reaches it, counted per Host header.
  const server = await startSiteServer(benchRoutes(DIST_CHROME, pageFiles(DIST_CHROME, INTERSTITIAL_PATH)));
  const browsers: FirefoxExtension[] = [];
  const launch = { startUrl: `http://${START_HOST}/`, prefs: { 'extensions.background.idle.timeout': FX_IDLE_TIMEOUT_MS } };
  try {
    const base = await launchFirefox({ executablePath: executable, proxyPort: server.port, dist: DIST_FIREFOX, ...launch });
    browsers.push(base);
    await base.ext(async (api, id) => {
      const reply = (await api.runtime.sendMessage({ kind: 'setProfileEnabled', request: { organizationId: id, enabled: true } })) as { ok: boolean };
      if (!reply.ok) throw new Error('setProfileEnabled failed');
    }, PROFILE);
    await base.waitForRules((rules) => rules.length > 0, 'the profile rules', 30_000);
    const managed: { side: Side; ff: FirefoxExtension; page: FirefoxPage; report: { problems: string[] }; applied: RoundTrip }[] = [];
    for (const side of sides(grown)) {
      const ff = await launchManagedFirefox({
        executablePath: executable,
        proxyPort: server.port,
        source: side.firefoxDist,
        policy: { organizations: side.file, enabledProfiles: side.ids },
        launch,
      });
      browsers.push(ff);
      const report = await until('the managed policy to be read', 60_000, async () => {
        const r = (await ff.ext((api) => api.runtime.sendMessage({ kind: 'getManagedPolicy', request: {} }))) as {
          ok: boolean;
          data?: { present: boolean; problems: string[] };
        };
        return r.ok && r.data?.present ? r.data : undefined;
      });
      const page = await ff.openExtensionPage('src/pages/options/index.html');
      const applied = await until('the managed organizations to be on', 30_000, async () => {
        const r = await roundTrip(page, FX_ROUND_TRIP);
        return r.enabled > 1 ? r : undefined;
      }).catch(() => roundTrip(page, FX_ROUND_TRIP));
      if (applied.enabled <= 1) throw new Error(`Firefox, ${side.label}: the managed organizations were not applied`);
      await ff.waitForRules((rules) => rules.length > 0, 'the managed rules', 30_000);
      managed.push({ side, ff, page, report, applied });
    }
    const basePage = await base.openExtensionPage('src/pages/options/index.html');
    const all = [{ ff: base, page: basePage }, ...managed.map(({ ff, page }) => ({ ff, page }))];
    const tabs = new Map<FirefoxExtension, FirefoxPage>();
    for (const { ff } of all) {
      const tab = await ff.newWebPage();
      // Only the measuring pages stay open (the welcome page and the harness's control page are closed).
      for (const other of await ff.browser.pages()) if (other !== tab && !all.some((x) => x.page === other)) await other.close().catch(() => undefined);
      tabs.set(ff, tab);
    }

    // Fewer rounds than Chromium: each Firefox round waits for its background to go idle, and its 200-host sample alone takes about 80 s.
    const runs = benchRounds(6);
    const baseM: BaseMeasured = { starts: [], warnings: [] };
    const sideM = managed.map(() => ({ starts: [] as number[], warnings: [] as number[], startRatios: [] as number[], warnRatios: [] as number[] }));
    for (let r = -1; r < runs; r += 1) {
      const order = all.map((_, k) => (k + Math.max(r, 0)) % all.length);
      // Every background idle (suspended), then one message each.
      await sleep(FX_IDLE_WAIT_MS);
      const s: number[] = [];
      for (const i of order) s[i] = (await roundTrip(all[i]!.page, FX_ROUND_TRIP)).ms;
      // From a web page, idle again, then the warning in each.
      for (const { ff } of all) await ff.navigate(tabs.get(ff)!, `http://${START_HOST}/`, (h) => h.startsWith(`http://${START_HOST}/`));
      await sleep(FX_IDLE_WAIT_MS);
      const w: number[] = [];
      for (const i of order) {
        const { ff } = all[i]!;
        const tab = tabs.get(ff)!;
        const requestedAt = Date.now();
        await ff.navigate(tab, WARNING_URL(r), (h) => h.startsWith(ff.interstitialUrl()));
        // The interstitial replaces its first document (main.ts): a read that races it is tried again.
        let rendered: number | null = null;
        for (let attempt = 0; attempt < 3 && rendered === null; attempt += 1) rendered = (await tab.evaluate(READ_RENDERED).catch(() => null)) as number | null;
        if (rendered === null) throw new Error(`Firefox: no interstitial-rendered mark after ${WARNING_URL(r)}`);
        w[i] = rendered - requestedAt;
      }
      if (r < 0) continue;
      baseM.starts.push(s[0]!);
      baseM.warnings.push(w[0]!);
      sideM.forEach((m, j) => {
        m.starts.push(s[j + 1]!);
        m.warnings.push(w[j + 1]!);
        m.startRatios.push(s[j + 1]! / s[0]!);
        m.warnRatios.push(w[j + 1]! / w[0]!);
      });
    }

    const measured: { side: Side; m: Measured }[] = [];
    for (const [j, { side, ff, page, report, applied }] of managed.entries()) {
      const ruleInfo = (await page.evaluate(RULES_AND_TABLE('browser'))) as Measured['rules'] & { tableBytes: number };
      const tab = tabs.get(ff)!;
      const { reached, landed, sampleSeconds } = await visitSample(server, side.sample, async (url) => {
        await tab.evaluate(`location.href = ${JSON.stringify(url)}`).catch(() => undefined);
        await until('the interstitial', 10_000, async () => ((await ff.href(tab)).endsWith(`#${url}`) ? true : undefined), 20);
      });
      measured.push({
        side,
        m: { listed: applied.organizations, enabled: applied.enabled, problems: report.problems, rules: ruleInfo, tableBytes: ruleInfo.tableBytes, ...sideM[j]!, reached, landed, sampleSeconds },
      });
    }
    return browserFigures('Firefox', baseM, measured, grown, {
      startup: 'background start-up (idle background → first getProfiles answer)',
      warning: 'the complete warning after an idle background',
    });
  } finally {
    for (const b of browsers) await b.close();
    await server.close();
  }
}

export async function runScaleBench(): Promise<BenchModuleResult> {
  const name = 'scale: 1,000 managed organizations, 10,000 hosts';
  const notes: string[] = [];
  const figures = coreFigures();
  let grown: GrownBuild | null = null;
  try {
    if (ensureFreshBuild().usable) {
      grown = buildGrown();
      notes.push(
        `the grown catalog (${grown.hosts.length.toLocaleString('en-US')} more hosts) built from its own policies folder (${POLICIES_ROOT_ENV}) into a temp folder in ${grown.seconds.toFixed(1)} s`,
      );
    }
  } catch (error) {
    notes.push(`ERROR building the grown catalog (the benchmark broke, not a MISS): ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    for (const [part, run] of [
      ['Chromium', chromiumFigures],
      ['Firefox', firefoxFigures],
    ] as const) {
      const started = performance.now();
      try {
        figures.push(...(await run(notes, grown)));
        notes.push(`the ${part} part took ${((performance.now() - started) / 1000).toFixed(1)} s`);
      } catch (error) {
        notes.push(`ERROR in the ${part} part (the benchmark broke, not a MISS): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    if (grown) rmSync(grown.root, { recursive: true, force: true });
  }
  return { name, figures, lines: [...figures.map(figureLine), ...notes], notes };
}
