/**
 * A Firefox install that survives a restart, as README's "Install" documents
 * for Firefox ESR, Developer Edition and Nightly: the packaged, unsigned xpi
 * (what `npm run package` writes), installed for good by Firefox's add-on
 * manager with `xpinstall.signatures.required` set to false. Firefox quits and
 * starts again on the same profile; the add-on is still there, not a
 * temporary one, keeps the profile that was turned on, and DeepSeek is still
 * stopped before any request, with KB Financial Group's notice cited.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactNames, packageExtension, readPackageInfo } from '../../scripts/packaging';
import { DIST_FIREFOX, firefoxForSuite, geckoIdOf, launchFirefox, type FirefoxExtension, type FxRule } from './harness/firefox';
import { startSiteServer, type CountingServer } from './harness/server';
import { seedText } from './harness/ui';
import { withoutTableKey } from './harness/landing';

const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const KB = 'kb-financial-group';
const firefox = firefoxForSuite('Firefox install e2e');

type Reply<T> = { ok: true; data: T } | { ok: false; error: string };
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const covers = (host: string) => (rules: FxRule[]) =>
  rules.some((r) => r.action.type === 'redirect' && (r.condition.requestDomains ?? []).some((d) => host === d || host.endsWith(`.${d}`)));

/** How Firefox installed the add-on: "development" is a temporary add-on (about:debugging), gone at the next start. */
function installType(ff: FirefoxExtension): Promise<string> {
  return ff.ext((api) => (api as unknown as { management: { getSelf(): Promise<{ installType: string }> } }).management.getSelf().then((s) => s.installType));
}

/** Opens DeepSeek from a web page; returns where it landed and what the interstitial cites for KB. */
async function visitDeepSeek(ff: FirefoxExtension) {
  const page = await ff.newWebPage();
  const landed = await ff.navigate(page, DEEPSEEK_URL, (h) => h.startsWith(ff.origin));
  await page.waitForSelector(`.citation[data-organization-id="${KB}"] blockquote.notice-quote`, { timeout: 15_000 });
  const seen = await page.evaluate((id) => {
    const card = document.querySelector<HTMLElement>(`.citation[data-organization-id="${id}"]`);
    return {
      card: (card?.innerText ?? '').replace(/\s+/g, ' '),
      quotes: [...(card?.querySelectorAll('blockquote.notice-quote') ?? [])].map((q) => (q.textContent ?? '').replace(/\s+/g, ' ').trim()),
    };
  }, KB);
  await page.close();
  return { landed, ...seen };
}

describe.skipIf(!firefox.found)('Firefox ESR: the unsigned xpi installed for good survives a restart', () => {
  let site: CountingServer;
  let work: string;
  let xpi: string;

  beforeAll(async () => {
    site = await startSiteServer();
    work = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-xpi-'));
    const pkg = readPackageInfo();
    // The same bytes as npm run package's xpi: packaging is reproducible.
    xpi = path.join(work, artifactNames(pkg).firefox);
    await packageExtension(DIST_FIREFOX, xpi, pkg.version);
  });

  afterAll(async () => {
    await site?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('without xpinstall.signatures.required = false, Firefox refuses the unsigned xpi (the pref is what makes it installable)', async () => {
    let ff: FirefoxExtension | null = null;
    const launched = launchFirefox({
      executablePath: firefox.path,
      proxyPort: site.port,
      install: 'xpi',
      xpi,
      prefs: { 'xpinstall.signatures.required': true },
    }).then((b) => {
      ff = b;
    });
    await expect(launched).rejects.toThrow(/signature|signed|verif/i);
    await (ff as FirefoxExtension | null)?.close();
  });

  it('installed from the xpi, KB turned on, Firefox restarted: the add-on is still there and DeepSeek is still stopped with the citation', async () => {
    const profile = path.join(work, 'profile');
    const geckoId = geckoIdOf();
    let first: FirefoxExtension | null = null;
    let second: FirefoxExtension | null = null;
    try {
      first = await launchFirefox({ executablePath: firefox.path, proxyPort: site.port, install: 'xpi', xpi, userDataDir: profile });
      const reply = (await first.ext((api, arg) => api.runtime.sendMessage({ kind: 'setProfileEnabled', request: arg }), {
        organizationId: KB,
        enabled: true,
      })) as Reply<{ enabled: string[] }>;
      expect(reply.ok ? reply.data.enabled : reply.error).toContain(KB);
      await first.waitForRules(covers(DEEPSEEK), 'KB rules');
      const typeBefore = await installType(first);
      expect(typeBefore).not.toBe('development');
      // Firefox keeps the installed package in the profile, byte for byte.
      const installed = path.join(profile, 'extensions', `${geckoId}.xpi`);
      expect(existsSync(installed), installed).toBe(true);
      expect(sha256(installed)).toBe(sha256(xpi));
      const uuid = first.uuid;
      // Quit; the profile folder is ours and stays.
      await first.browser.close();
      first = null;

      second = await launchFirefox({ executablePath: firefox.path, proxyPort: site.port, install: 'none', userDataDir: profile, uuid });
      expect(await installType(second)).toBe(typeBefore);
      await second.waitForRules(covers(DEEPSEEK), 'KB rules after the restart');
      site.reset();
      const seen = await visitDeepSeek(second);
      expect(withoutTableKey(seen.landed)).toBe(second.interstitialUrl(DEEPSEEK_URL));
      expect(site.requests(DEEPSEEK)).toBe(0);
      expect(seen.card).toContain('KB Financial Group');
      expect(seen.card).toContain('Korea JoongAng Daily');
      expect(seen.quotes.length).toBeGreaterThan(0);
      const seeds = seedText();
      for (const quote of seen.quotes) expect(seeds, `quote shown: ${quote}`).toContain(quote);
      console.log(`xpi ${path.basename(xpi)}: installType "${typeBefore}" before and after the restart; DeepSeek stopped, ${seen.quotes.length} quote(s) cited`);
    } finally {
      await first?.browser.close().catch(() => undefined);
      await second?.browser.close().catch(() => undefined);
    }
  });
});
