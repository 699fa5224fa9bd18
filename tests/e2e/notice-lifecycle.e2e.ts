/**
 * An administrator's notice that changes over time, in Chromium with a real
 * machine policy changed between two browser starts: version 2 asks to be
 * acknowledged; after a restart on version 3 (new words), the warning and the
 * popup say "Updated on …", show what changed, and ask once more; the
 * acknowledgements are in the activity log. A notice past its last day stops
 * nothing and is shown as expired; one before its first day, as upcoming.
 * Firefox: the same two versions in policies.json, one per start.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { assertBuilt } from './harness/chromium';
import { DIST_FIREFOX, firefoxForSuite, geckoIdOf, launchFirefox, until, type FirefoxExtension } from './harness/firefox';
import { copyWithOwnId, policiesFileOf } from './managed/firefox';
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

const firefox = firefoxForSuite('notice life cycle e2e (Firefox)');

/**
 * Firefox reads policies.json at start-up: the file is written for each start
 * (and the one that was there put back right after), naming the gecko id of
 * one copy of the extension, installed in the profile so it survives the restart.
 */
describe.skipIf(!firefox.found)('notices with a life cycle, Firefox, policies.json changed between two starts', () => {
  let site: CountingServer;
  let work: string;
  let dist: string;
  let geckoId: string;
  let userDataDir: string;
  const uuid = randomUUID();
  let ff: FirefoxExtension | undefined;

  async function start(version: '2' | '3'): Promise<FirefoxExtension> {
    const file = policiesFileOf(firefox.path);
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : null;
    const base = previous ? (JSON.parse(previous) as { policies?: Record<string, unknown> }) : {};
    const policies = { ...(base.policies ?? {}) };
    const thirdParty = (policies['3rdparty'] as { Extensions?: Record<string, unknown> } | undefined) ?? {};
    policies['3rdparty'] = { ...thirdParty, Extensions: { ...(thirdParty.Extensions ?? {}), [geckoId]: policyFor(version) } };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...base, policies }, null, 2));
    try {
      return await launchFirefox({ executablePath: firefox.path, proxyPort: site.port, install: 'profile', dist, userDataDir, uuid });
    } finally {
      if (previous === null) rmSync(file, { force: true });
      else writeFileSync(file, previous);
    }
  }

  /** The warning for DeepSeek, once it cites the notice at `version`. */
  async function warningAt(f: FirefoxExtension, version: string): Promise<PuppeteerPage> {
    const page = await f.newWebPage();
    await until(`the warning to cite version ${version}`, 40_000, async () => {
      await f.navigate(page, DEEPSEEK_URL, (href) => href.startsWith(f.origin) || href.startsWith(DEEPSEEK_URL)).catch(() => '');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const seen = await page
        .evaluate(() => document.querySelector('.citation[data-organization-id="acme-heavy"] .notice-update')?.getAttribute('data-version') ?? null)
        .catch(() => null);
      return seen === version ? true : undefined;
    });
    return page;
  }

  const acknowledge = (page: PuppeteerPage) =>
    page.evaluate(async () => {
      (document.querySelector('.notice-ack') as HTMLButtonElement).click();
      for (let i = 0; i < 100; i += 1) {
        const text = document.querySelector('.notice-ack-status')?.textContent ?? '';
        if (text !== '') return text;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return '';
    });

  beforeAll(async () => {
    assertBuilt(DIST_FIREFOX);
    site = await startSiteServer();
    work = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-ff-lifecycle-'));
    dist = copyWithOwnId(work);
    geckoId = geckoIdOf(dist);
    userDataDir = path.join(work, 'profile');
    mkdirSync(userDataDir);
  });

  afterAll(async () => {
    await ff?.close();
    await site?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('version 2, then version 3 after a restart: "Updated on", what changed, acknowledged once each, logged', async () => {
    ff = await start('2');
    const first = await warningAt(ff, '2');
    expect(await first.evaluate(() => document.querySelectorAll('.notice-updated').length)).toBe(0);
    expect(await acknowledge(first)).toBe('Noted: you have read version 2.');
    await ff.close();
    ff = undefined;

    ff = await start('3');
    site.reset();
    const page = await warningAt(ff, '3');
    const shown = await page.evaluate(() => {
      const box = document.querySelector('.citation[data-organization-id="acme-heavy"] .notice-update');
      return {
        updated: box?.querySelector('.notice-updated')?.textContent ?? '',
        before: box?.querySelector('.notice-before blockquote')?.textContent ?? '',
        now: box?.querySelector('.notice-now blockquote')?.textContent ?? '',
      };
    });
    expect(shown.updated).toMatch(/^Updated on \w+ \d+, \d{4} \(version 3\)\.$/);
    expect(shown.before).toBe(V2_QUOTE);
    expect(shown.now).toBe(V3_QUOTE);
    expect(await acknowledge(page)).toBe('Noted: you have read version 3.');
    const log = (await ff.ext((api) => api.runtime.sendMessage({ kind: 'getActivityLog', request: {} }))) as { data: { entries: LogEntry[] } };
    expect(log.data.entries.filter((e) => e.event === 'notice-acknowledged').map((e) => e.noticeVersion)).toEqual(['2', '3']);
    expect(site.requests(DEEPSEEK)).toBe(0);
  });
});
