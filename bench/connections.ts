/**
 * Issue 7 in figures: TCP connections that reach a banned host (a server
 * only chat.deepseek.com is mapped to) for a typed address, a link clicked on
 * another site and window.open, with the browser's default settings and with
 * the protection on (network prediction off through the extension), in
 * Chromium and Firefox; and what the protection costs an unrelated site.
 *
 * The measuring is the e2e suite's (tests/e2e/harness/connections.ts): the
 * same counters, the same ways in, so the figures and the CI assertions agree.
 * Chromium's grant prompt for the optional `privacy` permission is a native
 * dialog no automation reaches, so the protected Chromium runs use a copy of
 * the build that asks for `privacy` at install; Firefox grants it from a real
 * click on the options page.
 *
 * Cost: page-load time (loadEventEnd) of unrelated.test, a 20 KB page with 11
 * sub-resources on a local server, with pre-connecting off ÷ on, in one
 * Chromium, the setting switched through the extension between blocks of
 * loads. Every load starts with the server's connections dropped, so the page
 * needs a new one, which is what a pre-connect would have saved. On loopback a
 * connection costs well under a millisecond: this bounds the CPU-side cost;
 * on a real network the lost pre-connects cost up to one round trip per new
 * origin per navigation.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type ExtensionBrowser } from '../tests/e2e/harness/chromium';
import {
  chromiumCopyWithPrivacyGranted,
  chromiumWay,
  firefoxWay,
  launchCountingFirefox,
  startConnectionCounter,
  type ConnectionCounter,
  type CountingFirefox,
  type Way,
} from '../tests/e2e/harness/connections';
import { startSiteServer, UNRELATED_HOST as SITE_HOST, type CountingServer } from '../tests/e2e/harness/server';
import { chromiumPath, DIST_CHROME, DIST_FIREFOX, ensureFreshBuild, firefoxPath, INTERSTITIAL_PATH, pageFiles } from './browser/dist';
import { benchRoutes, UNRELATED_HOST } from './browser/pages';
import { benchRounds, figureLine, median, seriesFigure, sleep } from './figures';
import type { BenchFigure, BenchModuleResult } from './run';

const WAYS: readonly Way[] = ['goto', 'link', 'window.open'];
const REPEATS = { chromium: 3, firefox: 2 };
const BLOCKS = benchRounds(8);
const LOADS = 3;
const PROFILE = 'kb-financial-group';
const BANNED_DOMAIN = 'deepseek.com';
const BANNED_HOST = 'chat.deepseek.com';
const OPTIONS_PATH = 'src/pages/options/index.html';

type Reply = { ok: true; data: unknown } | { ok: false; error: string };

/** Sends one message to the background from an extension page, as the pages do. */
async function sendFromPage(page: Page, kind: string, request: unknown): Promise<unknown> {
  const reply = (await page.evaluate(
    ([k, r]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ kind: k, request: r }),
    [kind, request] as const,
  )) as Reply;
  if (!reply.ok) throw new Error(`${kind}: ${reply.error}`);
  return reply.data;
}

interface Counts {
  browser: 'Chromium' | 'Firefox';
  config: 'default settings' | 'protected';
  way: Way;
  values: number[];
}

function countFigure(c: Counts): BenchFigure {
  const isProtected = c.config === 'protected';
  return seriesFigure(
    `${c.browser}, ${c.config}: TCP connections to the banned host, ${c.way}`,
    'count',
    c.values,
    isProtected ? '0' : 'reported (what the protection removes)',
    (m) => (isProtected ? m === 0 && Math.max(...c.values) === 0 : null),
    `connections accepted by the server only ${BANNED_HOST} resolves to, from the action until 500 ms after the interstitial showed; ` +
      `each run: ${c.values.join(', ')}; HTTP requests: 0 in every run (checked)`,
  );
}

