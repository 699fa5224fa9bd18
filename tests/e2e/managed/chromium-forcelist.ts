/**
 * The extension installed the way an administrator deploys it: packed as a
 * CRX with a key of its own, served with an update manifest from a local
 * server, and named in ExtensionInstallForcelist in the machine policy
 * (`/etc/chromium/policies/managed/`). Chromium then installs it itself, and
 * `management.getSelf().installType` is 'admin', which an unpacked extension
 * loaded with --load-extension never is.
 *
 * Two things this needs, found by trying (Chromium 156):
 * - Playwright's default --disable-extensions (and --disable-background-networking,
 *   --disable-component-update, --disable-default-apps) stop the policy
 *   install; they are left out here.
 * - DevTools (and so Playwright) cannot reach a policy-installed extension's
 *   worker or pages unless DeveloperToolsAvailability is 1, the policy that
 *   allows it; the file sets it alongside the forcelist.
 *
 * The file is machine-wide: it names only this run's freshly keyed copy, and
 * close() removes it (the e2e lock keeps other browser tests from starting
 * meanwhile).
 */
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { hostResolverRules } from '../harness/chromium';
import { CHROMIUM_POLICY_DIR } from './chromium-policy';

/** The id Chromium derives from a CRX key: SHA-256 of the public key (DER), 32 hex digits spelled a–p. */
export function crxExtensionId(publicKeyDer: Buffer): string {
  const hex = createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

export interface ForceInstalledChromium {
  context: BrowserContext;
  extensionId: string;
  worker(): Promise<Worker>;
  openPage(pathInExtension: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchForceInstalled(options: {
  executablePath: string;
  sourceDist: string;
  /** What goes under 3rdparty.extensions[<id>]. */
  policy: Record<string, unknown>;
  hostMap?: Record<string, number>;
}): Promise<ForceInstalledChromium> {
  const work = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-forced-'));
  const dist = path.join(work, 'extension');
  cpSync(options.sourceDist, dist, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = path.join(work, 'key.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const packed = spawnSync(options.executablePath, ['--no-sandbox', '--headless', `--pack-extension=${dist}`, `--pack-extension-key=${keyFile}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const crx = `${dist}.crx`;
  const extensionId = crxExtensionId(publicKey.export({ type: 'spki', format: 'der' }));
  const version = (JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as { version: string }).version;
  let crxBytes: Buffer;
  try {
    crxBytes = readFileSync(crx);
  } catch {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`chromium --pack-extension wrote no CRX: ${packed.stderr}`);
  }

  const server: Server = createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    if (req.url?.startsWith('/update.xml')) {
      res.setHeader('content-type', 'application/xml');
      res.end(
        `<?xml version='1.0' encoding='UTF-8'?><gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>` +
          `<app appid='${extensionId}'><updatecheck codebase='http://127.0.0.1:${port}/extension.crx' version='${version}'/></app></gupdate>`,
      );
    } else if (req.url?.startsWith('/extension.crx')) {
      res.setHeader('content-type', 'application/x-chrome-extension');
      res.end(crxBytes);
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
  const policyFile = path.join(CHROMIUM_POLICY_DIR, `ai-policy-guard-e2e-forced-${process.pid}.json`);
  writeFileSync(
    policyFile,
    JSON.stringify({
      ExtensionInstallForcelist: [`${extensionId};http://127.0.0.1:${port}/update.xml`],
      DeveloperToolsAvailability: 1,
      '3rdparty': { extensions: { [extensionId]: options.policy } },
    }),
    { mode: 0o644 },
  );
  const cleanUp = async () => {
    rmSync(policyFile, { force: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  };

  let context: BrowserContext;
  try {
    const rules = hostResolverRules(undefined, options.hostMap);
    context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
      executablePath: options.executablePath,
      headless: true,
      locale: 'en-US',
      env: { ...process.env, LANGUAGE: 'en', LANG: 'en_US.UTF-8' },
      ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking', '--disable-component-update', '--disable-default-apps'],
      args: ['--lang=en-US', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync', ...(rules ? [`--host-resolver-rules=${rules}`] : [])],
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const origin = `chrome-extension://${extensionId}`;
  const own = (w: Worker) => w.url().startsWith(origin);
  const worker = async (): Promise<Worker> => {
    const running = context.serviceWorkers().find(own);
    if (running) return running;
    const page = await context.newPage();
    await page.goto(`${origin}/src/pages/popup/index.html`);
    await page.close();
    return context.serviceWorkers().find(own) ?? context.waitForEvent('serviceworker', { predicate: own, timeout: 30_000 });
  };
  try {
    await (context.serviceWorkers().find(own) ?? context.waitForEvent('serviceworker', { predicate: own, timeout: 30_000 }));
  } catch (error) {
    await context.close().catch(() => undefined);
    await cleanUp();
    throw new Error(`Chromium did not install the forcelisted extension: ${String(error)}`);
  }
  return {
    context,
    extensionId,
    worker,
    async openPage(p) {
      const page = await context.newPage();
      await page.goto(`${origin}/${p.replace(/^\//, '')}`);
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      await cleanUp();
    },
  };
}
