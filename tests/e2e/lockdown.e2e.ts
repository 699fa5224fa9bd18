/**
 * The full lockdown, where this machine allows it: the extension in the
 * windows people open to get around it.
 *
 * Firefox ESR: policies.json force-installs the built package from a file://
 * URL (ExtensionSettings, `force_installed`, `private_browsing: true`) and
 * carries the organization's own notice; Firefox runs in permanent private
 * browsing, so every window is a private one, and an extension not allowed
 * there would not run at all.
 *
 * Chromium: the extension allowed in Incognito on chrome://extensions (no
 * policy can allow it), then an Incognito window opened on DeepSeek; the
 * extension's split mode gives that window its own background and warning page.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession } from 'playwright-core';
import { entriesOfDir, writeZip } from '../../scripts/zip';
import { assertBuilt, chromiumForSuite, launchChromium, type ChromeApi, type ProfileBrowser } from './harness/chromium';
import { startHostServer, startSiteServer, type CountingServer, type HostServer } from './harness/server';
import { DIST_FIREFOX, firefoxForSuite, type FirefoxExtension } from './harness/firefox';
import { until } from './harness/until';
import { withoutTableKey } from './harness/landing';
import { launchManagedFirefox } from './managed/firefox';
import { ORG_FILE, ORG_NOTICE_URL, ORG_QUOTE } from './managed/fixtures';

const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;

const firefox = firefoxForSuite('lockdown e2e (Firefox)');

describe.skipIf(!firefox.found)('Firefox: force-installed by policies.json with private_browsing, in a private window', () => {
  let site: CountingServer;
  let ff: FirefoxExtension;

  beforeAll(async () => {
    assertBuilt(DIST_FIREFOX);
    site = await startSiteServer();
    ff = await launchManagedFirefox({
      executablePath: firefox.path,
      proxyPort: site.port,
      policy: { organizations: ORG_FILE, enabledProfiles: ['acme-heavy'] },
      async morePolicies(geckoId, dist, work) {
        const xpi = path.join(work, 'ai-policy-guard.xpi');
        await writeZip(entriesOfDir(dist), xpi);
        return {
          ExtensionSettings: {
            [geckoId]: { installation_mode: 'force_installed', install_url: pathToFileURL(xpi).href, private_browsing: true },
          },
        };
      },
      launch: {
        // Nothing installed by the harness: the policy force-installs it while Firefox starts.
        install: 'none',
        prefs: {
          // ESR installs an unsigned package only with this; release Firefox needs a signed one.
          'xpinstall.signatures.required': false,
          // Every window private: the extension works here only if the policy allowed it there.
          'browser.privatebrowsing.autostart': true,
        },
      },
    });
  });

  afterAll(async () => {
    await ff?.close();
    await site?.close();
  });

  it('the add-on is installed by the policy, not by hand', async () => {
    const self = await ff.ext(
      () =>
        (globalThis as unknown as { browser: { management: { getSelf(): Promise<{ installType: string }> } } }).browser.management.getSelf(),
    );
    expect(self.installType).toBe('admin');
  });

  it('a private window is stopped on DeepSeek with the citation; nothing reaches the site', async () => {
    await ff.waitForRules((rules) => rules.length > 0, "the rule the policy's organization brings", 30_000);
    site.reset();
    const page = await ff.newWebPage();
    const landed = await ff.navigate(page, DEEPSEEK_URL, (href) => href.startsWith(ff.origin), 20_000);
    expect(withoutTableKey(landed)).toBe(ff.interstitialUrl(DEEPSEEK_URL));
    await page.waitForSelector('.citation[data-organization-id="acme-heavy"] blockquote.notice-quote', { timeout: 15_000 });
    const seen = await page.evaluate(() => ({
      private: (globalThis as unknown as { browser: { extension: { inIncognitoContext: boolean } } }).browser.extension.inIncognitoContext,
      quotes: [...document.querySelectorAll('.citation[data-organization-id="acme-heavy"] blockquote.notice-quote')].map((q) => q.textContent),
      link: document.querySelector('.citation[data-organization-id="acme-heavy"] a.notice-link')?.getAttribute('href'),
    }));
    expect(seen).toEqual({ private: true, quotes: [ORG_QUOTE], link: ORG_NOTICE_URL });
    expect(site.requests(DEEPSEEK)).toBe(0);
    await page.close();
  });
});

const chromium = chromiumForSuite('lockdown e2e (Chromium)');

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  title: string;
  browserContextId?: string;
}

describe.skipIf(!chromium.found)('Chromium: allowed in Incognito (split mode), an Incognito window is stopped on DeepSeek', () => {
  let site: CountingServer;
  let deepseek: HostServer;
  let b: ProfileBrowser;
  let cdp: CDPSession;

  beforeAll(async () => {
    assertBuilt();
    [site, deepseek] = await Promise.all([startSiteServer(), startHostServer(DEEPSEEK)]);
    b = await launchChromium({ executablePath: chromium.path, defaultPort: site.port, hostMap: { [DEEPSEEK]: deepseek.port } });
    await b.enableProfile('kb-financial-group');
    const browser = b.context.browser();
    if (!browser) throw new Error('no browser handle for CDP');
    cdp = await browser.newBrowserCDPSession();
  });

  afterAll(async () => {
    await cdp?.detach().catch(() => undefined);
    await b?.close();
    await Promise.all([site?.close(), deepseek?.close()]);
  });

  const targets = async () => ((await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] }).targetInfos;

  /** Evaluates `expression` in another browser context's page (Playwright only drives the regular profile). */
  async function evaluateIn(targetId: string, expression: string): Promise<unknown> {
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
    const id = 1;
    const answer = new Promise<unknown>((resolve) => {
      const onMessage = (event: { sessionId: string; message: string }) => {
        const reply = JSON.parse(event.message) as { id?: number; result?: { result?: { value?: unknown } } };
        if (event.sessionId === sessionId && reply.id === id) {
          cdp.off('Target.receivedMessageFromTarget', onMessage);
          resolve(reply.result?.result?.value);
        }
      };
      cdp.on('Target.receivedMessageFromTarget', onMessage);
    });
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }),
    });
    const value = await answer;
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    return value;
  }

  it('is allowed in Incognito on chrome://extensions, as a person or an admin would do it', async () => {
    const page = await b.context.newPage();
    await page.goto(`chrome://extensions/?id=${b.extensionId}`);
    const toggle = page.locator('#allow-incognito');
    await toggle.waitFor({ timeout: 10_000 });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('checked'), { timeout: 10_000 }).not.toBeNull();
    await page.close();
  });

  it('an Incognito window on DeepSeek lands on the warning page with the citation; nothing reaches the site', async () => {
    deepseek.reset();
    const regularContexts = new Set((await targets()).filter((t) => t.type === 'page').map((t) => t.browserContextId));
    const popup = await b.openPopup();
    await popup.evaluate(
      (url) =>
        (globalThis as unknown as { chrome: ChromeApi & { windows: { create(o: object): Promise<unknown> } } }).chrome.windows.create({
          incognito: true,
          url,
        }),
      DEEPSEEK_URL,
    );
    // Incognito upgrades the address to https first (HTTPS-First in Incognito); either way it must end here.
    const stopped = new Set([b.interstitialUrl(DEEPSEEK_URL), b.interstitialUrl(`https://${DEEPSEEK}/`)]);
    const target = await until('an Incognito tab on the warning page', 20_000, async () =>
      (await targets()).find((t) => t.type === 'page' && stopped.has(withoutTableKey(t.url)) && !regularContexts.has(t.browserContextId)),
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; targets: ${JSON.stringify((await targets()).map((t) => [t.type, t.url.slice(0, 120), t.browserContextId]))}`);
    });
    const seen = await until('the citation in the Incognito warning page', 10_000, async () => {
      const value = (await evaluateIn(
        target.targetId,
        `(() => ({ incognito: chrome.extension.inIncognitoContext, quotes: [...document.querySelectorAll('.citation[data-organization-id="kb-financial-group"] blockquote.notice-quote')].map((q) => q.textContent.trim()) }))()`,
      )) as { incognito: boolean; quotes: string[] } | undefined;
      return value && value.quotes.length > 0 ? value : undefined;
    });
    expect(seen.incognito).toBe(true);
    expect(seen.quotes).toEqual(expect.arrayContaining([expect.stringMatching(/^KB Financial Group and KB Kookmin Bank blocked access starting Monday/)]));
    console.log(`[Incognito warning page] ${target.title} | ${seen.quotes.join(' | ')}`);
    expect(deepseek.requests(DEEPSEEK)).toBe(0);
    await popup.close();
  });
});