async function chromiumCounts(
  launch: (dist: string) => Promise<ExtensionBrowser>,
  dist: string,
  config: Counts['config'],
  banned: ConnectionCounter,
): Promise<Counts[]> {
  const b = await launch(dist);
  try {
    // The options page: setPreventPreconnect is accepted from it alone (src/shared/message-senders.ts).
    const page = await b.openOptions();
    if (config === 'protected') {
      const status = (await sendFromPage(page, 'setPreventPreconnect', { enabled: true })) as { state: string };
      if (status.state !== 'on') throw new Error(`the protection did not take: state ${status.state}`);
    }
    await sendFromPage(page, 'setProfileEnabled', { organizationId: PROFILE, enabled: true });
    await b.waitForRules(1);
    await page.close();
    const landed = (p: Page) => p.waitForURL((u) => u.href.startsWith(b.interstitialUrl()), { timeout: 10_000 });
    const out: Counts[] = [];
    for (const way of WAYS) {
      const values: number[] = [];
      for (let r = 0; r < REPEATS.chromium; r += 1) {
        const count = await chromiumWay(b.context, banned, way, { unrelated: `http://${SITE_HOST}/`, banned: `http://${BANNED_HOST}/` }, landed);
        if (count.requests !== 0) throw new Error(`Chromium ${config} ${way}: ${count.requests} HTTP request(s) reached the banned host`);
        values.push(count.connections);
      }
      out.push({ browser: 'Chromium', config, way, values });
    }
    return out;
  } finally {
    await b.close();
  }
}

/** loadEventEnd of unrelated.test with pre-connecting off ÷ on, the setting switched through the extension. */
async function chromiumLoadCost(launch: (dist: string) => Promise<ExtensionBrowser>, dist: string, bench: CountingServer): Promise<BenchFigure> {
  const b = await launch(dist);
  try {
    const control = await b.openOptions();
    const page = await b.context.newPage();
    const loadTime = async (url: string): Promise<number> => {
      bench.dropConnections();
      await page.goto(url, { waitUntil: 'load' });
      const handle = await page.waitForFunction(
        `(() => { const nav = performance.getEntriesByType('navigation')[0]; return nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : 0; })()`,
        undefined,
        { polling: 5, timeout: 10_000 },
      );
      return (await handle.jsonValue()) as number;
    };
    const block = async (off: boolean, tag: string): Promise<number[]> => {
      const status = (await sendFromPage(control, 'setPreventPreconnect', { enabled: off })) as { state: string };
      if (status.state !== (off ? 'on' : 'off')) throw new Error(`switching the protection ${off ? 'on' : 'off'} gave state ${status.state}`);
      await loadTime(`http://${UNRELATED_HOST}/?${tag}&settle`);
      const times: number[] = [];
      for (let k = 0; k < LOADS; k += 1) times.push(await loadTime(`http://${UNRELATED_HOST}/?${tag}&load=${k}`));
      return times;
    };
    const ratios: number[] = [];
    const withOff: number[] = [];
    const withOn: number[] = [];
    for (let r = 0; r < BLOCKS; r += 1) {
      // Alternating order, so neither side always runs first (warmer caches, quieter machine).
      const first = await block(r % 2 === 0, `run=${r}&a`);
      const second = await block(r % 2 !== 0, `run=${r}&b`);
      const [off, on] = r % 2 === 0 ? [first, second] : [second, first];
      withOff.push(...off);
      withOn.push(...on);
      ratios.push(median(off) / median(on));
    }
    return seriesFigure(
      `page-load time on ${UNRELATED_HOST} (Chromium), pre-connecting off ÷ on`,
      '×',
      ratios,
      '≤ 1.05×',
      (v) => v <= 1.05,
      `loadEventEnd medians ${median(withOff).toFixed(1)} ms off vs ${median(withOn).toFixed(1)} ms on (${withOff.length} loads each, ` +
        `a fresh connection for every load, local server: a connection costs < 1 ms here, so this is the CPU-side cost; ` +
        `a run = the ratio of the medians of ${LOADS} loads each way)`,
    );
  } finally {
    await b.close();
  }
}

