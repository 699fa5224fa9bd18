/**
 * Issue 7, "zero contact": TCP connections (not only HTTP requests) that reach
 * a banned host, counted per host by a server only that host is mapped to
 * (harness/connections.ts), in real Chromium and Firefox with the built
 * extension. Three ways in: a typed address (page.goto), a link clicked on
 * another site, window.open. Once with the browser's default settings and once
 * with the protection on (network prediction off through `privacy.network`).
 *
 * Two ways that only pre-connect are counted too: a link pointed at, and a
 * page's `<link rel=preconnect>` hint.
 *
 * Controls, so that a 0 means "nothing connected", not "the counter cannot
 * see": every browser run starts with the test itself visiting the banned host
 * (>= 1 connection and request), and with default settings a pre-connect must
 * be seen (Chromium: a typed address and a link; Firefox: a page's hint
 * before any profile is on).
 *
 * Limits written down: Chromium's grant prompt for the optional `privacy`
 * permission is a native dialog no automation reaches, so the protected
 * Chromium runs load a copy whose manifest asks for `privacy` at install
 * (harness/connections.ts); the shipped build's "permission missing" path is
 * checked on the pages. Firefox grants it from a real click (the prompt
 * itself is turned off by a pref). Firefox makes no speculative connection
 * through a proxy, so it reaches the counted hosts directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST_CHROME, assertBuilt, chromiumForSuite, freshProfileDir, launchChromium, removeProfileDir, type ExtensionBrowser } from './harness/chromium';
import {
  WAYS,
  chromiumCopyWithPrivacyGranted,
  chromiumWay,
  firefoxWay,
  launchCountingFirefox,
  startConnectionCounter,
  type ConnectionCounter,
  type CountingFirefox,
  type Way,
} from './harness/connections';
import { INTERSTITIAL_PATH, OPTIONS_PATH, firefoxForSuite } from './harness/firefox';
import { startSiteServer, UNRELATED_HOST, type CountingServer } from './harness/server';
import { setProfileInPopup, waitForInterstitial } from './harness/ui';
import { policyDirProblem, setUpChromiumPolicy } from './managed/chromium-policy';

const BANNED_DOMAIN = 'deepseek.com';
const BANNED_URL = 'http://chat.deepseek.com/';
const UNRELATED_URL = `http://${UNRELATED_HOST}/`;
const KB = 'kb-financial-group';

interface Trial {
  browser: 'Chromium' | 'Firefox';
  config: string;
  way: Way | 'control';
  connections: number;
  requests: number;
}
const trials: Trial[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function record(t: Trial): Trial {
  trials.push(t);
  return t;
}

afterAll(() => {
  if (trials.length === 0) return;
  console.log('\nTCP connections / HTTP requests that reached the banned host (chat.deepseek.com):');
  for (const t of trials) {
    console.log(`  ${t.browser.padEnd(9)} ${t.config.padEnd(34)} ${t.way.padEnd(16)} ${String(t.connections).padStart(2)} conn ${String(t.requests).padStart(2)} req`);
  }
});

const chromiumFound = chromiumForSuite();

describe.skipIf(!chromiumFound.found)('Chromium: connections to a banned host', () => {
  let site: CountingServer;
  let banned: ConnectionCounter;
  let work: string;
  let privacyCopy: string;

  beforeAll(async () => {
    assertBuilt();
    [site, banned] = await Promise.all([startSiteServer(), startConnectionCounter(BANNED_DOMAIN)]);
    work = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-conn-'));
    privacyCopy = chromiumCopyWithPrivacyGranted(DIST_CHROME, work);
  });
  afterAll(async () => {
    await Promise.all([site?.close(), banned?.close()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const launch = (dist: string, userDataDir?: string) =>
    launchChromium({
      executablePath: chromiumFound.path,
      defaultPort: site.port,
      hostMap: { [BANNED_DOMAIN]: banned.port, [`*.${BANNED_DOMAIN}`]: banned.port },
      dist,
      ...(userDataDir ? { userDataDir } : {}),
    });

  /** The test itself opens the banned host (no profile on yet): the counter must see it. */
  async function control(b: ExtensionBrowser, config: string): Promise<void> {
    const page = await b.context.newPage();
    banned.reset();
    await page.goto(BANNED_URL);
    await sleep(200);
    const t = record({ browser: 'Chromium', config, way: 'control', connections: banned.connections(), requests: banned.requests() });
    await page.close();
    expect(t.requests, 'control: the deliberate visit reached the host').toBeGreaterThanOrEqual(1);
    expect(t.connections, 'control: the counter sees the connection').toBeGreaterThanOrEqual(1);
  }

  async function measure(b: ExtensionBrowser, config: string, way: Way): Promise<Trial> {
    const count = await chromiumWay(b.context, banned, way, { unrelated: UNRELATED_URL, banned: BANNED_URL }, (page) => waitForInterstitial(b, page));
    const t = record({ browser: 'Chromium', config, way, ...count });
    expect(t.requests, `${config}, ${way}: no HTTP request reached the banned host`).toBe(0);
    return t;
  }

  async function predictionReading(b: ExtensionBrowser): Promise<unknown> {
    const w = await b.worker();
    return w.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { privacy?: { network: { networkPredictionEnabled: { get(d: object): Promise<unknown> } } } } }).chrome;
      return c.privacy ? c.privacy.network.networkPredictionEnabled.get({}) : null;
    });
  }

  it('default settings: Chromium pre-connects to the banned host although no request reaches it', async () => {
    const b = await launch(DIST_CHROME);
    try {
      await b.worker();
      await control(b, 'default');
      await measure(b, 'default, no profile on', 'preconnect-hint');
      await (await setProfileInPopup(b, KB)).close();
      const counts: Partial<Record<Way, number>> = {};
      for (const way of WAYS) counts[way] = (await measure(b, 'default', way)).connections;
      // Chromium 156 opened 2 (goto) and 3 (link) in every run so far: asserted, which proves the
      // measurement sees a navigation's pre-connect. window.open (2 in most runs) is printed only.
      expect(counts.goto, 'a typed address pre-connects with default settings').toBeGreaterThanOrEqual(1);
      expect(counts.link, 'a clicked link pre-connects with default settings').toBeGreaterThanOrEqual(1);

      // The person asked for the protection earlier but never granted the permission: both pages say so.
      const w = await b.worker();
      await w.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ preconnect: { preventPreconnect: true } }));
      const popup = await b.openPopup();
      await expect.poll(() => popup.locator('#preconnect-notice').textContent()).toContain('allow it to be turned off on the settings page');
      const options = await b.openOptions();
      await expect.poll(() => options.locator('#preconnect-problem').textContent()).toContain('needs your permission');
      expect(await options.locator('#preconnect-allow').isVisible()).toBe(true);
    } finally {
      await b.close();
    }
  });

  it('protected (chosen on the options page): 0 connections for every way in, and again after a restart', async () => {
    const profile = freshProfileDir();
    let b = await launch(privacyCopy, profile);
    try {
      await b.worker();
      await control(b, 'protected (options page)');
      const options = await b.openOptions();
      const box = options.locator('#prevent-preconnect');
      await expect.poll(() => box.isEnabled(), { timeout: 10_000 }).toBe(true);
      await options.locator('label[for="prevent-preconnect"]').click();
      await expect
        .poll(async () => `${await options.locator('#preconnect-state').textContent()}${await options.locator('#preconnect-problem').textContent()}`, { timeout: 10_000 })
        .toBe('Pre-connecting is off in this browser.');
      expect(await predictionReading(b)).toMatchObject({ value: false, levelOfControl: 'controlled_by_this_extension' });
      await options.close();
      await (await setProfileInPopup(b, KB)).close();
      for (const way of WAYS) expect((await measure(b, 'protected (options page)', way)).connections, way).toBe(0);

      // A restart: Chromium may drop an unpacked extension's controlled preference when it
      // loads it again; the background sets it again as it starts.
      await b.close();
      b = await launch(privacyCopy, profile);
      // A message is answered once the background has started (rules rebuilt, setting applied).
      const popup = await b.openPopup();
      await popup.evaluate(() =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
          kind: 'getPreconnectStatus',
          request: {},
        }),
      );
      await popup.close();
      expect((await measure(b, 'protected, after a restart', 'goto')).connections).toBe(0);
      expect(await predictionReading(b)).toMatchObject({ value: false, levelOfControl: 'controlled_by_this_extension' });
    } finally {
      await b.close();
      removeProfileDir(profile);
    }
  });

  const policyProblem = policyDirProblem();
  it.skipIf(policyProblem !== null && process.env.CI !== 'true')(
    'protected by the administrator: applied as the browser starts; without the permission both pages say so',
    async () => {
      if (policyProblem) throw new Error(policyProblem);
      // With the permission: nothing to click, 0 connections from the first navigation on.
      const granted = setUpChromiumPolicy(privacyCopy);
      try {
        granted.write({ enabledProfiles: [KB], preventPreconnect: true });
        const b = await launch(granted.dist);
        try {
          await b.waitForRules(1);
          expect((await measure(b, 'protected (managed policy)', 'goto')).connections).toBe(0);
          expect(await predictionReading(b)).toMatchObject({ value: false });
          const options = await b.openOptions();
          await expect.poll(() => options.locator('#preconnect-lock').textContent()).toBe('Turned on by your organization.');
          expect(await options.locator('#prevent-preconnect').isDisabled()).toBe(true);
        } finally {
          await b.close();
        }
      } finally {
        granted.remove();
      }
      // The shipped build: `privacy` is optional, so the administrator's wish still needs the person's grant.
      const optional = setUpChromiumPolicy(DIST_CHROME);
      try {
        optional.write({ enabledProfiles: [KB], preventPreconnect: true });
        const b = await launch(optional.dist);
        try {
          await b.waitForRules(1);
          const popup = await b.openPopup();
          await expect.poll(() => popup.locator('#preconnect-notice').textContent()).toContain('Your organization asks for pre-connecting to be off');
          const options = await b.openOptions();
          await expect.poll(() => options.locator('#preconnect-problem').textContent()).toContain('Your organization asks for pre-connecting to be off');
          expect(await options.locator('#preconnect-allow').isVisible()).toBe(true);
        } finally {
          await b.close();
        }
      } finally {
        optional.remove();
      }
    },
  );
});

