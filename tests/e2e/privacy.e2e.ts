/**
 * Privacy, proven on the built extension:
 * - it makes no network request of its own: a run through the worker, the
 *   popup, the options page and the interstitial, in Chromium and in Firefox,
 *   with every request of the browser going through a recording proxy (HTTP
 *   requests by host, HTTPS by CONNECT host);
 * - `web-ext lint` on the Firefox build: 0 errors, 0 warnings;
 * - README's permissions table names every permission of both manifests with a reason;
 * - no remote code: every script is packaged, the CSPs allow only 'self'.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request } from 'playwright-core';
import { DIST_CHROME, discoverChromium, launchChromium, type ProfileBrowser } from './harness/chromium';
import { DIST_FIREFOX, firefoxForSuite, launchFirefox, OPTIONS_PATH, START_URL, type FirefoxExtension, type FxRule } from './harness/firefox';
import { startSiteServer, UNRELATED_HOST, type CountingServer } from './harness/server';
import { isInterstitial, proceedPastInterstitial, setProfileInPopup, waitForInterstitial } from './harness/ui';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const KB = 'kb-financial-group';
const run = promisify(execFile);

const chromiumFound = discoverChromium();
const firefox = firefoxForSuite('Privacy e2e');

interface ProxyRecord {
  host: string;
  kind: 'http' | 'connect';
  url: string;
}

interface RecordingProxy {
  port: number;
  log: ProxyRecord[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy that records every request by host: plain HTTP is forwarded to
 * the counting site server (which answers for the test hosts), a CONNECT (any
 * HTTPS request) is recorded and refused, so nothing reaches the internet.
 */
function startRecordingProxy(upstreamPort: number): Promise<RecordingProxy> {
  const log: ProxyRecord[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const raw = req.url ?? '/';
    const url = /^https?:\/\//i.test(raw) ? new URL(raw) : new URL(raw, `http://${req.headers.host ?? 'unknown'}`);
    log.push({ host: url.hostname.toLowerCase(), kind: 'http', url: url.href });
    const upstream = http.request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: url.pathname + url.search, headers: { ...req.headers, host: url.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    const target = req.url ?? '';
    log.push({ host: target.replace(/:\d+$/, '').toLowerCase(), kind: 'connect', url: target });
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        log,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Requests by host, for the printed figures. */
function byHost(log: readonly ProxyRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of log) counts[`${r.kind === 'connect' ? 'CONNECT ' : ''}${r.host}`] = (counts[`${r.kind === 'connect' ? 'CONNECT ' : ''}${r.host}`] ?? 0) + 1;
  return counts;
}

/** Every file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * Firefox's own background services (remote settings, captive-portal
 * detection, push, safe browsing, add-on and system updates). They reach the
 * proxy whatever the extension does; the test below also asserts that the
 * built extension names none of these domains, so excluding them cannot hide
 * a request of the extension's own.
 */
const FIREFOX_OWN_DOMAINS = ['mozilla.com', 'mozilla.net', 'mozilla.org', 'firefox.com', 'mozaws.net', 'safebrowsing.googleapis.com', 'getpocket.com'];
const isFirefoxOwn = (host: string) => FIREFOX_OWN_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));

/**
 * Chromium's own background services that the launch flags do not silence
 * (component and extension update checks, account and autofill services), seen
 * on this machine: update.googleapis.com, accounts.google.com,
 * content-autofill.googleapis.com. Excluded by name; the build is checked to
 * name none of these domains.
 */
const CHROMIUM_OWN_DOMAINS = ['googleapis.com', 'gstatic.com', 'gvt1.com'];
// Only these google.com hosts: catalog sites such as gemini.google.com stay counted.
const CHROMIUM_OWN_HOSTS = ['accounts.google.com', 'www.google.com', 'clients1.google.com', 'clients2.google.com', 'clients4.google.com'];
const isChromiumOwn = (host: string) => CHROMIUM_OWN_HOSTS.includes(host) || CHROMIUM_OWN_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));

