/**
 * Who may send what, in real Chromium on the built extension: the content
 * script (inside a banned site's page) and a framed interstitial can only read
 * a verdict; and a page that keeps sending its tab to a banned site adds one
 * entry to the activity log, not one per loop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumForSuite, launchChromium, sendFrom, type MessageReply as Reply, type ProfileBrowser } from './harness/chromium';
import { startSiteServer, UNRELATED_HOST, type CountingServer } from './harness/server';
import { isInterstitial, setProfileInPopup, waitForInterstitial } from './harness/ui';

const DEEPSEEK_URL = 'http://chat.deepseek.com/';
const START = `http://${UNRELATED_HOST}/`;
const KB = 'kb-financial-group';

const discovery = chromiumForSuite();

const PRIVILEGED: [string, Record<string, unknown>][] = [
  ['resetAll', { confirmed: true }],
  ['clearActivityLog', {}],
  ['getActivityLog', {}],
  ['setProfileEnabled', { organizationId: KB, enabled: false }],
  ['updateSettings', { proceedMinutes: 240 }],
  ['proceedAnyway', { url: DEEPSEEK_URL, acknowledged: true, statement: 'responsibility' }],
  ['recordWarningShown', { url: DEEPSEEK_URL }],
];

/** Runs `expression` in the content script's isolated world of `page` (found over CDP). */
async function inContentScript(b: ProfileBrowser, page: Page, expression: string): Promise<unknown> {
  const cdp = await b.context.newCDPSession(page);
  try {
    const contexts: { id: number; origin: string; auxData?: { type?: string; isDefault?: boolean } }[] = [];
    cdp.on('Runtime.executionContextCreated', (e: { context: (typeof contexts)[number] }) => contexts.push(e.context));
    await cdp.send('Runtime.enable');
    const origin = `chrome-extension://${b.extensionId}`;
    const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin === origin);
    if (!world) throw new Error(`no content-script world on ${page.url()}: ${JSON.stringify(contexts.map((c) => [c.origin, c.auxData?.type]))}`);
    const result = (await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string };
    };
    if (result.exceptionDetails) throw new Error(`content-script evaluation threw: ${result.exceptionDetails.text}`);
    return result.result.value;
  } finally {
    await cdp.detach();
  }
}

async function activityLog(b: ProfileBrowser): Promise<{ event: string; host: string; count?: number }[]> {
  const options = await b.openOptions();
  try {
    const reply = await sendFrom(options, 'getActivityLog', {});
    if (!reply.ok) throw new Error(`getActivityLog: ${reply.error}`);
    return (reply.data as { entries: { event: string; host: string }[] }).entries;
  } finally {
    await options.close();
  }
}

describe.skipIf(!discovery.found)('Chromium, message senders', () => {
  let site: CountingServer;
  let b: ProfileBrowser;

  beforeAll(async () => {
    site = await startSiteServer();
    b = await launchChromium({ executablePath: discovery.path, defaultPort: site.port });
    await b.worker();
  });

  afterAll(async () => {
    await b?.close();
    await site?.close();
  });

  it('the content script in a catalog site can read a verdict and nothing privileged', async () => {
    // No profile on yet: chat.deepseek.com loads, with the content script in it.
    const page = await b.context.newPage();
    await page.goto(DEEPSEEK_URL);
    expect(isInterstitial(b, page.url())).toBe(false);
    await expect
      .poll(() => inContentScript(b, page, 'typeof chrome.runtime.sendMessage').catch(() => 'no world yet'), { timeout: 10_000 })
      .toBe('function');

    // Control: the channel works, so a refusal below is the allow-list speaking.
    const verdict = (await inContentScript(
      b,
      page,
      `chrome.runtime.sendMessage({ kind: 'getVerdict', request: { url: location.href } })`,
    )) as Reply;
    expect(verdict.ok).toBe(true);

    for (const [kind, request] of PRIVILEGED) {
      const reply = (await inContentScript(
        b,
        page,
        `chrome.runtime.sendMessage(${JSON.stringify({ kind, request })})`,
      )) as Reply;
      expect(reply, kind).toEqual({ ok: false, error: `${kind}: not allowed from this context` });
    }
    // The page's own world has no way to the extension at all.
    expect(await page.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe(
      'undefined',
    );
    await page.close();

    // Nothing changed: the log was not cleared, the proceed time is the default, no profile was touched.
    const options = await b.openOptions();
    const settings = (await sendFrom(options, 'getSettings', {})) as { ok: true; data: { proceedMinutes: number; onboarded: boolean } };
    expect(settings.data.proceedMinutes).toBe(15);
    await options.close();
  });

  it('a framed interstitial shows the warning but cannot proceed or log', async () => {
    await (await setProfileInPopup(b, KB)).close();
    site.reset();
    const page = await b.context.newPage();
    await page.goto(`${START}embed?src=${encodeURIComponent(DEEPSEEK_URL)}`);
    const frame = await expect
      .poll(() => page.frames().find((f) => f !== page.mainFrame() && isInterstitial(b, f.url())) ?? null, { timeout: 10_000 })
      .not.toBeNull()
      .then(() => page.frames().find((f) => f !== page.mainFrame() && isInterstitial(b, f.url()))!);
    expect((await sendFrom(frame, 'getVerdict', { url: DEEPSEEK_URL })).ok).toBe(true);
    for (const kind of ['proceedAnyway', 'recordWarningShown', 'resetAll'] as const) {
      const request = PRIVILEGED.find(([k]) => k === kind)![1];
      expect(await sendFrom(frame, kind, request), kind).toEqual({ ok: false, error: `${kind}: not allowed from this context` });
    }
    expect(site.requests('chat.deepseek.com')).toBe(0);
    await page.close();
  });

  it('a tab sent to a banned site over and over adds one showing; another tab adds a showing of its own', async () => {
    site.reset();
    const warnings = async () => (await activityLog(b)).filter((e) => e.event === 'warning-shown');
    const before = (await warnings()).length;
    const page = await b.context.newPage();
    const loops = 8;
    for (let i = 0; i < loops; i++) {
      // A web page navigates, as a looping script would (a new address each time).
      await page.goto(START);
      await page.evaluate((u) => {
        location.href = u;
      }, `${DEEPSEEK_URL}?loop=${i}`);
      await waitForInterstitial(b, page);
      await page.waitForFunction(() => document.getElementById('main')?.getAttribute('aria-busy') === null);
    }
    await expect.poll(async () => (await warnings()).length).toBe(before + 1);
    expect((await warnings()).at(-1)).toMatchObject({ host: 'chat.deepseek.com' });
    expect((await warnings()).at(-1)?.count ?? 1).toBe(1);

    // Control: another tab's stop is a showing of its own. Started from the same
    // site within minutes, it is counted on the same line, not written as a new one.
    const other = await b.context.newPage();
    await other.goto(START);
    await other.click('#link-deepseek');
    await waitForInterstitial(b, other);
    await expect.poll(async () => (await warnings()).at(-1)?.count ?? 1).toBe(2);
    expect((await warnings()).length).toBe(before + 1);
    expect(site.requests('chat.deepseek.com')).toBe(0);
  });
});
