/**
 * Counting TCP connections to a banned host, per host, in both browsers: the
 * ground truth for issue 7 ("not one TCP connection or TLS hello reaches a
 * banned host"). Used by tests/e2e/connections.e2e.ts and bench/connections.ts.
 *
 * - Chromium: `--host-resolver-rules` maps the banned host to a server of its
 *   own (harness/chromium.ts `hostMap`), so every connection that server
 *   accepts was opened for that host, pre-connects included.
 * - Firefox: NOT through a proxy. Firefox makes no speculative connection at
 *   all while a proxy applies to the URL (nsIOService's proxy callback: "proxies
 *   dont do speculative connect"; measured: a `<link rel=preconnect>` and a
 *   hovered link opened 0 connections through an HTTP proxy, per-host PAC
 *   ports included, and 1 each when direct). So a PAC script (a data: URL in
 *   `network.proxy.autoconfig_url`) sends the counted hosts and the unrelated
 *   site DIRECT, `network.dns.localDomains` resolves them to 127.0.0.1, and
 *   their URLs carry the counter's port; everything else (Firefox's own
 *   background traffic) still goes to the local proxy, never out.
 *   Also: puppeteer sets `network.http.speculative-parallel-limit` to 0 for
 *   automation, which turns Firefox's pre-connects off. "Default settings"
 *   puts Firefox's own default (6) back.
 */
import http from 'node:http';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import type { BrowserContext as PwContext, Page as PwPage } from 'playwright-core';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { DIST_FIREFOX, INTERSTITIAL_PATH, geckoIdOf, until } from './firefox';

export interface ConnectionCounter {
  /** The banned host (and its subdomains) this server alone is mapped to. */
  readonly host: string;
  readonly port: number;
  /** TCP connections accepted since the last reset: pre-connects, proxy connects, requests. */
  connections(): number;
  /** HTTP requests (or proxy requests) received since the last reset. */
  requests(): number;
  /**
   * Zeroes the counters and closes every open socket: an idle pre-connected
   * socket left from an earlier step could otherwise be reused and hide a new one.
   */
  reset(): void;
  close(): Promise<void>;
}