describe.skipIf(!chromiumFound.found)('privacy in Chromium: the extension makes no request of its own', () => {
  let site: CountingServer;
  let proxy: RecordingProxy;
  let b: ProfileBrowser;
  const extensionRequests: string[] = [];

  beforeAll(async () => {
    site = await startSiteServer();
    proxy = await startRecordingProxy(site.port);
    b = await launchChromium({ executablePath: chromiumFound.path, defaultPort: site.port, proxyPort: proxy.port });
  });
  afterAll(async () => {
    await b?.close();
    await proxy?.close();
    await site?.close();
  });

  it('worker, popup, options page and interstitial: every request seen is one the test made', async () => {
    const origin = b.extensionUrl('');
    // A second witness beside the proxy: any request an extension page or the worker starts
    // for something other than its own packaged files (an IP literal would skip a proxy rule).
    const fromExtension = (r: Request) => {
      let initiator = '';
      try {
        initiator = r.serviceWorker()?.url() ?? r.frame().url();
      } catch {
        initiator = '';
      }
      return initiator.startsWith(origin) && !r.url().startsWith(origin) && !r.url().startsWith('data:');
    };
    // The one navigation an extension page may start: the interstitial's proceed, which the person chose.
    const isProceed = (r: Request) => r.isNavigationRequest() && r.url() === DEEPSEEK_URL;
    let proceedNavigations = 0;
    b.context.on('request', (r) => {
      if (!fromExtension(r)) return;
      if (isProceed(r)) proceedNavigations += 1;
      else extensionRequests.push(r.url());
    });

    // The worker installs its rules and answers; the popup turns on a profile.
    const popup = await setProfileInPopup(b, KB);
    // The options page: profiles with their notices, an organization's details opened.
    const options = await b.openOptions();
    const details = options.locator('details.org-details').first();
    await details.locator('summary').click();
    await expect.poll(() => details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    // The interstitial, reached from a web page's link, then the deliberate way forward.
    const page = await b.context.newPage();
    await page.goto(`http://${UNRELATED_HOST}/`);
    await page.click('#link-deepseek');
    await waitForInterstitial(b, page);
    await page.locator('.citation').first().waitFor({ state: 'visible' });
    await proceedPastInterstitial(b, page);
    expect(page.url()).toBe(DEEPSEEK_URL);
    // The popup on the tab that is now on the banned site: the verdict shown there.
    await popup.reload();
    await popup.locator('#verdict-body > *').first().waitFor({ state: 'attached' });
    // Whatever the worker might do later (alarms, idle) gets a moment too.
    await page.waitForTimeout(2_000);
    expect(isInterstitial(b, page.url())).toBe(false);

    const testMade = (r: ProxyRecord) => r.kind === 'http' && (r.host === UNRELATED_HOST || (r.host === DEEPSEEK && new URL(r.url).pathname === '/'));
    const chromiumOwn = proxy.log.filter((r) => !testMade(r) && isChromiumOwn(r.host));
    const unexpected = proxy.log.filter((r) => !testMade(r) && !isChromiumOwn(r.host));
    console.log(
      `privacy (Chromium): ${proxy.log.length} request(s) through the proxy ${JSON.stringify(byHost(proxy.log))}; ` +
        `Chromium's own services: ${chromiumOwn.length}; not made by the test or Chromium: ${unexpected.length}; ` +
        `started by extension pages or the worker (seen by Playwright): ${extensionRequests.length} ${JSON.stringify(extensionRequests)} ` +
        `(besides the person's proceed navigation: ${proceedNavigations})`,
    );
    expect(unexpected.map((r) => `${r.kind} ${r.url}`)).toEqual([]);
    expect(extensionRequests).toEqual([]);
    expect(proceedNavigations, "the proceed is the interstitial's only navigation").toBe(1);
    // The one request to the banned host is the person's deliberate proceed.
    expect(proxy.log.filter((r) => r.host === DEEPSEEK)).toHaveLength(1);
    expect(proxy.log.some((r) => r.host === UNRELATED_HOST), 'the proxy did see the test navigations').toBe(true);
  });
});

describe.skipIf(!firefox.found)('privacy in Firefox: the extension makes no request of its own', () => {
  let site: CountingServer;
  let proxy: RecordingProxy;
  let ff: FirefoxExtension;

  beforeAll(async () => {
    site = await startSiteServer();
    proxy = await startRecordingProxy(site.port);
    ff = await launchFirefox({ executablePath: firefox.path, proxyPort: proxy.port });
  });
  afterAll(async () => {
    await ff?.close();
    await proxy?.close();
    await site?.close();
  });

  it('background, popup, options page and interstitial: no host but the ones the test visits (Firefox services excluded by name)', async () => {
    // The popup: tick KB as a person does.
    const popup = await ff.openPopup();
    const label = await popup.waitForSelector(`li.profile[data-organization-id="${KB}"] label`, { timeout: 15_000 });
    await label?.click();
    await ff.waitForRules(
      (rules: FxRule[]) => rules.some((r) => (r.condition.requestDomains ?? []).includes('deepseek.com')),
      'KB rules',
    );
    // The options page with an organization's details opened.
    const options = await ff.openExtensionPage(OPTIONS_PATH);
    await options.waitForSelector('details.org-details summary', { timeout: 15_000 });
    await options.click('details.org-details summary');
    await options.waitForFunction(() => document.querySelector('details.org-details[open]') !== null, { timeout: 10_000 });
    // The interstitial from a web page's link, then proceed.
    const page = await ff.newWebPage();
    await page.goto(START_URL);
    await page.click('#link-deepseek');
    await ff.waitForLocation(page, (h) => h.startsWith(ff.interstitialUrl()));
    await page.waitForSelector('#proceed-details summary', { timeout: 15_000 });
    await page.click('#proceed-details summary');
    await page.click('#proceed-ack');
    await page.click('#proceed-button');
    // Firefox passes through about:blank while the proceed navigation starts.
    expect(await ff.waitForLocation(page, (h) => h !== 'about:blank' && !h.startsWith(ff.origin))).toBe(DEEPSEEK_URL);
    await new Promise((r) => setTimeout(r, 2_000));

    const testMade = (r: ProxyRecord) => r.kind === 'http' && (r.host === UNRELATED_HOST || (r.host === DEEPSEEK && new URL(r.url).pathname === '/'));
    const firefoxOwn = proxy.log.filter((r) => !testMade(r) && isFirefoxOwn(r.host));
    const unexpected = proxy.log.filter((r) => !testMade(r) && !isFirefoxOwn(r.host));
    console.log(
      `privacy (Firefox): ${proxy.log.length} request(s) through the proxy ${JSON.stringify(byHost(proxy.log))}; ` +
        `Firefox's own services: ${firefoxOwn.length}; not made by the test or Firefox: ${unexpected.length}`,
    );
    expect(unexpected.map((r) => `${r.kind} ${r.url}`)).toEqual([]);
    expect(proxy.log.filter((r) => r.host === DEEPSEEK)).toHaveLength(1);
    expect(proxy.log.some((r) => r.host === UNRELATED_HOST), 'the proxy did see the test navigations').toBe(true);
  });

});

describe('privacy: the exclusions cannot hide the extension', () => {
  it("the built extension names no URL on the domains excluded as the browsers' own (catalog sites aside)", () => {
    // Catalog hosts (gemini.google.com, say) are sites the extension stops and names, never ones it calls.
    const catalog = JSON.stringify(JSON.parse(readFileSync(path.join(ROOT, 'policies/services.json'), 'utf8')));
    const inCatalog = (host: string) => catalog.includes(`"${host}"`) || catalog.includes(`"${host.replace(/^www\./, '')}"`);
    let urls = 0;
    for (const dist of [DIST_CHROME, DIST_FIREFOX]) {
      const files = filesUnder(dist).filter((f) => /\.(js|html|json)$/.test(f));
      expect(files.length).toBeGreaterThan(3);
      for (const file of files) {
        for (const [, host] of readFileSync(file, 'utf8').matchAll(/https?:\/\/([a-z0-9.-]+)/gi)) {
          urls += 1;
          const h = (host ?? '').toLowerCase();
          if (inCatalog(h)) continue;
          expect(isFirefoxOwn(h) || isChromiumOwn(h), `${path.relative(dist, file)} names ${h}`).toBe(false);
        }
      }
    }
    expect(urls).toBeGreaterThan(0);
  });
});

describe('privacy of the build: lint, permissions, no remote code', () => {
  it('web-ext lint on the Firefox build: 0 errors, 0 warnings', async () => {
    const { stdout } = await run('npx', ['web-ext', 'lint', '--source-dir', DIST_FIREFOX, '--output', 'json', '--no-config-discovery'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      summary: { errors: number; warnings: number; notices: number };
      errors: { code: string; message: string }[];
      warnings: { code: string; message: string }[];
      notices: { code: string; message: string }[];
    };
    console.log(
      `web-ext lint ${DIST_FIREFOX}: ${report.summary.errors} error(s), ${report.summary.warnings} warning(s), ${report.summary.notices} notice(s)` +
        (report.notices.length ? ` [notices: ${report.notices.map((n) => n.code).join(', ')}]` : ''),
    );
    expect(report.errors.map((e) => `${e.code}: ${e.message}`)).toEqual([]);
    expect(report.warnings.map((w) => `${w.code}: ${w.message}`)).toEqual([]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
  }, 120_000);

  /** README's permissions table: the first cell's `name` → the reason. */
  function readmePermissions(): Map<string, string> {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Privacy'), readme.indexOf('\n## ', readme.indexOf('## Privacy') + 1));
    const rows = new Map<string, string>();
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      // | first | reason |  → ['', first, reason, '']
      if (cells.length < 4 || cells[1] === 'permission' || /^-+$/.test(cells[1] ?? '')) continue;
      const first = cells[1] ?? '';
      const reason = cells[2] ?? '';
      const name = /^`([^`]+)`/.exec(first)?.[1] ?? (first.startsWith('host access') ? 'host access' : first);
      rows.set(name, `${first} | ${reason}`);
    }
    return rows;
  }

  interface Manifest {
    permissions?: string[];
    optional_permissions?: string[];
    host_permissions?: string[];
    content_security_policy?: { extension_pages?: string };
    background?: { service_worker?: string; scripts?: string[] };
  }

  for (const [browserName, dist] of [
    ['chrome', DIST_CHROME],
    ['firefox', DIST_FIREFOX],
  ] as const) {
    it(`README explains every permission of the ${browserName} build`, () => {
      const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as Manifest;
      const rows = readmePermissions();
      const named = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])];
      expect(named.length).toBeGreaterThan(0);
      for (const permission of named) {
        const row = rows.get(permission);
        expect(row, `README's permissions table has a row for \`${permission}\``).toBeDefined();
        const reason = row!.split(' | ')[1] ?? '';
        expect(reason.length, `a reason for ${permission}`).toBeGreaterThan(20);
        if ((manifest.optional_permissions ?? []).includes(permission)) expect(row, `${permission} is marked optional`).toMatch(/optional/i);
      }
      // Host access: named in the table, and narrow (the catalog's hosts, never every site).
      const hosts = manifest.host_permissions ?? [];
      expect(rows.get('host access'), 'README has a row for host access').toBeDefined();
      for (const broad of ['<all_urls>', '*://*/*', 'http://*/*', 'https://*/*']) expect(hosts).not.toContain(broad);
      // (Firefox also lists each host's trailing-dot form, `deepseek.com.`: the same host.)
      for (const pattern of hosts) expect(pattern, 'one host (or its subdomains) per pattern').toMatch(/^\*:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\.?\/\*$/);
      const services = JSON.parse(readFileSync(path.join(ROOT, 'policies/services.json'), 'utf8')) as unknown;
      const catalog = JSON.stringify(services);
      for (const pattern of hosts) {
        const host = pattern.replace(/^\*:\/\/(\*\.)?/, '').replace(/\.?\/\*$/, '');
        expect(catalog.includes(`"${host}"`), `${host} is a host of a catalog service`).toBe(true);
      }
      console.log(
        `${browserName} manifest: permissions [${(manifest.permissions ?? []).join(', ')}], optional [${(manifest.optional_permissions ?? []).join(', ')}], ` +
          `${hosts.length} host patterns (catalog hosts only); every one in README`,
      );
    });

    it(`the ${browserName} build loads no remote code`, () => {
      const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as Manifest;
      // The manifest CSP: scripts from the package only (the MV3 default is the same), nothing remote.
      const csp = manifest.content_security_policy?.extension_pages ?? "script-src 'self'";
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1]?.trim();
      expect(scriptSrc).toBe("'self'");
      expect(csp).not.toMatch(/https?:|'unsafe-eval'|'unsafe-inline'|\*/);
      const files = filesUnder(dist);
      const htmlFiles = files.filter((f) => f.endsWith('.html'));
      expect(htmlFiles.length).toBeGreaterThanOrEqual(3);
      for (const file of htmlFiles) {
        const html = readFileSync(file, 'utf8');
        const where = path.relative(dist, file);
        const srcs = [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1] ?? '');
        for (const src of srcs) expect(src, `${where}: ${src}`).not.toMatch(/^(https?:)?\/\//i);
        const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
        for (const [, attrs, body] of scripts) {
          expect(attrs, `${where}: every script is a packaged file`).toMatch(/\bsrc=/);
          expect((body ?? '').trim(), `${where}: no inline script`).toBe('');
        }
        // Each page's own CSP, where it sets one, is no looser.
        const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
        if (meta) expect(meta, `${where} CSP`).not.toMatch(/https?:|'unsafe-eval'|'unsafe-inline'/);
      }
      // No packaged script imports or loads code from the network.
      const scripts = files.filter((f) => f.endsWith('.js'));
      for (const file of scripts) {
        const js = readFileSync(file, 'utf8');
        expect(js, `${path.relative(dist, file)}: remote import`).not.toMatch(/\bimport\s*\(\s*["'`]https?:|\bimportScripts\s*\(\s*["'`]https?:|from\s*["']https?:/);
      }
      const background = manifest.background?.service_worker ? [manifest.background.service_worker] : (manifest.background?.scripts ?? []);
      for (const entry of background) expect(entry).not.toMatch(/^https?:/);
    });
  }
});
