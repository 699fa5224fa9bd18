/**
 * The activity log keeps what it must. A proceed and its reason stay in the
 * capped log whatever floods it: 505 navigations across gN.deepseek.com in
 * one tab (one entry per tab and host used to fill the 500 entries and push
 * the proceed out), and a web page whose popup is moved across subdomains in
 * a loop. Warnings for one service in a row are one entry with a count, and an
 * entry says when its tab was opened by another page (Chromium gives a page a
 * rule redirected no referrer, so no initiating origin).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertBuilt, chromiumForSuite, launchChromium, sendFrom, type ProfileBrowser } from './harness/chromium';
import { startSiteServer, type CountingServer } from './harness/server';
import { waitForInterstitial } from './harness/ui';
import { policyDirProblem, setUpChromiumPolicy, type ChromiumPolicy } from './managed/chromium-policy';

const chromium = chromiumForSuite('activity-flood e2e');
const skip = !chromium.found ? chromium.message : policyDirProblem();
if (skip && process.env.CI === 'true') throw new Error(`activity-flood e2e: ${skip}`);

const REASON = 'Reviewing the DeepSeek sign-up page for the security audit';
const FLOOD = 505;

interface LogEntry {
  at: number;
  event: string;
  serviceId: string;
  host: string;
  justification?: string;
  count?: number;
  initiator?: string;
  openedByPage?: boolean;
  lastAt?: number;
}
interface LogReply {
  entries: LogEntry[];
  drops: { count: number; lastAt: number } | null;
}

/** A page that, on one click, opens a popup and moves it across subdomains in a loop (what a hostile page can do). */
const LOOP_PAGE = `<!doctype html><title>loop</title><button id="go">Open</button><script>
document.getElementById('go').addEventListener('click', () => {
  const w = window.open('about:blank', 'loop');
  let i = 0;
  const timer = setInterval(() => {
    if (i >= ${FLOOD}) { clearInterval(timer); document.title = 'done'; return; }
    w.location.href = 'http://p' + i + '.deepseek.com/';
    i += 1;
  }, 60);
});
</script>`;

describe.skipIf(skip !== null)('the activity log under a flood (Chromium)', () => {
  let policy: ChromiumPolicy;
  let site: CountingServer;
  let b: ProfileBrowser;

  const log = async (): Promise<LogReply> => {
    const options = await b.openOptions();
    try {
      const reply = await sendFrom(options, 'getActivityLog', {});
      if (!reply.ok) throw new Error(reply.error);
      return reply.data as LogReply;
    } finally {
      await options.close();
    }
  };

  async function proceedWithReason(): Promise<void> {
    const page = await b.context.newPage();
    await page.goto('http://chat.deepseek.com/');
    await waitForInterstitial(b, page);
    await page.locator('#proceed-details summary').click();
    await page.locator('#proceed-ack').check();
    await page.locator('#proceed-reason').fill(REASON);
    await page.locator('#proceed-button').click();
    await page.waitForURL('http://chat.deepseek.com/', { timeout: 10_000 });
    await page.close();
    // The exception ends, so every navigation after this one is stopped again.
    const options = await b.openOptions();
    expect(await sendFrom(options, 'endException', { serviceId: 'deepseek' })).toMatchObject({ ok: true });
    await options.close();
  }

  beforeAll(async () => {
    assertBuilt();
    policy = setUpChromiumPolicy(`${process.cwd()}/dist/chrome`);
    // Kakao bans DeepSeek for company tasks (warn); a reason is required to proceed.
    policy.write({ enabledProfiles: ['kakao'], requireJustification: true });
    site = await startSiteServer((host, path) => (host === 'example.test' && path === '/loop' ? { type: 'text/html', body: LOOP_PAGE } : null));
    b = await launchChromium({ executablePath: chromium.path, defaultPort: site.port, dist: policy.dist });
    await b.waitForRules(1);
  });

  afterAll(async () => {
    await b?.close();
    policy?.remove();
    await site?.close();
  });

  it(`${FLOOD} navigations across gN.deepseek.com in one tab leave the proceed and its reason in place`, async () => {
    await proceedWithReason();
    const page: Page = await b.context.newPage();
    const started = Date.now();
    for (let i = 0; i < FLOOD; i += 1) {
      await page.goto(`http://g${i}.deepseek.com/`);
      await page.locator('#go-back').waitFor({ state: 'visible', timeout: 10_000 });
    }
    const seconds = (Date.now() - started) / 1000;
    await page.close();
    // Every interstitial reports itself; the last reports may still be queued.
    await expect
      .poll(async () => (await log()).entries.filter((e) => e.event === 'warning-shown').at(-1)?.count ?? 0, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(FLOOD);
    const { entries, drops } = await log();
    const proceeds = entries.filter((e) => e.event === 'proceeded');
    expect(proceeds).toHaveLength(1);
    expect(proceeds[0]).toMatchObject({ serviceId: 'deepseek', host: 'chat.deepseek.com', justification: REASON });
    const warnings = entries.filter((e) => e.event === 'warning-shown');
    expect(warnings).toHaveLength(2);
    // The one before the proceed, and the flood after it as one entry: typed addresses, so no initiator.
    expect(warnings[1]).toMatchObject({ serviceId: 'deepseek', host: 'g0.deepseek.com', count: FLOOD });
    expect(warnings[1]!.initiator).toBeUndefined();
    expect(drops).toBeNull();
    expect(site.requests('chat.deepseek.com', '/')).toBe(1);
    expect(site.log.filter((r) => /^g\d+\.deepseek\.com$/.test(r.host))).toHaveLength(0);
    console.log(`[subdomain flood] ${FLOOD} navigations in ${seconds.toFixed(1)} s → ${entries.length} log entries; the flood counted ${warnings[1]!.count}; 0 requests to gN.deepseek.com`);
  });

  it("a page looping its popup across subdomains leaves the proceed and its reason in place, its warnings marked as from a page's window", async () => {
    const page = await b.context.newPage();
    await page.goto('http://example.test/loop');
    const started = Date.now();
    await page.locator('#go').click();
    await page.waitForFunction(() => document.title === 'done', undefined, { timeout: 120_000 });
    const seconds = (Date.now() - started) / 1000;
    await page.waitForTimeout(1_500);
    const { entries, drops } = await log();
    const proceeds = entries.filter((e) => e.event === 'proceeded');
    expect(proceeds).toHaveLength(1);
    expect(proceeds[0]).toMatchObject({ justification: REASON });
    // Chromium gives a redirected page no referrer; it does say the tab was opened by another page.
    const planted = entries.filter((e) => e.event === 'warning-shown' && e.openedByPage === true && (e.lastAt ?? e.at) >= started);
    expect(planted.length).toBeGreaterThanOrEqual(1);
    expect(planted.length).toBeLessThanOrEqual(3);
    const plantedCount = planted.reduce((n, e) => n + (e.count ?? 1), 0);
    expect(drops).toBeNull();
    expect(site.log.filter((r) => /^p\d+\.deepseek\.com$/.test(r.host))).toHaveLength(0);
    console.log(`[popup loop] ${FLOOD} moves in ${seconds.toFixed(1)} s → ${planted.length} entries marked as opened by a page, ${plantedCount} showings counted; log holds ${entries.length} entries`);
    await page.close();
  });
});
