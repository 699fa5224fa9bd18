/**
 * Typing a Korean name in the popup's search box goes through an IME: the
 * box holds "한ㅅ", then "한수", "한숭" before "한수원" is committed. The list
 * must not empty, nor the live region announce "No organization matches",
 * while a syllable is being composed; it filters when the composition ends.
 * Real Chromium on the built extension; the IME's events (compositionstart,
 * input with isComposing, compositionend) are dispatched as an IME sends them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { assertBuilt, chromiumForSuite, launchChromium, type ProfileBrowser } from './harness/chromium';

const chromium = chromiumForSuite();

/** What an IME does to the box: each step replaces the value and fires an input that is still composing. */
async function compose(popup: Page, steps: readonly string[], committed: string): Promise<void> {
  await popup.evaluate(
    ({ steps, committed }) => {
      const box = document.getElementById('search') as HTMLInputElement;
      box.focus();
      box.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
      for (const step of steps) {
        box.value = step;
        box.dispatchEvent(new CompositionEvent('compositionupdate', { data: step }));
        box.dispatchEvent(new InputEvent('input', { data: step, inputType: 'insertCompositionText', isComposing: true }));
      }
      box.value = committed;
      box.dispatchEvent(new CompositionEvent('compositionend', { data: committed }));
      // Chromium sends the last input after compositionend, not composing any more.
      box.dispatchEvent(new InputEvent('input', { data: committed, inputType: 'insertCompositionText', isComposing: false }));
    },
    { steps, committed },
  );
}

/** The same partial text, as it stands mid-composition (no compositionend yet). */
async function midComposition(popup: Page, steps: readonly string[]): Promise<void> {
  await popup.evaluate((steps) => {
    const box = document.getElementById('search') as HTMLInputElement;
    box.focus();
    box.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
    for (const step of steps) {
      box.value = step;
      box.dispatchEvent(new CompositionEvent('compositionupdate', { data: step }));
      box.dispatchEvent(new InputEvent('input', { data: step, inputType: 'insertCompositionText', isComposing: true }));
    }
  }, steps);
}

describe.skipIf(!chromium.found)('popup search while a Korean syllable is composed (Chromium)', () => {
  let b: ProfileBrowser;
  let popup: Page;
  const shown = () =>
    popup.locator('input[type=checkbox][data-organization-id]:visible').evaluateAll((boxes) => boxes.map((x) => x.getAttribute('data-organization-id')));
  const status = () => popup.locator('#search-count').innerText();

  beforeAll(async () => {
    assertBuilt();
    b = await launchChromium({ executablePath: chromium.path });
    await b.worker();
    popup = await b.openPopup();
    await popup.locator('#search').waitFor({ state: 'visible', timeout: 10_000 });
  });

  afterAll(async () => {
    await b?.close();
  });

  it('keeps the list and says no "no match" on 한ㅅ, 한숭; filters to KHNP on 한수원', async () => {
    const all = (await shown()).length;
    expect(all).toBeGreaterThan(30);
    const before = await status();

    await midComposition(popup, ['한', '한ㅅ', '한수', '한숭']);
    // Nothing moved while the syllable was incomplete: no empty list, no "no match" announced.
    expect((await shown()).length).toBe(all);
    expect(await status()).toBe(before);
    expect(await status()).not.toMatch(/No organization matches/);

    await compose(popup, ['한숭', '한수'], '한수원');
    await expect.poll(shown, { timeout: 5_000 }).toEqual(['khnp']);
    expect(await status()).toMatch(/^Showing 1 of \d+ organizations$/);
  });

  it('typing without an IME still filters at once (산은 → Korea Development Bank)', async () => {
    await popup.locator('#search').fill('한국산업은행');
    await expect.poll(shown, { timeout: 5_000 }).toEqual(['korea-development-bank']);
    await popup.locator('#search').fill('');
    await expect.poll(async () => (await shown()).length, { timeout: 5_000 }).toBeGreaterThan(30);
  });
});
