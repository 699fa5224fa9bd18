/**
 * Firefox ESR with the built extension (dist/firefox), driven by puppeteer-core
 * over WebDriver BiDi (no geckodriver). The local counting server doubles as
 * the HTTP proxy, so every host the browser asks for reaches it (or, with
 * `directHosts`, a PAC script sends the counted hosts direct: harness/connections.ts).
 * The one Firefox launcher of the end-to-end tests and the benchmarks.
 * Recipes and quirks: /work/shared/notes/browser-testing.md.
 *
 * Two ways to install:
 * - `temporary` (default): `browser.installExtension`, a temporary add-on,
 *   as about:debugging does. Firefox removes it when it quits.
 * - `profile`: a proxy file in `<profile>/extensions/<gecko id>` naming the
 *   unpacked build, with unsigned add-ons allowed (ESR honours
 *   `xpinstall.signatures.required`). The add-on belongs to the profile and
 *   survives a restart on the same directory, which the restart tests need.
 * - `xpi`: the packaged xpi, installed for good by Firefox's add-on manager
 *   (WebDriver BiDi `webExtension.install` with `moz:permanent`, the route of
 *   about:addons' *Install Add-on From File*), unsigned add-ons allowed as above.
 *   Firefox copies it to `<profile>/extensions/<gecko id>.xpi`.
 * - `none`: nothing is installed; for a restart on a profile that has the
 *   add-on already (unsigned add-ons still allowed).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { until as pollUntil } from './until';

export const DIST_FIREFOX = path.resolve(process.env.E2E_DIST_FIREFOX || path.join(import.meta.dirname, '../../../dist/firefox'));
export const POPUP_PATH = 'src/pages/popup/index.html';
export const OPTIONS_PATH = 'src/pages/options/index.html';
export const INTERSTITIAL_PATH = 'src/pages/interstitial/index.html';
/** A page every test can load first: navigations started from it are started by a web page. */
export const START_URL = 'http://example.test/';

export type FirefoxDiscovery = { found: true; path: string } | { found: false; path: string; message: string };

/** FIREFOX_PATH, else Debian's /usr/bin/firefox-esr. */
export function discoverFirefox(env: NodeJS.ProcessEnv = process.env): FirefoxDiscovery {
  const candidate = env.FIREFOX_PATH || '/usr/bin/firefox-esr';
  if (existsSync(candidate)) return { found: true, path: candidate };
  return { found: false, path: candidate, message: `Firefox not found at ${candidate}; install with apt-get install firefox-esr; skipping Firefox tests` };
}

/** Discovery for a suite: a plain message and a skip without Firefox, a failure under CI=true. */
export function firefoxForSuite(suite: string): FirefoxDiscovery {
  const found = discoverFirefox();
  if (!found.found) {
    if (process.env.CI === 'true') throw new Error(`${suite}: Firefox not found at ${found.path} (CI=true: browser tests must run)`);
    console.warn(`${suite}: ${found.message}`);
  }
  return found;
}

export function geckoIdOf(dist = DIST_FIREFOX): string {
  const manifestFile = path.join(dist, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run npm run build first`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${manifestFile} has no browser_specific_settings.gecko.id`);
  return id;
}

export interface FirefoxLaunchOptions {
  executablePath: string;
  /** The local server that answers every request as an HTTP proxy. */
  proxyPort: number;
  install?: 'temporary' | 'profile' | 'xpi' | 'none';
  /** With install `xpi`: the package to install. */
  xpi?: string;
  /** Kept after close() when given (launch again on it to restart). */
  userDataDir?: string;
  dist?: string;
  /** The moz-extension:// host; pinned so a restart keeps the same URLs. */
  uuid?: string;
  /**
   * Hosts reached directly on 127.0.0.1 instead of through the proxy (their
   * URLs name the server's port): a PAC script sends them DIRECT and
   * `network.dns.localDomains` resolves them. See harness/connections.ts.
   */
  directHosts?: readonly string[];
  /** The web page newWebPage() opens; default START_URL. */
  startUrl?: string;
  /** Further prefs, applied last. */
  prefs?: Record<string, unknown>;
}

/** A PAC script: the given hosts DIRECT (resolved locally by `network.dns.localDomains`), the rest to the local proxy. */
export function pacScript(proxyPort: number, directHosts: readonly string[]): string {
  return [
    'function FindProxyForURL(url, host) {',
    `  if (${JSON.stringify(directHosts)}.indexOf(host) >= 0) return 'DIRECT';`,
    `  return 'PROXY 127.0.0.1:${proxyPort}';`,
    '}',
  ].join('\n');
}

