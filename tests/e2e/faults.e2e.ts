/**
 * Faults in real Chromium: a stopped service worker, a browser restarted on
 * the same profile directory, an extension reload (what an update does),
 * garbage in storage, and profiles toggled faster than they are saved.
 * Expected rules are computed in Node from policies/ by the same pure
 * compiler (harness/expected-rules.ts) and compared field by field.
 * (Firefox's restart, reload and garbage cases are in firefox.e2e.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumForSuite, type ChromeApi } from './harness/chromium';
import { launchChromiumProfile, freshProfileDir, removeProfileDir, type ProfileBrowser } from './harness/chromium-profile';
import { expectedDynamicRules, shapes } from './harness/expected-rules';
import { startHostServer, startSiteServer, type CountingServer, type HostServer } from './harness/server';
import { proceedPastInterstitial, readCitation, setProfileInPopup, waitForInterstitial } from './harness/ui';

const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const KB = 'kb-financial-group';
const KHNP = 'khnp';

const discovery = chromiumForSuite();

type Chrome = ChromeApi & {
  runtime: { reload(): void; getURL(path: string): string };
  storage: { local: { set(items: Record<string, unknown>): Promise<void> }; session: { get(k: string | null): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
};

const checkbox = (page: Page, id: string) => page.locator(`input[type=checkbox][data-organization-id="${id}"]`);
const label = (page: Page, id: string) => page.locator(`li.profile[data-organization-id="${id}"] label`).first();

async function storedSettings(b: ProfileBrowser): Promise<Record<string, unknown>> {
  return b.inWorker(async () => {
    const got = await (globalThis as unknown as { chrome: ChromeApi }).chrome.storage.local.get('settings');
    return (got.settings ?? {}) as Record<string, unknown>;
  });
}

async function redirectKeysAndTable(b: ProfileBrowser): Promise<{ keys: string[]; table: string | undefined }> {
  const keys = (await b.dynamicRules()).flatMap((r) => /\?v=([0-9a-z]+)#/.exec(r.action.redirect?.regexSubstitution ?? '')?.[1] ?? []);
  const table = await b.inWorker(async () => {
    const got = await (globalThis as unknown as { chrome: ChromeApi }).chrome.storage.local.get('verdictTable');
    return (got.verdictTable as { key?: string } | undefined)?.key;
  });
  return { keys, table };
}

/** Waits until the dynamic rules are exactly those compiled for `enabled`. */
async function expectRulesFor(b: ProfileBrowser, enabled: string[]): Promise<void> {
  const interstitial = b.interstitialUrl();
  const expected = expectedDynamicRules(enabled, 'chrome', interstitial);
  await expect.poll(async () => shapes(await b.dynamicRules()), { timeout: 15_000, interval: 200 }).toEqual(expected);
  // And rebuilt by this worker: the redirects carry the key of the verdict table it stored.
  await expect.poll(async () => redirectKeysAndTable(b), { timeout: 15_000, interval: 200 }).toSatisfy(({ keys, table }: { keys: string[]; table: string | undefined }) => keys.every((k) => k === table));
  const ids = (await b.dynamicRules()).map((r) => r.id);
  expect(new Set(ids).size, `rule ids ${ids.join(',')} are unique`).toBe(ids.length);
}

/** Reloads the extension from its worker (what an update does) and waits for the new worker to answer. */
async function reloadExtension(b: ProfileBrowser): Promise<void> {
  const old = await b.worker();
  const restarted = b.context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith('chrome-extension://'), timeout: 15_000 });
  await old.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
    // A mark the reload wipes: a worker event alone could be the old instance starting again.
    await chrome.storage.session.set({ beforeReload: true });
    // Let the evaluate answer before the worker goes away.
    setTimeout(() => chrome.runtime.reload(), 50);
  });
  await restarted;
  await expect
    .poll(async () => {
      const worker = await b.worker();
      return worker.evaluate(async () => (await (globalThis as unknown as { chrome: Chrome }).chrome.storage.session.get('beforeReload')).beforeReload ?? null);
    }, { timeout: 15_000 })
    .toBeNull();
}

