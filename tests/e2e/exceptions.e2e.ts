/**
 * Exceptions follow the policy, in real Chromium on the built extension: a
 * deliberate proceed under KHNP's work-only warning ("This is not for work")
 * ends when LG U+ is turned on, and "End now" in the popup and on the options
 * page stops the site again. Every step is done through the real pages.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumForSuite, launchChromium, type ChromeApi, type ProfileBrowser } from './harness/chromium';
import { startSiteServer, UNRELATED_HOST, type CountingServer } from './harness/server';
import { isInterstitial, proceedPastInterstitial, readCitation, setProfileInPopup, waitForInterstitial } from './harness/ui';

const DEEPSEEK = 'chat.deepseek.com';
const DEEPSEEK_URL = `http://${DEEPSEEK}/`;
const START = `http://${UNRELATED_HOST}/`;

const discovery = chromiumForSuite();

interface VerdictSeen {
  level: string;
  exceptionExpiresAt: number | null;
}

async function verdictFor(page: Page, url: string): Promise<VerdictSeen> {
  const reply = (await page.evaluate(
    (u) => (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({ kind: 'getVerdict', request: { url: u } }),
    url,
  )) as { ok: boolean; data: { verdict: { level: string }; exceptionExpiresAt: number | null } };
  return { level: reply.data.verdict.level, exceptionExpiresAt: reply.data.exceptionExpiresAt };
}

/** DeepSeek opened past the KHNP warning, as a person does it, from a link on another site. */
async function proceedOnDeepSeek(b: ProfileBrowser, page: Page): Promise<void> {
  await page.goto(START);
  await page.click('#link-deepseek');
  expect(await waitForInterstitial(b, page)).toBe(DEEPSEEK_URL);
  await readCitation(page, 'khnp');
  expect((await page.locator('label[for="proceed-ack"]').textContent())?.trim()).toBe('This is not for work');
  await proceedPastInterstitial(b, page);
  await expect.poll(() => page.title()).toBe(DEEPSEEK);
}

describe.skipIf(!discovery.found)('Chromium, exceptions follow the policy', () => {
  let site: CountingServer;
  let b: ProfileBrowser;

  beforeAll(async () => {
    site = await startSiteServer();
  });

  beforeEach(async () => {
    b = await launchChromium({ executablePath: discovery.path, defaultPort: site.port });
    await b.worker();
    site.reset();
  });

  afterEach(async () => {
    await b?.close();
  });

  afterAll(async () => {
    await site?.close();
  });

  it('an exception under KHNP ("This is not for work") ends when LG U+ is turned on: DeepSeek is stopped again', async () => {
    await (await setProfileInPopup(b, 'khnp')).close();
    const tab = await b.context.newPage();
    await proceedOnDeepSeek(b, tab);
    const reached = site.requests(DEEPSEEK);
    expect(reached).toBeGreaterThanOrEqual(1);

    // The popup lists it: the service, until when, and what was confirmed.
    const popup = await b.openPopup();
    const item = popup.locator('#exceptions li.exception-item[data-service-id="deepseek"]');
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await item.locator('.exception-service').innerText()).toBe('DeepSeek');
    expect(await item.locator('.exception-until').innerText()).toMatch(/^open until /);
    expect(await item.locator('.exception-statement').innerText()).toBe('You confirmed: “This is not for work”');
    await popup.close();

    // LG U+ bans DeepSeek on its network: a stricter decision than the one the person stepped past.
    // (Ticked in the popup; the rule count need not grow, KHNP's redirect already covers DeepSeek.)
    const toggle = await b.openPopup();
    const box = toggle.locator('input[type=checkbox][data-organization-id="lg-uplus"]').first();
    await box.waitFor({ state: 'attached', timeout: 10_000 });
    await box.check();
    await expect.poll(() => box.isChecked()).toBe(true);
    await toggle.close();
    expect(await waitForInterstitial(b, tab)).toBe(DEEPSEEK_URL);
    const citation = await readCitation(tab, 'lg-uplus');
    expect(citation.text).toContain('LG U+');
    expect(await verdictFor(tab, DEEPSEEK_URL)).toEqual({ level: 'block', exceptionExpiresAt: null });

    // A fresh navigation is stopped too, before any request; the popup no longer lists the exception.
    const again = await b.context.newPage();
    await again.goto(START);
    await again.click('#link-deepseek');
    expect(await waitForInterstitial(b, again)).toBe(DEEPSEEK_URL);
    expect(site.requests(DEEPSEEK)).toBe(reached);
    expect(await b.sessionRules()).toEqual([]);
    const after = await b.openPopup();
    await after.locator('#profiles').and(after.locator(':not([aria-busy])')).waitFor({ timeout: 10_000 });
    expect(await after.locator('#exceptions').isHidden()).toBe(true);
    expect(await after.locator('li.exception-item').count()).toBe(0);
  });

  it('"End now" in the popup (keyboard) and on the options page (click) stops the site again', async () => {
    await (await setProfileInPopup(b, 'khnp')).close();
    const tab = await b.context.newPage();
    await proceedOnDeepSeek(b, tab);

    const popup = await b.openPopup();
    const end = popup.getByRole('button', { name: 'End now: DeepSeek' });
    await end.waitFor({ state: 'visible', timeout: 10_000 });
    await end.focus();
    await popup.keyboard.press('Enter');
    expect(await waitForInterstitial(b, tab)).toBe(DEEPSEEK_URL);
    await expect.poll(() => popup.locator('li.exception-item').count()).toBe(0);
    await popup.close();
    const stoppedAt = site.requests(DEEPSEEK);

    // Once more, and this time from the options page.
    await proceedOnDeepSeek(b, tab);
    expect(site.requests(DEEPSEEK)).toBeGreaterThan(stoppedAt);
    const options = await b.openOptions();
    const row = options.locator('#exceptions li.exception-item[data-service-id="deepseek"]');
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await row.locator('.exception-statement').innerText()).toBe('You confirmed: “This is not for work”');
    await row.getByRole('button', { name: 'End now: DeepSeek' }).click();
    expect(await waitForInterstitial(b, tab)).toBe(DEEPSEEK_URL);
    await expect.poll(() => options.locator('#exceptions [role="status"]').innerText()).toBe('DeepSeek is no longer open past the warning.');
    expect(await options.locator('#exceptions .exception-empty').isVisible()).toBe(true);
    // The keyboard stays in the section: with no row left, on its heading.
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('exceptions-heading');
    expect(isInterstitial(b, tab.url())).toBe(true);
    const check = await b.openPopup();
    expect(await verdictFor(check, DEEPSEEK_URL)).toEqual({ level: 'warn', exceptionExpiresAt: null });
  });
});