/** The network prefs: every request to the local proxy, or the `directHosts` direct and the rest to it. */
function networkPrefs(proxyPort: number, directHosts: readonly string[] | undefined): Record<string, unknown> {
  const common = {
    'network.proxy.allow_hijacking_localhost': true,
    'network.proxy.no_proxies_on': '',
    // Otherwise http:// URLs are tried as https first and skip the http proxy.
    'dom.security.https_first': false,
  };
  if (directHosts) {
    return {
      ...common,
      'network.proxy.type': 2,
      'network.proxy.autoconfig_url': `data:application/x-ns-proxy-autoconfig,${encodeURIComponent(pacScript(proxyPort, directHosts))}`,
      'network.dns.localDomains': directHosts.join(','),
    };
  }
  return {
    ...common,
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
  };
}

/** The few extension APIs called inside extension pages (the page has the full `browser`). */
export interface FirefoxApi {
  runtime: { sendMessage(message: unknown): Promise<unknown>; reload(): void };
  declarativeNetRequest: { getDynamicRules(): Promise<FxRule[]>; getSessionRules(): Promise<FxRule[]> };
  storage: {
    local: { get(key?: string | null): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
    session: { get(key?: string | null): Promise<Record<string, unknown>> };
  };
}

export interface FxRule {
  id: number;
  action: { type: string };
  condition: { requestDomains?: string[] | null };
}

export interface FirefoxExtension {
  browser: Browser;
  geckoId: string;
  uuid: string;
  /** moz-extension://<uuid>/ */
  origin: string;
  userDataDir: string;
  extensionUrl(p: string): string;
  interstitialUrl(blocked?: string): string;
  /** The page's real location (page.url() goes stale after a redirect to an extension page). */
  href(page: Page): Promise<string>;
  /** Waits until the page's real location satisfies `landed`; returns it. */
  waitForLocation(page: Page, landed: (href: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Sets location.href from inside `page` and waits until the real location satisfies `landed`. */
  navigate(page: Page, url: string, landed?: (href: string) => boolean, timeoutMs?: number): Promise<string>;
  /** A new tab on START_URL (or `startUrl`): what a person has open before going anywhere. */
  newWebPage(): Promise<Page>;
  /**
   * A new tab on an extension page. page.goto('moz-extension://…') is refused over
   * BiDi, so the tab goes through the web-accessible interstitial from a web page.
   */
  openExtensionPage(p: string): Promise<Page>;
  openPopup(): Promise<Page>;
  /** Runs `fn(browser, arg)` in an extension page (kept open for it; reopened after a reload). */
  ext<T, A = undefined>(fn: (api: FirefoxApi, arg: A) => Promise<T> | T, arg?: A): Promise<T>;
  dynamicRules(): Promise<FxRule[]>;
  sessionRules(): Promise<FxRule[]>;
  /** Waits until the dynamic rules satisfy `ok`; returns them. */
  waitForRules(ok: (rules: FxRule[]) => boolean, what: string, timeoutMs?: number): Promise<FxRule[]>;
  /** browser.runtime.reload(), as an update does; waits for the background to answer again. */
  reloadExtension(): Promise<void>;
  close(): Promise<void>;
}

/** The shared wait loop, polling every 150 ms here (a BiDi round trip is slower). */
export const until = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> =>
  pollUntil(what, timeoutMs, probe, 150);

export async function launchFirefox(options: FirefoxLaunchOptions): Promise<FirefoxExtension> {
  const dist = options.dist ?? DIST_FIREFOX;
  const geckoId = geckoIdOf(dist);
  const install = options.install ?? 'temporary';
  const ownsDir = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-ff-'));
  const uuid = options.uuid ?? randomUUID();
  if (install === 'profile') {
    mkdirSync(path.join(userDataDir, 'extensions'), { recursive: true });
    writeFileSync(path.join(userDataDir, 'extensions', geckoId), dist);
  }
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: options.executablePath,
      headless: true,
      userDataDir,
      extraPrefsFirefox: {
        ...networkPrefs(options.proxyPort, options.directHosts),
        'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
        // A person sets only the first one in about:config; the proxy file of `profile` is a sideload, which the scopes let in.
        ...(install !== 'temporary' ? { 'xpinstall.signatures.required': false } : {}),
        ...(install === 'profile' ? { 'extensions.autoDisableScopes': 0, 'extensions.enabledScopes': 15 } : {}),
        ...options.prefs,
      },
    });
  } catch (error) {
    if (ownsDir) rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  try {
    if (install === 'temporary') await browser.installExtension(dist);
    if (install === 'xpi') {
      if (!options.xpi) throw new Error('install "xpi" needs the xpi file');
      // puppeteer's installExtension() has no "permanent" option; its BiDi connection sends the command as it is.
      const bidi = (browser as unknown as { connection: { send(method: string, params: object): Promise<unknown> } }).connection;
      await bidi.send('webExtension.install', { extensionData: { type: 'archivePath', path: path.resolve(options.xpi) }, 'moz:permanent': true });
    }
  } catch (error) {
    await browser.close().catch(() => undefined);
    if (ownsDir) rmSync(userDataDir, { recursive: true, force: true });
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

  async function navigate(page: Page, url: string, landed: (h: string) => boolean = (h) => h === url, timeoutMs = 15_000): Promise<string> {
    // A navigation that ends on an extension page never settles for page.goto: set the location instead.
    await page
      .evaluate((u) => {
        location.href = u;
      }, url)
      .catch(() => undefined);
    return waitForLocation(page, landed, timeoutMs).catch(async (error: unknown) => {
      throw new Error(`navigation to ${url.slice(0, 200)} ended on ${(await href(page)).slice(0, 200)}: ${String(error)}`);
    });
  }

  const startUrl = options.startUrl ?? START_URL;
  async function newWebPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(startUrl);
    return page;
  }

  async function openExtensionPage(p: string): Promise<Page> {
    const page = await newWebPage();
    await navigate(page, extensionUrl(INTERSTITIAL_PATH), (h) => h.startsWith(extensionUrl(INTERSTITIAL_PATH)));
    await navigate(page, extensionUrl(p), (h) => h.startsWith(extensionUrl(p)));
    return page;
  }

  let control: Page | null = null;
  const hasApi = (page: Page) =>
    page
      .evaluate(() => typeof (globalThis as unknown as { browser?: { runtime?: { id?: string } } }).browser?.runtime?.id === 'string')
      .catch(() => false);
  async function controlPage(): Promise<Page> {
    if (control && !control.isClosed() && (await hasApi(control))) return control;
    if (control && !control.isClosed()) await control.close().catch(() => undefined);
    control = null;
    const page = await newWebPage();
    const url = extensionUrl(INTERSTITIAL_PATH);
    const options = extensionUrl(OPTIONS_PATH);
    // Right after an install or a runtime.reload() the add-on is not registered yet for a
    // moment: its URL then shows an error page, which has no `browser`. That is a state to
    // wait out, not a failure: load the page again until it is the extension's own page.
    try {
      await until('an extension page with the extension API (is the extension running?)', 20_000, async () => {
        // Each try starts from a web page: the interstitial is web-accessible from there.
        await page.goto(startUrl);
        await navigate(page, url, (h) => h.startsWith(url), 5_000);
        if (!(await hasApi(page))) return undefined;
        // Then the options page: settings messages are accepted only from it and the popup.
        await navigate(page, options, (h) => h.startsWith(options), 5_000);
        return (await hasApi(page)) ? true : undefined;
      });
    } catch (error) {
      await page.close().catch(() => undefined);
      throw error;
    }
    control = page;
    return page;
  }

  async function ext<T, A = undefined>(fn: (api: FirefoxApi, arg: A) => Promise<T> | T, arg?: A): Promise<T> {
    const page = await controlPage();
    // The function travels as source text and runs in the page, where `browser` exists
    // (a BiDi evaluation: the page's CSP does not apply to it).
    const call = `(${fn.toString()})(globalThis.browser, ${JSON.stringify(arg ?? null)})`;
    return page.evaluate(call) as Promise<T>;
  }

  const dynamicRules = () => ext((api) => api.declarativeNetRequest.getDynamicRules());
  const sessionRules = () => ext((api) => api.declarativeNetRequest.getSessionRules());

  return {
    browser,
    geckoId,
    uuid,
    origin,
    userDataDir,
    extensionUrl,
    interstitialUrl: (blocked) => extensionUrl(INTERSTITIAL_PATH) + (blocked === undefined ? '' : `#${blocked}`),
    href,
    waitForLocation,
    navigate,
    newWebPage,
    openExtensionPage,
    openPopup: () => openExtensionPage(POPUP_PATH),
    ext,
    dynamicRules,
    sessionRules,
    waitForRules: (ok, what, timeoutMs = 15_000) =>
      until(what, timeoutMs, async () => {
        const rules = await dynamicRules();
        return ok(rules) ? rules : undefined;
      }),
    async reloadExtension() {
      const page = await controlPage();
      await page.evaluate(() => (globalThis as unknown as { browser: FirefoxApi }).browser.runtime.reload()).catch(() => undefined);
      control = null;
      // The background answers again once it has started (the extension pages were closed).
      // Each probe first waits (up to 20 s, in controlPage) for an extension page with its API.
      await until('the reloaded extension to answer', 30_000, async () => {
        const reply = (await ext((api) => api.runtime.sendMessage({ kind: 'getSettings', request: {} }))) as { ok?: boolean };
        return reply?.ok ? true : undefined;
      });
    },
    async close() {
      await browser.close().catch(() => undefined);
      if (ownsDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