/** A plain HTTP server (it also answers as a proxy: absolute URLs) that counts connections. */
export function startConnectionCounter(host: string): Promise<ConnectionCounter> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>${host}</title><h1>${host}</h1>`);
    });
  });
  // 'connection' is the TCP accept, before any TLS or HTTP byte: it counts pre-connects.
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A CONNECT (https through the proxy) is a connection to the host as well; refuse it.
  server.on('connect', (_req: http.IncomingMessage, socket: Socket) => {
    requests += 1;
    socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        host,
        port,
        connections: () => connections,
        requests: () => requests,
        reset() {
          for (const socket of sockets) socket.destroy();
          connections = 0;
          requests = 0;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Firefox's own default for `network.http.speculative-parallel-limit` (puppeteer sets 0). */
export const FIREFOX_DEFAULT_SPECULATIVE_LIMIT = 6;

/** A PAC script: the given hosts DIRECT (resolved locally, see launchCountingFirefox), the rest to the local proxy. */
export function pacScript(proxyPort: number, directHosts: readonly string[]): string {
  return [
    'function FindProxyForURL(url, host) {',
    `  if (${JSON.stringify(directHosts)}.indexOf(host) >= 0) return 'DIRECT';`,
    `  return 'PROXY 127.0.0.1:${proxyPort}';`,
    '}',
  ].join('\n');
}

export interface CountingFirefox {
  browser: Browser;
  uuid: string;
  extensionUrl(p: string): string;
  /** The page's real location (page.url() goes stale after a redirect to an extension page). */
  href(page: Page): Promise<string>;
  waitForLocation(page: Page, landed: (href: string) => boolean, timeoutMs?: number): Promise<string>;
  /** A new tab on the unrelated site (`siteUrl`). */
  newWebPage(): Promise<Page>;
  /** A new tab on an extension page, reached through the web-accessible interstitial. */
  openExtensionPage(p: string): Promise<Page>;
  close(): Promise<void>;
}

export interface CountingFirefoxOptions {
  executablePath: string;
  /** The proxy for every host not listed in `directHosts` (Firefox's own traffic). */
  proxyPort: number;
  /** Hosts reached directly on 127.0.0.1 (their URLs name the port): the counted hosts and the unrelated site. */
  directHosts: readonly string[];
  /** The unrelated site's start page, e.g. http://example.test:<port>/ */
  siteUrl: string;
  dist?: string;
  /** Extra prefs (e.g. the protection applied by policy instead of by the extension). */
  prefs?: Record<string, unknown>;
}

/** Firefox ESR with the built extension as a temporary add-on, pre-connects as in a person's profile. */
export async function launchCountingFirefox(options: CountingFirefoxOptions): Promise<CountingFirefox> {
  const dist = options.dist ?? DIST_FIREFOX;
  const geckoId = geckoIdOf(dist);
  const uuid = randomUUID();
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-ff-conn-'));
  const pac = pacScript(options.proxyPort, options.directHosts);
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: options.executablePath,
      headless: true,
      userDataDir,
      extraPrefsFirefox: {
        'network.proxy.type': 2,
        'network.proxy.autoconfig_url': `data:application/x-ns-proxy-autoconfig,${encodeURIComponent(pac)}`,
        'network.proxy.allow_hijacking_localhost': true,
        'network.proxy.no_proxies_on': '',
        'network.dns.localDomains': options.directHosts.join(','),
        'network.http.speculative-parallel-limit': FIREFOX_DEFAULT_SPECULATIVE_LIMIT,
        'dom.security.https_first': false,
        'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
        // Stands in for the person clicking "Allow" in the optional-permission
        // prompt, which a test cannot reach; the request must still come from a click.
        'extensions.webextOptionalPermissionPrompts': false,
        ...options.prefs,
      },
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  try {
    await browser.installExtension(dist);
  } catch (error) {
    await browser.close().catch(() => undefined);
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const origin = `moz-extension://${uuid}/`;
  const extensionUrl = (p: string) => origin + p.replace(/^\//, '');
  const href = (page: Page) => page.evaluate(() => location.href).catch(() => '');
  const waitForLocation = (page: Page, landed: (h: string) => boolean, timeoutMs = 15_000) =>
    until('the expected location', timeoutMs, async () => {
      const now = await href(page);
      return landed(now) ? now : undefined;
    });
  async function go(page: Page, url: string): Promise<void> {
    await page.evaluate((u) => void (location.href = u), url).catch(() => undefined);
    await waitForLocation(page, (h) => h.startsWith(url));
  }
  async function newWebPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(options.siteUrl);
    return page;
  }
  return {
    browser,
    uuid,
    extensionUrl,
    href,
    waitForLocation,
    newWebPage,
    async openExtensionPage(p) {
      const page = await newWebPage();
      // page.goto('moz-extension://…') is refused over BiDi; a web page may open the web-accessible interstitial.
      await go(page, extensionUrl(INTERSTITIAL_PATH));
      await go(page, extensionUrl(p));
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A copy of a Chromium build whose manifest asks for `privacy` at install
 * instead of as an optional permission. Chromium's grant prompt is a native
 * dialog that no automation reaches (headless leaves it unanswered), so the
 * Chromium protected runs start with the permission a person would have
 * granted; everything after the grant (the background applying the setting,
 * the options page, the popup) is the shipped code unchanged.
 */
export function chromiumCopyWithPrivacyGranted(dist: string, into: string): string {
  const copy = path.join(into, 'extension-privacy');
  rmSync(copy, { recursive: true, force: true });
  cpSync(dist, copy, { recursive: true });
  const file = path.join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { permissions: string[]; optional_permissions?: string[] };
  manifest.permissions = [...manifest.permissions, 'privacy'];
  manifest.optional_permissions = (manifest.optional_permissions ?? []).filter((p) => p !== 'privacy');
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  return copy;
}

/** The three ways into a banned site from the issue, then two that only pre-connect (no navigation). */
export const WAYS = ['goto', 'link', 'window.open', 'hover', 'preconnect-hint'] as const;
export type Way = (typeof WAYS)[number];
export const NAVIGATIONS: readonly Way[] = ['goto', 'link', 'window.open'];

export interface WayCount {
  connections: number;
  requests: number;
}

/** Pre-connects may trail the redirect: how long to wait after landing before reading the count. */
export const SETTLE_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a page on another site may do: ask the browser to connect to the banned host ahead of time. */
function hint(url: string): void {
  const link = document.createElement('link');
  link.rel = 'preconnect';
  link.href = url;
  document.head.append(link);
}

/** Adds a link and a window.open button for `url` to the page (the site's own name no port). */
function addCountedControls(url: string): void {
  const a = document.createElement('a');
  a.id = 'counted-link';
  a.href = url;
  a.textContent = 'Banned service (counted)';
  const b = document.createElement('button');
  b.id = 'counted-open';
  b.type = 'button';
  b.textContent = 'Open it in a new window (counted)';
  b.addEventListener('click', () => window.open(url, '_blank'));
  document.body.prepend(a, b);
}

/**
 * One way in, in Chromium, from a fresh tab on the unrelated site: the
 * connections and requests that reached `counter` from the moment the way
 * was taken until SETTLE_MS after the tab showed `landedOn` (navigations only).
 */
export async function chromiumWay(
  context: PwContext,
  counter: ConnectionCounter,
  way: Way,
  urls: { unrelated: string; banned: string },
  landedOn: (page: PwPage) => Promise<unknown>,
): Promise<WayCount> {
  const page = await context.newPage();
  try {
    await page.goto(urls.unrelated);
    await page.evaluate(addCountedControls, urls.banned);
    await sleep(200);
    counter.reset();
    let landed = page;
    if (way === 'goto') await page.goto(urls.banned).catch(() => undefined);
    else if (way === 'link') await page.click('#counted-link');
    else if (way === 'window.open') [landed] = await Promise.all([context.waitForEvent('page'), page.click('#counted-open')]);
    else if (way === 'hover') await page.hover('#counted-link');
    else await page.evaluate(hint, urls.banned);
    if (NAVIGATIONS.includes(way)) await landedOn(landed);
    await sleep(SETTLE_MS);
    const count = { connections: counter.connections(), requests: counter.requests() };
    if (landed !== page) await landed.close();
    return count;
  } finally {
    await page.close();
  }
}

/** The same in Firefox; `isInterstitial` tells the landing page by its real location. */
export async function firefoxWay(ff: CountingFirefox, counter: ConnectionCounter, way: Way, bannedUrl: string, isInterstitial: (href: string) => boolean): Promise<WayCount> {
  const page = await ff.newWebPage();
  try {
    await page.evaluate(addCountedControls, bannedUrl);
    await sleep(200);
    counter.reset();
    let landed: Page = page;
    // After a redirect to a moz-extension page page.goto never settles: the real location is read instead.
    if (way === 'goto') void page.goto(bannedUrl).catch(() => undefined);
    else if (way === 'link') await page.click('#counted-link');
    else if (way === 'window.open') {
      const before = new Set(await ff.browser.pages());
      await page.click('#counted-open');
      landed = await until('the window.open tab', 10_000, async () => (await ff.browser.pages()).find((p) => !before.has(p)));
    } else if (way === 'hover') await page.hover('#counted-link');
    else await page.evaluate(hint, bannedUrl);
    if (NAVIGATIONS.includes(way)) await ff.waitForLocation(landed, isInterstitial);
    await sleep(SETTLE_MS);
    const count = { connections: counter.connections(), requests: counter.requests() };
    if (landed !== page) await landed.close().catch(() => undefined);
    return count;
  } finally {
    await page.close().catch(() => undefined);
  }
}
