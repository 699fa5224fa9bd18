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
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import type { BrowserContext as PwContext, Page as PwPage } from 'playwright-core';
import type { Page } from 'puppeteer-core';
import { launchFirefox, pacScript, until, type FirefoxExtension } from './firefox';

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

export { pacScript };

/** What the connection counts need of a Firefox with the extension (launchFirefox's answer is one). */
export type CountingFirefox = Pick<FirefoxExtension, 'browser' | 'uuid' | 'extensionUrl' | 'href' | 'waitForLocation' | 'newWebPage' | 'openExtensionPage' | 'close'>;

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

/**
 * Firefox ESR with the built extension as a temporary add-on, pre-connects as
 * in a person's profile: harness/firefox.ts's launcher with the counted hosts direct.
 */
export function launchCountingFirefox(options: CountingFirefoxOptions): Promise<CountingFirefox> {
  return launchFirefox({
    executablePath: options.executablePath,
    proxyPort: options.proxyPort,
    directHosts: options.directHosts,
    startUrl: options.siteUrl,
    ...(options.dist ? { dist: options.dist } : {}),
    prefs: {
      'network.http.speculative-parallel-limit': FIREFOX_DEFAULT_SPECULATIVE_LIMIT,
      // Stands in for the person clicking "Allow" in the optional-permission
      // prompt, which a test cannot reach; the request must still come from a click.
      'extensions.webextOptionalPermissionPrompts': false,
      ...options.prefs,
    },
  });
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
