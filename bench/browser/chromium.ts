/**
 * Chromium for the benchmarks, with or without the built extension, on the
 * flags of /work/shared/notes/browser-testing.md. The e2e harness only starts
 * a browser with the extension; the cost figure also needs one without it,
 * launched identically, so the benchmark has its own small launcher.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { until } from '../figures';
import { DIST_CHROME, POPUP_PATH } from './dist';

export interface BenchChromium {
  context: BrowserContext;
  /** Empty when launched without the extension. */
  extensionId: string;
  extensionUrl(p: string): string;
  /** Turns a profile on the way the popup does (a message from an extension page) and waits for its DNR rules. */
  enableProfile(organizationId: string): Promise<number>;
  /** Stops the extension's service worker as Chromium does when it idles (CDP Target.closeTarget). */
  stopWorker(): Promise<void>;
  workerRunning(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ChromiumOptions {
  executablePath: string;
  /** Host (or `*.domain`) → port on 127.0.0.1. */
  hostMap: Record<string, number>;
  withExtension: boolean;
  /** Further unpacked extensions to load beside it (a baseline extension, say). */
  extraExtensions?: readonly string[];
}

interface ChromeApi {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  declarativeNetRequest: { getDynamicRules(): Promise<unknown[]> };
}

export async function launchBenchChromium(options: ChromiumOptions): Promise<BenchChromium> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-'));
  const rules = Object.entries(options.hostMap).map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`);
  const extensions = [...(options.withExtension ? [DIST_CHROME] : []), ...(options.extraExtensions ?? [])];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: options.executablePath,
    headless: true,
    locale: 'en-US',
    args: [
      ...(extensions.length > 0 ? [`--disable-extensions-except=${extensions.join(',')}`, `--load-extension=${extensions.join(',')}`] : []),
      ...(rules.length > 0 ? [`--host-resolver-rules=${rules.join(', ')}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = async () => {
    try {
      await context.close();
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
    }
  };

  let extensionId = '';
  if (options.withExtension) {
    // Ours is the worker the built manifest names; another loaded extension has its own.
    const { background } = JSON.parse(readFileSync(path.join(DIST_CHROME, 'manifest.json'), 'utf8')) as { background?: { service_worker?: string } };
    const script = `/${(background?.service_worker ?? '').replace(/^\//, '')}`;
    const own = (w: { url(): string }) => w.url().startsWith('chrome-extension://') && new URL(w.url()).pathname === script;
    const worker =
      context.serviceWorkers().find(own) ??
      (await context.waitForEvent('serviceworker', { predicate: own, timeout: 15_000 }).catch(async (error: unknown) => {
        await close();
        throw new Error(`the extension in ${DIST_CHROME} started no service worker: ${String(error)}`);
      }));
    extensionId = new URL(worker.url()).host;
  }
  const origin = `chrome-extension://${extensionId}`;
  const extensionUrl = (p: string) => `${origin}/${p.replace(/^\//, '')}`;

  async function serviceWorkerTargets(): Promise<{ targetId: string }[]> {
    const cdp = await context.browser()!.newBrowserCDPSession();
    try {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
      return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(origin));
    } finally {
      await cdp.detach();
    }
  }

  return {
    context,
    extensionId,
    extensionUrl,
    async enableProfile(organizationId) {
      const page: Page = await context.newPage();
      try {
        await page.goto(extensionUrl(POPUP_PATH));
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
    async stopWorker() {
      const cdp = await context.browser()!.newBrowserCDPSession();
      try {
        for (const t of await serviceWorkerTargets()) await cdp.send('Target.closeTarget', { targetId: t.targetId });
      } finally {
        await cdp.detach();
      }
      await until('the service worker to stop', 10_000, async () => ((await serviceWorkerTargets()).length === 0 ? true : undefined), 20);
    },
    workerRunning: async () => (await serviceWorkerTargets()).length > 0,
    close,
  };
}