async function firefoxCounts(config: Counts['config'], site: CountingServer, banned: ConnectionCounter): Promise<Counts[]> {
  const siteUrl = `http://${SITE_HOST}:${site.port}/`;
  const bannedUrl = `http://${BANNED_HOST}:${banned.port}/`;
  const ff: CountingFirefox = await launchCountingFirefox({
    executablePath: firefoxPath(),
    proxyPort: site.port,
    directHosts: [BANNED_HOST, SITE_HOST],
    siteUrl,
    dist: DIST_FIREFOX,
  });
  try {
    const options = await ff.openExtensionPage(OPTIONS_PATH);
    if (config === 'protected') {
      await options.waitForSelector('#prevent-preconnect:not([disabled])');
      // A real click: Firefox grants the optional permission only while handling user input.
      await options.click('label[for="prevent-preconnect"]');
      const deadline = Date.now() + 10_000;
      while (!(await options.$eval('#preconnect-state', (e) => e.textContent ?? '')).includes('off in this browser')) {
        if (Date.now() > deadline) throw new Error('Firefox: the protection did not take');
        await sleep(100);
      }
    }
    const reply = (await options.evaluate(
      (id) =>
        (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({
          kind: 'setProfileEnabled',
          request: { organizationId: id, enabled: true },
        }),
      PROFILE,
    )) as Reply;
    if (!reply.ok) throw new Error(`setProfileEnabled: ${reply.error}`);
    await options.close();
    const interstitial = ff.extensionUrl(INTERSTITIAL_PATH);
    const out: Counts[] = [];
    for (const way of WAYS) {
      const values: number[] = [];
      for (let r = 0; r < REPEATS.firefox; r += 1) {
        const count = await firefoxWay(ff, banned, way, bannedUrl, (h) => h.startsWith(interstitial));
        if (count.requests !== 0) throw new Error(`Firefox ${config} ${way}: ${count.requests} HTTP request(s) reached the banned host`);
        values.push(count.connections);
      }
      out.push({ browser: 'Firefox', config, way, values });
    }
    return out;
  } finally {
    await ff.close();
  }
}

export async function runConnectionsBench(): Promise<BenchModuleResult> {
  const name = 'connections to a banned host, and the cost of preventing them';
  const build = ensureFreshBuild();
  if (!build.usable) return { name, figures: [], lines: [`skipped: ${build.note}`], notes: [build.note] };
  const notes: string[] = [];
  const figures: BenchFigure[] = [];
  const [site, banned] = await Promise.all([startSiteServer(), startConnectionCounter(BANNED_DOMAIN)]);
  const bench = await startSiteServer(benchRoutes(DIST_CHROME, pageFiles(DIST_CHROME, INTERSTITIAL_PATH)));
  const work = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-conn-'));
  try {
    if (existsSync(chromiumPath())) {
      const launch = (dist: string) =>
        launchChromium({
          executablePath: chromiumPath(),
          defaultPort: site.port,
          hostMap: { [BANNED_DOMAIN]: banned.port, [`*.${BANNED_DOMAIN}`]: banned.port, [UNRELATED_HOST]: bench.port },
          dist,
        });
      const privacyCopy = chromiumCopyWithPrivacyGranted(DIST_CHROME, work);
      for (const c of await chromiumCounts(launch, DIST_CHROME, 'default settings', banned)) figures.push(countFigure(c));
      for (const c of await chromiumCounts(launch, privacyCopy, 'protected', banned)) figures.push(countFigure(c));
      figures.push(await chromiumLoadCost(launch, privacyCopy, bench));
    } else {
      notes.push(`Chromium skipped: not found at ${chromiumPath()}`);
    }
    if (existsSync(firefoxPath())) {
      for (const config of ['default settings', 'protected'] as const) {
        for (const c of await firefoxCounts(config, site, banned)) figures.push(countFigure(c));
      }
      notes.push(
        'Firefox makes no speculative connection through a proxy, so the counted hosts are reached directly ' +
          '(network.dns.localDomains) with network.http.speculative-parallel-limit at its default 6 (puppeteer sets 0)',
      );
    } else {
      notes.push(`Firefox skipped: not found at ${firefoxPath()}`);
    }
  } finally {
    await Promise.all([site.close(), banned.close(), bench.close()]);
    rmSync(work, { recursive: true, force: true });
  }
  return { name, figures, lines: [...figures.map(figureLine), ...notes.map((n) => `note: ${n}`)], notes: [build.note, ...notes] };
}
