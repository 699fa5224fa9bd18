/**
 * Real Chromium with the built extension (dist/chrome) loaded, every test host
 * resolved to the local counting servers. The one Chromium launcher of the
 * end-to-end tests and the benchmarks (which also launch it without the
 * extension, or beside a baseline extension, on the same flags).
 * Recipes: /work/shared/notes/browser-testing.md.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page, type Worker } from 'playwright-core';
import { until } from './until';

/** The built extension; E2E_DIST_CHROME points the suite at another build (e.g. a deliberately broken copy). */
export const DIST_CHROME = path.resolve(process.env.E2E_DIST_CHROME || path.join(import.meta.dirname, '../../../dist/chrome'));
export const POPUP_PATH = 'src/pages/popup/index.html';
export const OPTIONS_PATH = 'src/pages/options/index.html';
export const INTERSTITIAL_PATH = 'src/pages/interstitial/index.html';

/** Hosts the suite navigates to; each must resolve to a local server, never the internet. */
export const DEFAULT_MAPPED_HOSTS = [
  'deepseek.com',
  '*.deepseek.com',
  'chatgpt.com',
  '*.chatgpt.com',
  'openai.com',
  '*.openai.com',
  'claude.ai',
  '*.claude.ai',
  'example.test',
] as const;

/** The background's reply to a message: `{ ok: true, data }` or `{ ok: false, error }`. */
export type MessageReply = { ok: boolean; error?: string; data?: unknown };