describe.skipIf(!discovery.found)('Chromium, faults', () => {
  let site: CountingServer;
  let deepseek: HostServer;
  const hostMap = () => ({ [DEEPSEEK]: deepseek.port });

  beforeAll(async () => {
    [site, deepseek] = await Promise.all([startSiteServer(), startHostServer(DEEPSEEK)]);
  });
  afterAll(async () => {
    await Promise.all([site?.close(), deepseek?.close()]);
  });

  it('with the worker stopped, a popup toggle wakes it and the rules follow; a proceed wakes it and opens the site', async () => {
    const b = await launchChromiumProfile({ executablePath: discovery.path, defaultPort: site.port, hostMap: hostMap() });
    try {
      await b.worker();
      for (const p of b.context.pages()) if (p.url().startsWith('chrome-extension://')) await p.close();
      await b.stopWorker();
      expect(await b.workerRunning()).toBe(false);
      const popup = await setProfileInPopup(b, KB);
      await expectRulesFor(b, [KB]);
      await popup.close();

      for (const p of b.context.pages()) if (p.url().startsWith('chrome-extension://')) await p.close();
      await b.stopWorker();
      deepseek.reset();
      const page = await b.context.newPage();
      await page.goto(DEEPSEEK_URL);
      expect(await waitForInterstitial(b, page)).toBe(DEEPSEEK_URL);
      await readCitation(page, KB);
      await b.stopWorker();
      expect(await b.workerRunning()).toBe(false);
      await proceedPastInterstitial(b, page);
      await expect.poll(() => page.title()).toBe(DEEPSEEK);
      expect(deepseek.requests(DEEPSEEK)).toBe(1);
      expect((await b.sessionRules()).map((r) => r.action.type)).toEqual(['allow']);
    } finally {
      await b.close();
    }
  });

  it('a restart on the same profile directory keeps the profiles; the proceed exception ends, so the site is stopped again', async () => {
    const dir = freshProfileDir();
    try {
      const first = await launchChromiumProfile({ executablePath: discovery.path, defaultPort: site.port, hostMap: hostMap(), userDataDir: dir });
      try {
        await first.worker();
        await (await setProfileInPopup(first, KB)).close();
        deepseek.reset();
        const page = await first.context.newPage();
        await page.goto(DEEPSEEK_URL);
        await waitForInterstitial(first, page);
        await proceedPastInterstitial(first, page);
        await expect.poll(() => page.title()).toBe(DEEPSEEK);
        expect(deepseek.requests(DEEPSEEK)).toBe(1);
        expect((await first.sessionRules()).length).toBe(1);
      } finally {
        await first.close();
      }

      const second = await launchChromiumProfile({ executablePath: discovery.path, defaultPort: site.port, hostMap: hostMap(), userDataDir: dir });
      try {
        expect(second.extensionId).toBe(first.extensionId);
        expect(await storedSettings(second)).toMatchObject({ enabledOrganizations: [KB], onboarded: true });
        await expectRulesFor(second, [KB]);
        expect(await second.sessionRules()).toEqual([]);
        const session = await second.inWorker(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.session.get(null));
        expect(session.proceedExceptions ?? []).toEqual([]);
        // No second welcome page: the browser did not treat the restart as an install.
        expect(second.context.pages().filter((p) => p.url().includes('#welcome'))).toEqual([]);

        const popup = await second.openPopup();
        await expect.poll(() => checkbox(popup, KB).isChecked(), { timeout: 10_000 }).toBe(true);
        await popup.close();
        deepseek.reset();
        const page = await second.context.newPage();
        await page.goto(DEEPSEEK_URL);
        expect(await waitForInterstitial(second, page)).toBe(DEEPSEEK_URL);
        expect(deepseek.requests(DEEPSEEK)).toBe(0);
        // The way forward is offered afresh (no exception is shown as running).
        expect(await page.locator('#proceed-details').count()).toBe(1);
        expect(await page.locator('#continue-button').count()).toBe(0);
      } finally {
        await second.close();
      }
    } finally {
      removeProfileDir(dir);
    }
  });

  it('a reload (as an update does) rebuilds the rules with unique IDs; the proceed exception ends with it, consistently', async () => {
    const b = await launchChromiumProfile({ executablePath: discovery.path, defaultPort: site.port, hostMap: hostMap() });
    try {
      await b.worker();
      await (await setProfileInPopup(b, KB)).close();
      await (await setProfileInPopup(b, KHNP)).close();
      await expectRulesFor(b, [KB, KHNP]);
      const page = await b.context.newPage();
      await page.goto(DEEPSEEK_URL);
      await waitForInterstitial(b, page);
      await proceedPastInterstitial(b, page);
      expect((await b.sessionRules()).map((r) => r.action.type)).toEqual(['allow']);

      for (let i = 0; i < 2; i++) {
        await reloadExtension(b);
        await expectRulesFor(b, [KB, KHNP]);
        // Chromium clears storage.session and the session rules on a reload or an update:
        // both at once, so the interstitial never claims an exception the rules do not grant.
        expect(await b.sessionRules()).toEqual([]);
        const session = await b.inWorker(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.session.get(null));
        expect(session.proceedExceptions ?? []).toEqual([]);
      }
      expect(await storedSettings(b)).toMatchObject({ enabledOrganizations: [KB, KHNP] });
      deepseek.reset();
      const again = await b.context.newPage();
      await again.goto(DEEPSEEK_URL);
      expect(await waitForInterstitial(b, again)).toBe(DEEPSEEK_URL);
      await again.locator('#proceed-details').waitFor({ timeout: 10_000 });
      expect(await again.locator('#continue-button').count()).toBe(0);
      expect(deepseek.requests(DEEPSEEK)).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('garbage in the stored settings: defaults are restored at start-up, the rules follow, and popup and options say so', async () => {
    const b = await launchChromiumProfile({ executablePath: discovery.path, defaultPort: site.port, hostMap: hostMap() });
    try {
      await b.worker();
      await (await setProfileInPopup(b, KB)).close();
      await expectRulesFor(b, [KB]);
      for (const p of b.context.pages()) if (p.url().startsWith('chrome-extension://')) await p.close();

      await b.inWorker(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set({ settings: { version: 2, enabledOrganizations: 42, onboarded: 'yes' } }));
      await reloadExtension(b);
      await expectRulesFor(b, []);
      expect(await storedSettings(b)).toMatchObject({ version: 2, enabledOrganizations: [], proceedMinutes: 15, onboarded: false });

      const popup = await b.openPopup();
      const notice = popup.locator('#storage-notice .storage-notice');
      await notice.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await notice.innerText()).toMatch(/default/i);
      expect(await popup.locator('#storage-notice code').innerText()).toMatch(/^settings\.enabledOrganizations: /);
      expect(await checkbox(popup, KB).isChecked()).toBe(false);
      const options = await b.openOptions();
      await options.locator('#storage-notice .storage-notice').waitFor({ state: 'visible', timeout: 10_000 });

      // Dismissed once, gone everywhere.
      await popup.locator('.notice-dismiss').click();
      await expect.poll(() => popup.locator('#storage-notice .storage-notice').count()).toBe(0);
      const again = await b.openPopup();
      await again.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached' });
      expect(await again.locator('#storage-notice .storage-notice').count()).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('garbage found when a stopped worker wakes: the rules are rebuilt from the defaults', async () => {
    const b = await launchChromiumProfile({ executablePath: discovery.path, defaultPort: site.port, hostMap: hostMap() });
    try {
      await b.worker();
      await (await setProfileInPopup(b, KB)).close();
      await expectRulesFor(b, [KB]);
      for (const p of b.context.pages()) if (p.url().startsWith('chrome-extension://')) await p.close();
      await b.inWorker(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.local.set({ settings: 'not settings at all' }));
      await b.stopWorker();

      const popup = await b.openPopup();
      await popup.locator('#storage-notice .storage-notice').waitFor({ state: 'visible', timeout: 10_000 });
      await expectRulesFor(b, []);
      deepseek.reset();
      const page = await b.context.newPage();
      await page.goto(DEEPSEEK_URL);
      expect(await page.title()).toBe(DEEPSEEK);
    } finally {
      await b.close();
    }
  });

  it('two profiles toggled quickly, in the popup and from two pages at once: the final rules match the final settings', async () => {
    const b = await launchChromiumProfile({ executablePath: discovery.path, defaultPort: site.port, hostMap: hostMap() });
    try {
      await b.worker();
      const popup = await b.openPopup();
      await checkbox(popup, KHNP).waitFor({ state: 'attached', timeout: 10_000 });
      // One click after the other, without waiting for either save.
      await label(popup, KB).click();
      await label(popup, KHNP).click();
      await expect.poll(async () => (await storedSettings(b)).enabledOrganizations, { timeout: 10_000 }).toEqual([KB, KHNP]);
      await expectRulesFor(b, [KB, KHNP]);
      await expect.poll(() => checkbox(popup, KB).isChecked()).toBe(true);
      await expect.poll(() => checkbox(popup, KHNP).isChecked()).toBe(true);

      // Off again, just as fast.
      await expect.poll(() => checkbox(popup, KB).isDisabled()).toBe(false);
      await label(popup, KB).click();
      await label(popup, KHNP).click();
      await expect.poll(async () => (await storedSettings(b)).enabledOrganizations, { timeout: 10_000 }).toEqual([]);
      await expectRulesFor(b, []);

      // The popup and the options page each change a different profile at the same moment.
      const options = await b.openOptions();
      await checkbox(options, KHNP).waitFor({ state: 'attached', timeout: 10_000 });
      await Promise.all([label(popup, KB).click(), options.locator(`li.profile[data-organization-id="${KHNP}"] label.profile-label`).click()]);
      await expect.poll(async () => (await storedSettings(b)).enabledOrganizations, { timeout: 10_000 }).toEqual([KB, KHNP]);
      await expectRulesFor(b, [KB, KHNP]);
      // Each page shows what the other did.
      await expect.poll(() => checkbox(popup, KHNP).isChecked(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => checkbox(options, KB).isChecked(), { timeout: 10_000 }).toBe(true);
    } finally {
      await b.close();
    }
  });
});