const firefoxFound = firefoxForSuite('connections');

describe.skipIf(!firefoxFound.found)('Firefox: connections to a banned host', () => {
  let site: CountingServer;
  let banned: ConnectionCounter;
  // Firefox reaches these two directly (see harness/connections.ts), so their URLs carry the port.
  let bannedUrl: string;
  let siteUrl: string;

  beforeAll(async () => {
    [site, banned] = await Promise.all([startSiteServer(), startConnectionCounter(BANNED_DOMAIN)]);
    bannedUrl = `http://chat.deepseek.com:${banned.port}/`;
    siteUrl = `http://${UNRELATED_HOST}:${site.port}/`;
  });
  afterAll(async () => {
    await Promise.all([site?.close(), banned?.close()]);
  });

  const launch = () =>
    launchCountingFirefox({
      executablePath: firefoxFound.path,
      proxyPort: site.port,
      directHosts: ['chat.deepseek.com', UNRELATED_HOST],
      siteUrl,
    });
  const isInterstitial = (ff: CountingFirefox, href: string) => href.startsWith(ff.extensionUrl(INTERSTITIAL_PATH));

  async function control(ff: CountingFirefox, config: string): Promise<void> {
    const page = await ff.browser.newPage();
    banned.reset();
    await page.goto(bannedUrl);
    await sleep(200);
    const t = record({ browser: 'Firefox', config, way: 'control', connections: banned.connections(), requests: banned.requests() });
    await page.close();
    expect(t.requests, 'control: the deliberate visit reached the host').toBeGreaterThanOrEqual(1);
    expect(t.connections, 'control: the counter sees the connection').toBeGreaterThanOrEqual(1);
  }

  async function enableProfile(ff: CountingFirefox): Promise<void> {
    const page = await ff.openExtensionPage(OPTIONS_PATH);
    const reply = (await page.evaluate(
      (id) =>
        (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({
          kind: 'setProfileEnabled',
          request: { organizationId: id, enabled: true },
        }),
      KB,
    )) as { ok: boolean };
    expect(reply.ok).toBe(true);
    await page.close();
  }

  async function measure(ff: CountingFirefox, config: string, way: Way): Promise<Trial> {
    const count = await firefoxWay(ff, banned, way, bannedUrl, (h) => isInterstitial(ff, h));
    const t = record({ browser: 'Firefox', config, way, ...count });
    expect(t.requests, `${config}, ${way}: no HTTP request reached the banned host`).toBe(0);
    return t;
  }

  it('default settings: Firefox pre-connects when nothing stops it; counts with the rules on printed', async () => {
    const ff = await launch();
    try {
      await control(ff, 'default');
      // Pre-connect control: before any profile is on, a page's hint must show up as a connection,
      // or the zeros below would prove nothing.
      const hint = await measure(ff, 'default, no profile on', 'preconnect-hint');
      expect(hint.connections, 'Firefox pre-connects for a page hint with its default settings').toBeGreaterThanOrEqual(1);
      await enableProfile(ff);
      for (const way of WAYS) await measure(ff, 'default', way);
    } finally {
      await ff.close();
    }
  });

  it('protected (chosen on the options page): 0 connections for every way in', async () => {
    const ff = await launch();
    try {
      await control(ff, 'protected (options page)');
      const options = await ff.openExtensionPage(OPTIONS_PATH);
      await options.waitForSelector('#prevent-preconnect:not([disabled])');
      // A real click: Firefox grants an optional permission only while handling user input.
      await options.click('label[for="prevent-preconnect"]');
      await expect
        .poll(
          () =>
            options.$eval('#preconnect-section', (e) => `${e.querySelector('#preconnect-state')?.textContent}${e.querySelector('#preconnect-problem')?.textContent}`),
          { timeout: 10_000 },
        )
        .toBe('Pre-connecting is off in this browser.');
      const reading = await options.evaluate(() =>
        (
          globalThis as unknown as { browser: { privacy: { network: { networkPredictionEnabled: { get(d: object): Promise<unknown> } } } } }
        ).browser.privacy.network.networkPredictionEnabled.get({}),
      );
      expect(reading).toMatchObject({ value: false, levelOfControl: 'controlled_by_this_extension' });
      await options.close();
      // Before the profile: the protection alone, with no rule to block anything, stops the page's hint.
      expect((await measure(ff, 'protected, no profile on', 'preconnect-hint')).connections).toBe(0);
      await enableProfile(ff);
      for (const way of WAYS) expect((await measure(ff, 'protected (options page)', way)).connections, way).toBe(0);
    } finally {
      await ff.close();
    }
  });
});
