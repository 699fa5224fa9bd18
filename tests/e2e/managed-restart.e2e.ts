/**
 * Failing closed across a browser restart, in Chromium with a real machine
 * policy. At start-up Chromium answers `storage.managed.get()` with `{}`
 * for a few seconds before its policy store is ready (seen: 1.5 s empty,
 * 3-6 s applied). So the last policy seen, kept in storage.local, must apply
 * from the first read. And a policy removed while the browser was closed must
 * not stick: Chromium's change report lifts it.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { discoverChromium, freshProfileDir, launchChromium, removeProfileDir, type ChromeApi, type ProfileBrowser } from './harness/chromium';
import { startSiteServer, type CountingServer } from './harness/server';
import { policyDirProblem, setUpChromiumPolicy, type ChromiumPolicy } from './managed/chromium-policy';

const chromium = discoverChromium();
const skip = !chromium.found ? chromium.message : policyDirProblem();
if (skip) {
  if (process.env.CI === 'true') throw new Error(`managed restart e2e: ${skip} (CI=true: browser tests must run)`);
  console.warn(`managed restart e2e skipped: ${skip}`);
}

interface Report {
  present: boolean;
  policy: { enabledProfiles?: string[]; lockProfiles?: boolean };
  fallback: { reason: string } | null;
}

const managedReport = async (page: Page) =>
  (
    (await page.evaluate(() =>
      (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({ kind: 'getManagedPolicy', request: {} }),
    )) as { data: Report }
  ).data;

describe.skipIf(skip !== null)('managed policy across a restart, Chromium', () => {
  let policy: ChromiumPolicy;
  let site: CountingServer;
  let dir: string;
  let b: ProfileBrowser | undefined;
  const launch = () => launchChromium({ executablePath: chromium.path, defaultPort: site.port, dist: policy.dist, userDataDir: dir });

  beforeAll(async () => {
    policy = setUpChromiumPolicy(`${process.cwd()}/dist/chrome`);
    policy.write({ enabledProfiles: ['khnp'], lockProfiles: true });
    site = await startSiteServer();
    dir = freshProfileDir();
    b = await launch();
    await b.waitForRules(1, 30_000);
    const options = await b.openOptions();
    expect(await managedReport(options)).toMatchObject({ present: true, fallback: null });
    await b.close();
    b = undefined;
  });

  afterAll(async () => {
    await b?.close();
    policy?.remove();
    await site?.close();
    if (dir) removeProfileDir(dir);
  });

  it('after a restart with the policy in place, it applies from the first read (live, or the last seen)', async () => {
    b = await launch();
    const options = await b.openOptions();
    const first = await managedReport(options);
    console.log(`[first read after restart] ${JSON.stringify(first)}`);
    expect(first).toMatchObject({ present: true, policy: { enabledProfiles: ['khnp'], lockProfiles: true } });
    // Either Chromium was ready (a live read) or the last policy seen applied, and said why.
    expect([null, 'empty-read']).toContain(first.fallback?.reason ?? null);
    await expect.poll(async () => (await managedReport(options)).fallback, { timeout: 30_000, interval: 500 }).toBeNull();
    await b.close();
    b = undefined;
  });

  it('a policy removed while the browser was closed is lifted once Chromium reports the change', async () => {
    rmSync(policy.file);
    b = await launch();
    const options = await b.openOptions();
    const first = await managedReport(options);
    console.log(`[first read after restart, policy removed] ${JSON.stringify(first)}`);
    await expect.poll(async () => (await managedReport(options)).present, { timeout: 30_000, interval: 500 }).toBe(false);
    // khnp was only ever on by the policy: its rule goes with it.
    await expect.poll(async () => (await b!.dynamicRules()).length, { timeout: 15_000, interval: 500 }).toBe(0);
    expect((await managedReport(options)).fallback).toBeNull();
  });
});
