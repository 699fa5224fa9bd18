/**
 * An administrator's notice that changes over time, in Chromium with a real
 * machine policy changed between two browser starts: version 2 asks to be
 * acknowledged; after a restart on version 3 (new words), the warning and the
 * popup say "Updated on …", show what changed, and ask once more; the
 * acknowledgements are in the activity log. A notice past its last day stops
 * nothing and is shown as expired; one before its first day, as upcoming.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { discoverChromium, freshProfileDir, launchChromium, removeProfileDir, sendFrom, type ProfileBrowser } from './harness/chromium';
import { startHostServer, startSiteServer, type CountingServer, type HostServer } from './harness/server';
import { waitForInterstitial } from './harness/ui';
import { policyDirProblem, setUpChromiumPolicy, type ChromiumPolicy } from './managed/chromium-policy';

const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const V2_QUOTE = 'Staff must not open DeepSeek on plant computers (circular 2025-117, second edition).';
const V3_QUOTE = 'Staff must not open DeepSeek on any company device, plant or office (circular 2025-117, third edition).';

function organizations(version: '2' | '3') {
  return {
    kind: 'ai-policy-guard/custom-organizations',
    version: 1,
    sources: [{ id: 'acme-heavy-intranet', publisher: { en: 'Acme Heavy Industries intranet', ko: '애크미중공업 사내망' }, headline: 'Circular 2025-117', date: '2025-02-10' }],
    organizations: [
      {
        id: 'acme-heavy',
        name: { en: 'Acme Heavy Industries', ko: '애크미중공업' },
        sector: 'company',
        country: 'KR',
        notices: [
          {
            id: 'circular-2025-117',
            source: 'acme-heavy-intranet',
            quotes: [{ text: version === '2' ? V2_QUOTE : V3_QUOTE }],
            reasons: [],
            status: 'in-force',
            version,
            acknowledge: true,
          },
          { id: 'old-circular', source: 'acme-heavy-intranet', quotes: [{ text: 'Claude is not to be used (2020).' }], reasons: [], status: 'in-force', expires: '2020-12-31' },
          { id: 'next-circular', source: 'acme-heavy-intranet', quotes: [{ text: 'ChatGPT will be blocked from 2099.' }], reasons: [], status: 'in-force', effective: '2099-01-01' },
        ],
        rules: [
          { target: { service: 'deepseek' }, scope: 'office-devices', level: 'block', notice: 'circular-2025-117' },
          { target: { service: 'claude' }, scope: 'office-devices', level: 'block', notice: 'old-circular' },
          { target: { service: 'chatgpt' }, scope: 'office-devices', level: 'block', notice: 'next-circular' },
        ],
      },
    ],
  };
}

const policyFor = (version: '2' | '3') => ({ enabledProfiles: ['acme-heavy'], organizations: organizations(version) });

const chromium = discoverChromium();
const skip = !chromium.found ? chromium.message : policyDirProblem();
if (skip) {
  if (process.env.CI === 'true') throw new Error(`notice life cycle e2e: ${skip} (CI=true: browser tests must run)`);
  console.warn(`notice life cycle e2e skipped: ${skip}`);
}

type LogEntry = { event: string; noticeId?: string; noticeVersion?: string; organizations: string[] };

async function logEntries(page: Page): Promise<LogEntry[]> {
  const reply = await sendFrom(page, 'getActivityLog', {});
  return (reply.data as { entries: LogEntry[] }).entries;
}

describe.skipIf(skip !== null)('notices with a life cycle, Chromium, policy changed between two starts', () => {
  let policy: ChromiumPolicy;
  let site: CountingServer;
  let deepseek: HostServer;
  let dir: string;
  let b: ProfileBrowser | undefined;
  const launch = () =>
    launchChromium({ executablePath: chromium.path, defaultPort: site.port, hostMap: { [DEEPSEEK]: deepseek.port }, dist: policy.dist, userDataDir: dir });

  /** A warning for DeepSeek that cites the notice at `version` (the policy may reach the extension a few seconds after start). */
  async function warningAt(version: string): Promise<Page> {
    const page = await b!.context.newPage();
    await expect
      .poll(
        async () => {
          await page.goto(DEEPSEEK_URL).catch(() => undefined);
          await waitForInterstitial(b!, page).catch(() => undefined);
          return page
            .locator('.citation[data-organization-id="acme-heavy"] .notice-update')
            .getAttribute('data-version', { timeout: 2_000 })
            .catch(() => null);
        },
        { timeout: 40_000, interval: 1_000 },
      )
      .toBe(version);
    return page;
  }

  beforeAll(async () => {
    policy = setUpChromiumPolicy(`${process.cwd()}/dist/chrome`);
    policy.write(policyFor('2'));
    [site, deepseek] = await Promise.all([startSiteServer(), startHostServer(DEEPSEEK)]);
    dir = freshProfileDir();
  });

  afterAll(async () => {
    await b?.close();
    policy?.remove();
    await Promise.all([site?.close(), deepseek?.close()]);
    if (dir) removeProfileDir(dir);
  });

  it('first start, version 2: asked once, no "Updated", logged; an expired and an upcoming notice stop nothing', async () => {
    b = await launch();
    // A fresh profile has no rules until the machine policy first reaches the extension.
    await b.waitForRules(1, 30_000);
    deepseek.reset();
    const page = await warningAt('2');
    const update = page.locator('.citation[data-organization-id="acme-heavy"] .notice-update');
    expect(await update.locator('.notice-updated').count()).toBe(0);
    await update.locator('.notice-ack').click();
    await expect.poll(() => update.locator('.notice-ack-status').innerText()).toBe('Noted: you have read version 2.');
    expect(deepseek.requests(DEEPSEEK)).toBe(0);

    const options = await b.openOptions();
    expect((await logEntries(options)).filter((e) => e.event === 'notice-acknowledged')).toEqual([
      expect.objectContaining({ noticeId: 'circular-2025-117', noticeVersion: '2', organizations: ['acme-heavy'] }),
    ]);
    // Not asked again for the same version.
    await page.reload();
    await page.locator('.citation[data-organization-id="acme-heavy"]').waitFor();
    expect(await page.locator('.notice-ack').count()).toBe(0);

    const popup = await b.openPopup();
    for (const url of ['https://claude.ai/', 'https://chatgpt.com/']) {
      const reply = await sendFrom(popup, 'getVerdict', { url });
      expect((reply.data as { verdict: { level: string } }).verdict.level, url).toBe('none');
    }
    await popup.close();
    // The options page shows each notice for what it is.
    const details = options.locator('details.org-details[data-organization-id="acme-heavy"]').first();
    await details.locator('summary').click();
    await expect.poll(() => options.locator('[data-phase="expired"]').first().innerText().catch(() => '')).toBe('Expired: applied until December 31, 2020');
    expect(await options.locator('[data-phase="upcoming"]').first().innerText()).toBe('Upcoming: applies from January 1, 2099');
    await b.close();
    b = undefined;
  });

  it('second start, version 3: "Updated on", what changed, asked again in the warning and the popup, logged', async () => {
    await b?.close();
    policy.write(policyFor('3'));
    deepseek.reset();
    b = await launch();
    const page = await warningAt('3');
    const update = page.locator('.citation[data-organization-id="acme-heavy"] .notice-update');
    expect(await update.locator('.notice-updated').innerText()).toMatch(/^Updated on \w+ \d+, \d{4} \(version 3\)\.$/);
    expect(await update.locator('.notice-before blockquote').innerText()).toBe(V2_QUOTE);
    expect(await update.locator('.notice-now blockquote').innerText()).toBe(V3_QUOTE);
    expect(await update.locator('.notice-ack').innerText()).toBe('I have read version 3');

    // The popup says the same for the tab on the warning's site.
    const popup = await b.openPopup();
    const popupVerdict = (await sendFrom(popup, 'getVerdict', { url: DEEPSEEK_URL })).data as { notices: { version: string; updatedAt: number | null; acknowledgeNeeded: boolean }[] };
    expect(popupVerdict.notices.find((n) => n.version === '3')).toMatchObject({ acknowledgeNeeded: true });
    expect(popupVerdict.notices.find((n) => n.version === '3')?.updatedAt).toEqual(expect.any(Number));
    await popup.close();

    await update.locator('.notice-ack').click();
    await expect.poll(() => update.locator('.notice-ack-status').innerText()).toBe('Noted: you have read version 3.');
    const options = await b.openOptions();
    const acks = (await logEntries(options)).filter((e) => e.event === 'notice-acknowledged').map((e) => e.noticeVersion);
    expect(acks).toEqual(['2', '3']);
    await page.reload();
    await page.locator('.citation[data-organization-id="acme-heavy"] .notice-updated').waitFor();
    expect(await page.locator('.notice-ack').count()).toBe(0);
    expect(deepseek.requests(DEEPSEEK)).toBe(0);
  });
});
