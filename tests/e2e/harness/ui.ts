/**
 * What a person does with the extension's pages, as test steps: turn on a
 * profile in the popup, change the proceed time on the options page, read the
 * interstitial. Selectors are the pages' DOM contracts (see the e2e brief).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { INTERSTITIAL_PATH, type ChromeApi, type ExtensionBrowser } from './chromium';

const SEEDS_DIR = path.resolve(import.meta.dirname, '../../../seeds');

/** Every seed text with whitespace collapsed: quotes must appear in it verbatim. */
export function seedText(): string {
  return readdirSync(SEEDS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(path.join(SEEDS_DIR, f), 'utf8'))
    .join('\n')
    .replace(/\s+/g, ' ');
}

async function dynamicRuleCount(b: ExtensionBrowser): Promise<number> {
  const w = await b.worker();
  return w.evaluate(
    async () => (await (globalThis as unknown as { chrome: ChromeApi }).chrome.declarativeNetRequest.getDynamicRules()).length,
  );
}

/** The label a person clicks for a checkbox: an enclosing <label>, or one that names it with `for`. */
async function labelOf(page: Page, box: Locator): Promise<Locator> {
  const enclosing = box.locator('xpath=ancestor::label[1]');
  if ((await enclosing.count()) > 0) return enclosing;
  const id = await box.getAttribute('id');
  if (!id) throw new Error('checkbox has neither an enclosing <label> nor an id a <label for> could name');
  return page.locator(`label[for="${id}"]`);
}

/**
 * Opens the popup, ticks `organizationId` by clicking its label, and waits
 * until the background has installed more DNR rules than before.
 */
export async function setProfileInPopup(b: ExtensionBrowser, organizationId: string, enabled = true): Promise<Page> {
  const before = await dynamicRuleCount(b);
  const popup = await b.openPopup();
  const box = popup.locator(`input[type=checkbox][data-organization-id="${organizationId}"]`).first();
  await box.waitFor({ state: 'attached', timeout: 10_000 });
  expect(await box.isChecked(), `${organizationId} starts ${enabled ? 'off' : 'on'}`).toBe(!enabled);
  await (await labelOf(popup, box)).click();
  await expect.poll(() => box.isChecked(), { timeout: 5_000 }).toBe(enabled);
  if (enabled) await b.waitForRules(before + 1);
  return popup;
}

/** Sets "proceed for N minutes" on the options page, as typed by a person, and waits until it is stored. */
export async function setProceedMinutesInOptions(b: ExtensionBrowser, minutes: number): Promise<void> {
  const options = await b.openOptions();
  const input = options.locator('#proceed-minutes');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(String(minutes));
  await input.press('Tab');
  await expect
    .poll(
      () =>
        options.evaluate(async () => {
          const reply = (await (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({
            kind: 'getSettings',
            request: {},
          })) as { ok: boolean; data?: { proceedMinutes?: number } };
          return reply.data?.proceedMinutes;
        }),
      { timeout: 5_000 },
    )
    .toBe(minutes);
  await options.close();
}

export function isInterstitial(b: ExtensionBrowser, url: string): boolean {
  return url.startsWith(b.extensionUrl(INTERSTITIAL_PATH));
}

/** Waits for the tab to show the interstitial; returns the blocked URL it names (the raw fragment). */
export async function waitForInterstitial(b: ExtensionBrowser, page: Page, timeout = 10_000): Promise<string> {
  await page.waitForURL((url) => isInterstitial(b, url.href), { timeout });
  await page.locator('#go-back').waitFor({ state: 'visible', timeout });
  return new URL(page.url()).hash.slice(1);
}

export interface CitationSeen {
  text: string;
  quotes: string[];
}

/** The citation card for one organization, as rendered (waits for it: the verdict arrives by message). */
export async function readCitation(page: Page, organizationId: string): Promise<CitationSeen> {
  const card = page.locator(`.citation[data-organization-id="${organizationId}"]`);
  await card.waitFor({ state: 'visible', timeout: 10_000 });
  return {
    text: (await card.innerText()).replace(/\s+/g, ' '),
    quotes: (await card.locator('blockquote.notice-quote').allInnerTexts()).map((q) => q.replace(/\s+/g, ' ').trim()),
  };
}

/** Opens the "proceed" details, acknowledges, clicks proceed, and waits for the tab to leave the interstitial. */
export async function proceedPastInterstitial(b: ExtensionBrowser, page: Page): Promise<void> {
  const details = page.locator('#proceed-details');
  await details.locator('summary').click();
  await expect.poll(() => details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
  const button = page.locator('#proceed-button');
  expect(await button.isDisabled(), 'proceed is disabled until acknowledged').toBe(true);
  await page.locator('#proceed-ack').check();
  await button.click();
  await page.waitForURL((url) => !isInterstitial(b, url.href), { timeout: 10_000 });
}

export interface PaintTiming {
  /** First contentful paint, ms after the browser's navigation start (performance.timeOrigin). */
  fcp: number;
  /** First contentful paint, ms after the test asked for the navigation (Node clock). */
  fromRequest: number;
}

/** Navigates and reports when the resulting page first painted content. */
export async function timedNavigation(page: Page, url: string, landedOn: (href: string) => boolean): Promise<PaintTiming> {
  const requestedAt = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForURL((u) => landedOn(u.href), { timeout: 10_000 });
  // No named helpers inside: the callback is serialized, and a bundler's
  // keep-names wrapper (__name) does not exist in the page.
  const { fcp, timeOrigin } = await page.evaluate(
    () =>
      new Promise<{ fcp: number; timeOrigin: number }>((resolve) => {
        new PerformanceObserver((list, observer) => {
          for (const entry of list.getEntriesByName('first-contentful-paint')) {
            observer.disconnect();
            resolve({ fcp: entry.startTime, timeOrigin: performance.timeOrigin });
          }
        }).observe({ type: 'paint', buffered: true });
      }),
  );
  return { fcp, fromRequest: timeOrigin + fcp - requestedAt };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
