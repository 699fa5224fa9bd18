/**
 * A policy that did not arrive is never read as no policy. Chromium drops a
 * managed value whose JSON type does not match managed-schema.json before the
 * extension sees it; installed by policy (ExtensionInstallForcelist, a CRX
 * served locally, so `installType` is 'admin'), the extension then applies
 * the restrictive reading and says so, instead of behaving as unmanaged.
 * Firefox passes policies.json through as written: each wrong value is read
 * the stricter way and reported.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertBuilt, chromiumForSuite, sendFrom, type MessageReply } from './harness/chromium';
import { DIST_FIREFOX, OPTIONS_PATH, firefoxForSuite, type FirefoxExtension } from './harness/firefox';
import { startSiteServer, type CountingServer } from './harness/server';
import { policyDirProblem } from './managed/chromium-policy';
import { launchForceInstalled, type ForceInstalledChromium } from './managed/chromium-forcelist';
import { launchManagedFirefox } from './managed/firefox';

const chromium = chromiumForSuite('managed-admin e2e (Chromium)');
const chromiumSkip = !chromium.found ? chromium.message : policyDirProblem();
if (chromiumSkip && process.env.CI === 'true') throw new Error(`managed-admin e2e (Chromium): ${chromiumSkip}`);

/** Each value Chromium 156 drops before the extension sees it (checked below: storage.managed is {}). */
const WRONG_TYPES: { key: string; value: unknown; intent: string }[] = [
  { key: 'lockProfiles', value: 'true', intent: 'profiles locked' },
  { key: 'requireJustification', value: 1, intent: 'a reason required' },
  { key: 'deviceContext', value: 'Work', intent: 'a work device, locked' },
  { key: 'enabledProfiles', value: ['kb-financial-group', 7], intent: 'profiles locked as they stand' },
];

async function data<T>(page: Page, kind: string, request: unknown = {}): Promise<T> {
  const reply: MessageReply = await sendFrom(page, kind, request);
  if (!reply.ok) throw new Error(`${kind}: ${reply.error}`);
  return reply.data as T;
}

describe.skipIf(chromiumSkip !== null)('installed by policy, Chromium: a wrong-typed value is not read as no policy', () => {
  let b: ForceInstalledChromium | undefined;

  beforeAll(() => assertBuilt());
  afterEach(async () => {
    await b?.close();
    b = undefined;
  });

  it.each(WRONG_TYPES)('$key: $value → the restrictive reading ($intent), shown on the options page', async ({ key, value }) => {
    b = await launchForceInstalled({ executablePath: chromium.path, sourceDist: `${process.cwd()}/dist/chrome`, policy: { [key]: value } });
    const worker = await b.worker();
    const seen = await worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { management: { getSelf(): Promise<{ installType: string }> }; storage: { managed: { get(): Promise<unknown> } } } }).chrome;
      // Given a few seconds: Chrome's policy store answers {} at first in any case.
      await new Promise((r) => setTimeout(r, 4_000));
      return { installType: (await c.management.getSelf()).installType, managed: await c.storage.managed.get() };
    });
    // What Chromium itself did with the value: installed by policy, the value dropped.
    expect(seen).toEqual({ installType: 'admin', managed: {} });

    const options = await b.openPage(OPTIONS_PATH);
    const report = await data<{ present: boolean; fallback: { reason: string; restrictive?: boolean } | null; policy: Record<string, unknown> }>(options, 'getManagedPolicy');
    expect(report.fallback).toMatchObject({ reason: 'admin-empty', restrictive: true });
    expect(report.policy).toEqual({ lockProfiles: true, allowProceedOnBlock: false, requireJustification: true, activityLog: true, deviceContext: 'work' });

    // The background holds it, whatever sends the message.
    const toggle = await sendFrom(options, 'setProfileEnabled', { organizationId: 'kb-financial-group', enabled: true });
    expect(toggle.ok).toBe(false);
    const device = await sendFrom(options, 'setDeviceContext', { deviceContext: 'personal' });
    expect(device.ok).toBe(false);
    const settings = await data<{ effective: { deviceContext: string; activityLog: boolean; allowProceedOnBlock: boolean }; locked: Record<string, boolean> }>(options, 'getSettings');
    expect(settings.effective).toMatchObject({ deviceContext: 'work', activityLog: true, allowProceedOnBlock: false });
    expect(settings.locked).toMatchObject({ activityLog: true, deviceContext: true });
    expect((await sendFrom(options, 'clearActivityLog', {})).ok).toBe(false);

    await options.reload();
    await options.waitForSelector('#managed-fallback:not([hidden])', { timeout: 10_000 });
    const line = await options.locator('#managed-fallback').innerText();
    expect(line).toMatch(/^Your organization installed this extension by policy, but the browser handed over none of its settings/);
    console.log(`[Chromium, ${key}: ${JSON.stringify(value)}] storage.managed ${JSON.stringify(seen.managed)}; options page: ${line}`);
  });
});