/** Sends a message from inside `target` (an extension page, or a frame of one), as that page's own code would. */
export function sendFrom(target: Page | Frame, kind: string, request: unknown): Promise<MessageReply> {
  return target.evaluate(
    ([k, r]) => (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({ kind: k, request: r }),
    [kind, request] as const,
  ) as Promise<MessageReply>;
}

/** The few extension APIs the harness calls inside the browser (no @types/chrome here). */
export interface ChromeApi {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  declarativeNetRequest: {
    getDynamicRules(): Promise<unknown[]>;
    getSessionRules(): Promise<unknown[]>;
  };
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
}

export type ChromiumDiscovery = { found: true; path: string } | { found: false; path: string; message: string };

/** CHROME_PATH, else Debian's /usr/bin/chromium. */
export function discoverChromium(env: NodeJS.ProcessEnv = process.env): ChromiumDiscovery {
  const candidate = env.CHROME_PATH || '/usr/bin/chromium';
  if (existsSync(candidate)) return { found: true, path: candidate };
  return {
    found: false,
    path: candidate,
    message: `Chromium not found at ${candidate}; install with apt-get install chromium; skipping browser tests`,
  };
}

/** Discovery for a suite: a warning and a skip without Chromium, a failure under CI=true. */
export function chromiumForSuite(suite?: string): ChromiumDiscovery {
  const found = discoverChromium();
  if (!found.found) {
    const named = suite ? `${suite}: ` : '';
    if (process.env.CI === 'true') throw new Error(`${named}${found.message.replace(/; skipping browser tests$/, '')} (CI=true: browser tests must run)`);
    console.warn(`${named}${found.message}`);
  }
  return found;
}

export function assertBuilt(dist = DIST_CHROME): void {
  if (!existsSync(path.join(dist, 'manifest.json'))) {
    throw new Error(`${dist}/manifest.json is missing: run npm run build first`);
  }
}

/**
 * How to launch: every test host resolves to the local counting servers
 * (`hostMap` entries win over `defaultPort`, which serves DEFAULT_MAPPED_HOSTS),
 * or every request goes through a local proxy. A profile directory passed in
 * outlives the browser (restart tests); another UI language (`--lang` and the
 * `LANGUAGE` variable Chromium reads on Linux) and a colour scheme are options.
 */
export interface LaunchOptions {
  executablePath: string;
  /** Serves the harness's default mapped hosts (ignored when `proxyPort` is set); without it only `hostMap` is mapped. */
  defaultPort?: number;
  hostMap?: Record<string, number>;
  /** Kept after close() when given: launch again on it to restart the browser. */
  userDataDir?: string;
  /** BCP 47 tag; the extension's UI language follows its first subtag. Default en-US. */
  locale?: string;
  colorScheme?: 'light' | 'dark';
  /** Every http(s) request of the browser goes through this local proxy instead of the host map. */
  proxyPort?: number;
  viewport?: { width: number; height: number };
  dist?: string;
  /** False: the same browser without the extension (a benchmark's baseline). Default true. */
  withExtension?: boolean;
  /** Further unpacked extensions loaded beside it (a baseline extension, say). */
  extraExtensions?: readonly string[];
  /**
   * False: return as soon as the browser is up, without waiting for the
   * extension's service worker (what a person's first second after a restart
   * looks like). The extension id is then derived from the unpacked path.
   */
  waitForWorker?: boolean;
  /** True: the profile reopens the last session's tabs at start-up, as "Continue where you left off" does. */
  restoreSession?: boolean;
  /** Further command-line switches (e.g. a stand-in origin treated as secure). */
  extraArgs?: readonly string[];
}

/** The id Chromium gives an unpacked extension: the first 128 bits of SHA-256 of its absolute path, as letters a–p. */
export function unpackedExtensionId(dist: string): string {
  const hex = createHash('sha256').update(path.resolve(dist)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export interface ProfileBrowser extends ExtensionBrowser {
  userDataDir: string;
  /** Evaluates in the extension's service worker (woken if stopped). */
  inWorker<T>(fn: () => Promise<T> | T): Promise<T>;
  /** The extension's dynamic DNR rules, as Chromium reports them. */
  dynamicRules(): Promise<DnrRuleSeen[]>;
  sessionRules(): Promise<DnrRuleSeen[]>;
}

export interface DnrRuleSeen {
  id: number;
  priority?: number;
  action: { type: string; redirect?: { regexSubstitution?: string } };
  condition: { requestDomains?: string[]; regexFilter?: string; resourceTypes?: string[] };
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** chrome-extension://<id>/<path> */
  extensionUrl(pathAndHash: string): string;
  interstitialUrl(blockedUrl?: string): string;
  /** A live handle on the extension's service worker, waking it if it was stopped. */
  worker(): Promise<Worker>;
  /** Waits until at least `minCount` dynamic DNR rules are installed; returns their count. */
  waitForRules(minCount: number, timeoutMs?: number): Promise<number>;
  /**
   * Turns a profile on the way the popup does (a message from an extension
   * page) and waits for its dynamic DNR rules; returns their count.
   */
  enableProfile(organizationId: string): Promise<number>;
  /** Stops the extension's service worker the way Chromium does when it idles. */
  stopWorker(): Promise<void>;
  /** True when Chromium lists a running service worker for the extension. */
  workerRunning(): Promise<boolean>;
  /** The toolbar popup, opened as a tab (headless has no toolbar). */
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  close(): Promise<void>;
}

export function hostResolverRules(defaultPort: number | undefined, hostMap: Record<string, number> = {}): string {
  // Chromium applies the first matching rule, so the specific mappings go first.
  const rules = Object.entries(hostMap).map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`);
  if (defaultPort !== undefined) {
    for (const host of DEFAULT_MAPPED_HOSTS) {
      if (!(host in hostMap)) rules.push(`MAP ${host} 127.0.0.1:${defaultPort}`);
    }
  }
  return rules.join(', ');
}

/** `/<service worker script>` the build's manifest names: tells our worker from another extension's. */
function workerScriptOf(dist: string): string {
  const { background } = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as { background?: { service_worker?: string } };
  return `/${(background?.service_worker ?? '').replace(/^\//, '')}`;
}

/**
 * Turns on developer mode in the profile, as a person who loaded the unpacked
 * extension has it: without it Chromium disables an unpacked extension that
 * reloads itself (disable reason DISABLE_UNSUPPORTED_DEVELOPER_EXTENSION).
 * With `restoreSession`, also "Continue where you left off".
 */
function writeProfilePrefs(userDataDir: string, restoreSession: boolean): void {
  const file = path.join(userDataDir, 'Default', 'Preferences');
  mkdirSync(path.dirname(file), { recursive: true });
  let prefs: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      prefs = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      prefs = {};
    }
  }
  const extensions = (prefs.extensions ?? {}) as Record<string, unknown>;
  const ui = (extensions.ui ?? {}) as Record<string, unknown>;
  prefs.extensions = { ...extensions, ui: { ...ui, developer_mode: true } };
  if (restoreSession) prefs.session = { ...((prefs.session ?? {}) as Record<string, unknown>), restore_on_startup: 1 };
  writeFileSync(file, JSON.stringify(prefs));
}

export function freshProfileDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-e2e-profile-'));
}

export async function launchChromium(options: LaunchOptions): Promise<ProfileBrowser> {
  const dist = options.dist ?? DIST_CHROME;
  const withExtension = options.withExtension ?? true;
  if (withExtension) assertBuilt(dist);
  const extensions = [...(withExtension ? [dist] : []), ...(options.extraExtensions ?? [])];
  const ownsDir = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? freshProfileDir();
  writeProfilePrefs(userDataDir, options.restoreSession ?? false);
  const locale = options.locale ?? 'en-US';
  const language = locale.split('-')[0] ?? 'en';
  const network = options.proxyPort
    ? [`--proxy-server=http://127.0.0.1:${options.proxyPort}`, '--proxy-bypass-list=<-loopback>']
    : [`--host-resolver-rules=${hostResolverRules(options.defaultPort, options.hostMap)}`].filter((a) => a !== '--host-resolver-rules=');
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: options.executablePath,
      headless: true,
      locale,
      ignoreHTTPSErrors: true,
      ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
      ...(options.viewport ? { viewport: options.viewport } : {}),
      // chrome.i18n answers in the browser's UI language: on Linux Chromium takes it from LANGUAGE, elsewhere from --lang.
      env: { ...process.env, LANGUAGE: language, LANG: `${locale.replace('-', '_')}.UTF-8` },
      args: [
        ...(extensions.length > 0 ? [`--disable-extensions-except=${extensions.join(',')}`, `--load-extension=${extensions.join(',')}`] : []),
        `--lang=${locale}`,
        ...network,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...(options.extraArgs ?? []),
      ],
    });
  } catch (error) {
    if (ownsDir) rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }

  let extensionId = '';
  if (withExtension && options.waitForWorker === false) {
    extensionId = unpackedExtensionId(dist);
  } else if (withExtension) {
    // Ours is the worker the built manifest names; another loaded extension has its own.
    const script = workerScriptOf(dist);
    const ownWorker = (w: Worker) => w.url().startsWith('chrome-extension://') && new URL(w.url()).pathname === script;
    const first =
      context.serviceWorkers().find(ownWorker) ??
      (await context.waitForEvent('serviceworker', { predicate: ownWorker, timeout: 15_000 }).catch(async (error: unknown) => {
        await context.close().catch(() => undefined);
        if (ownsDir) rmSync(userDataDir, { recursive: true, force: true });
        throw new Error(`the extension in ${dist} started no service worker: ${String(error)}`);
      }));
    extensionId = new URL(first.url()).host;
  }
  const origin = `chrome-extension://${extensionId}`;
  const extensionUrl = (p: string) => `${origin}/${p.replace(/^\//, '')}`;

  async function targets(): Promise<{ targetId: string; type: string; url: string }[]> {
    const cdp = await context.browser()?.newBrowserCDPSession();
    if (!cdp) throw new Error('no browser CDP session');
    try {
      return ((await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] }).targetInfos;
    } finally {
      await cdp.detach();
    }
  }
  const workerRunning = async () => (await targets()).some((t) => t.type === 'service_worker' && t.url.startsWith(origin));

  async function worker(): Promise<Worker> {
    return until('the extension service worker', 20_000, async () => {
      for (const w of context.serviceWorkers().filter((x) => x.url().startsWith(origin))) {
        const alive = await Promise.race([
          w.evaluate(() => true).catch(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(false), 1_000)),
        ]);
        if (alive) return w;
      }
      const page = await context.newPage();
      try {
        await page.goto(extensionUrl(POPUP_PATH));
        await page.evaluate(() =>
          (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({ kind: 'getSettings', request: {} }).catch(() => undefined),
        );
      } finally {
        await page.close();
      }
      return undefined;
    });
  }

  async function stopWorker(): Promise<void> {
    const cdp = await context.browser()?.newBrowserCDPSession();
    if (!cdp) throw new Error('no browser CDP session');
    try {
      const own = (await targets()).filter((t) => t.type === 'service_worker' && t.url.startsWith(origin));
      if (own.length === 0) throw new Error('stopWorker: no running service worker for the extension');
      for (const t of own) await cdp.send('Target.closeTarget', { targetId: t.targetId });
    } finally {
      await cdp.detach();
    }
    await until('the service worker to stop', 10_000, async () => ((await workerRunning()) ? undefined : true), 20);
  }

  async function openExtensionPage(p: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(extensionUrl(p));
    return page;
  }

  const inWorker = async <T>(fn: () => Promise<T> | T): Promise<T> => (await worker()).evaluate(fn);
  const rulesOf = (kind: 'getDynamicRules' | 'getSessionRules') =>
    until(`the ${kind} answer`, 15_000, async () => {
      const w = await worker();
      return (await w.evaluate(
        (k) => (globalThis as unknown as { chrome: ChromeApi }).chrome.declarativeNetRequest[k](),
        kind,
      )) as DnrRuleSeen[];
    });

  return {
    context,
    extensionId,
    userDataDir,
    extensionUrl,
    interstitialUrl: (blocked) => extensionUrl(INTERSTITIAL_PATH) + (blocked === undefined ? '' : `#${blocked}`),
    worker,
    inWorker,
    dynamicRules: () => rulesOf('getDynamicRules'),
    sessionRules: () => rulesOf('getSessionRules'),
    async waitForRules(minCount, timeoutMs = 15_000) {
      return until(`at least ${minCount} dynamic DNR rule(s)`, timeoutMs, async () => {
        const count = (await rulesOf('getDynamicRules')).length;
        return count >= minCount ? count : undefined;
      });
    },
    async enableProfile(organizationId) {
      const page = await openExtensionPage(POPUP_PATH);
      try {
        const reply = (await page.evaluate(
          (id) =>
            (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({
              kind: 'setProfileEnabled',
              request: { organizationId: id, enabled: true },
            }),
          organizationId,
        )) as { ok: boolean; error?: string };
        if (!reply.ok) throw new Error(`setProfileEnabled ${organizationId}: ${reply.error}`);
        return await until('dynamic DNR rules', 15_000, async () => {
          const n = await page.evaluate(
            async () => (await (globalThis as unknown as { chrome: ChromeApi }).chrome.declarativeNetRequest.getDynamicRules()).length,
          );
          return n > 0 ? n : undefined;
        });
      } finally {
        await page.close();
      }
    },
    stopWorker,
    workerRunning,
    openPopup: () => openExtensionPage(POPUP_PATH),
    openOptions: () => openExtensionPage(OPTIONS_PATH),
    async close() {
      try {
        await context.close();
      } finally {
        if (ownsDir) rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

export function removeProfileDir(dir: string): void {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