const firefox = firefoxForSuite('managed-admin e2e (Firefox)');

describe.skipIf(!firefox.found)('Firefox policies.json: each wrong value read the stricter way, and reported', () => {
  let site: CountingServer;
  let ff: FirefoxExtension | undefined;

  beforeAll(async () => {
    assertBuilt(DIST_FIREFOX);
    site = await startSiteServer();
  });
  afterEach(async () => {
    await ff?.close();
    ff = undefined;
  });
  afterAll(async () => {
    await site?.close();
  });

  const CASES: { policy: Record<string, unknown>; effective: Record<string, unknown>; locked: Record<string, boolean>; problems: string[] }[] = [
    {
      policy: { activityLog: 'off', proceedMinutes: '5', enabledProfiles: { 'kb-financial-group': true } },
      effective: { activityLog: true, proceedMinutes: 5 },
      locked: { activityLog: true, proceedMinutes: true },
      problems: [
        'activityLog: must be true or false, not the string "off"; read as true, the stricter choice',
        'proceedMinutes: must be a whole number of minutes from 1 to 240, not the string "5"; read as 5, the stricter choice',
        'enabledProfiles: must be a list of profile ids, not {"kb-financial-group":true}; every profile is locked as it stands, the stricter choice',
      ],
    },
    {
      policy: { proceedMinutes: 5.5, activityLog: 0 },
      effective: { activityLog: true, proceedMinutes: 5 },
      locked: { activityLog: true, proceedMinutes: true },
      problems: [
        'proceedMinutes: must be a whole number of minutes from 1 to 240, not 5.5; read as 5, the stricter choice',
        'activityLog: must be true or false, not 0; read as true, the stricter choice',
      ],
    },
  ];

  it.each(CASES)('$policy', async ({ policy, effective, locked, problems }) => {
    ff = await launchManagedFirefox({ executablePath: firefox.path, proxyPort: site.port, policy });
    const page = await ff.openExtensionPage(OPTIONS_PATH);
    await page.waitForSelector('#managed-problem-list li', { timeout: 15_000 });
    const shown = await page.evaluate(() => [...document.querySelectorAll('#managed-problem-list li')].map((li) => li.textContent));
    expect(shown).toEqual(problems);
    const settings = await ff.ext((api) =>
      api.runtime.sendMessage({ kind: 'getSettings', request: {} }) as Promise<{ data: { effective: Record<string, unknown>; locked: Record<string, boolean> } }>,
    );
    expect(settings.data.effective).toMatchObject(effective);
    expect(settings.data.locked).toMatchObject(locked);
    // The person can no longer turn the log off.
    const off = await ff.ext((api) => api.runtime.sendMessage({ kind: 'updateSettings', request: { activityLog: false } }) as Promise<{ ok: boolean }>);
    expect((await ff.ext((api) => api.runtime.sendMessage({ kind: 'getSettings', request: {} }) as Promise<{ data: { effective: { activityLog: boolean } } }>)).data.effective.activityLog).toBe(true);
    if ('enabledProfiles' in policy) {
      const toggle = await ff.ext((api) =>
        api.runtime.sendMessage({ kind: 'setProfileEnabled', request: { organizationId: 'khnp', enabled: true } }) as Promise<{ ok: boolean }>,
      );
      expect(toggle.ok).toBe(false);
    }
    console.log(`[Firefox, ${JSON.stringify(policy)}] updateSettings activityLog:false → ${JSON.stringify(off)}; options page problems: ${shown.join(' | ')}`);
  });
});
