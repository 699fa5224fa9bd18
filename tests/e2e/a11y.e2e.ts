/**
 * Accessibility of the built extension's pages in real Chromium, in English and
 * Korean (browser UI language via --lang/LANGUAGE and the Playwright locale):
 * - axe-core: 0 violations on the interstitial (with its "proceed" section
 *   open too), the popup and the options page, light and dark;
 * - the dark theme really applies under prefers-color-scheme: dark;
 * - the keyboard alone: Go back focused first and first in Tab order, Enter
 *   activates, Escape closes the open disclosure, the popup toggles, the
 *   options page's controls are all reachable;
 * - no text clipped at the popup's width and a narrow interstitial;
 * - screenshots for README (docs/screenshots/*.png) and for the store
 *   listings, 1280×800 (store/screenshots/*.png).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumForSuite, launchChromium, type ChromeApi, type ProfileBrowser } from './harness/chromium';
import { startSiteServer, UNRELATED_HOST, type CountingServer } from './harness/server';
import { isInterstitial, readCitation, setProfileInPopup, waitForInterstitial } from './harness/ui';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');
/** Store listing screenshots: the Chrome Web Store's size (1280×800), used for AMO too. */
const STORE_SCREENSHOTS = path.resolve(import.meta.dirname, '../../store/screenshots');
const STORE = { width: 1280, height: 800 };
const START = `http://${UNRELATED_HOST}/`;
const KB = 'kb-financial-group';
const KHNP = 'khnp';
/** The popup's width (src/pages/popup/style.css: body { width: 380px }). */
const POPUP = { width: 380, height: 600 };
const NARROW = { width: 360, height: 740 };

const discovery = chromiumForSuite();

type Theme = 'light' | 'dark';
const THEMES: Theme[] = ['light', 'dark'];

/** axe's violations on the page as it is now: "rule-id: selector" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary?.split('\n')[1]?.trim() ?? ''})`));
}

/** The page background as [r, g, b] and its relative luminance (WCAG). */
async function background(page: Page): Promise<{ rgb: string; luminance: number }> {
  return page.evaluate(() => {
    const rgb = getComputedStyle(document.documentElement).backgroundColor;
    const [r, g, b] = (rgb.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((x) => Number(x) / 255);
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return { rgb, luminance: 0.2126 * lin(r ?? 0) + 0.7152 * lin(g ?? 0) + 0.0722 * lin(b ?? 0) };
  });
}

/**
 * Every visible element holding text: is its text cut? Cut means the element
 * clips (overflow not visible) and its content is larger than its box, or it
 * ends in an ellipsis, or its text reaches outside an ancestor that clips.
 * The blocked address is the one deliberate exception (an untrusted URL kept
 * on one line); it must then carry its full text in `title`.
 */
function clippedText(page: Page): Promise<{ checked: number; clipped: string[]; pageOverflow: number }> {
  return page.evaluate(() => {
    const clipped: string[] = [];
    let checked = 0;
    const clips = (cs: CSSStyleDeclaration) => cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`;
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (text.length === 0 || el.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)')) continue;
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden' || el.getClientRects().length === 0) continue;
      checked += 1;
      const what = `${name(el)} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
      if (el.classList.contains('blocked-url')) {
        if (el.title !== el.textContent) clipped.push(`${what}: a cut address without its full text in title`);
        continue;
      }
      if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) clipped.push(`${what}: ellipsis`);
      else if (clips(cs) && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
        clipped.push(`${what}: ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
      // The text's own extent against every ancestor that clips.
      const range = document.createRange();
      range.selectNodeContents(el);
      const box = range.getBoundingClientRect();
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        if (!clips(getComputedStyle(a))) continue;
        const r = a.getBoundingClientRect();
        if (box.left < r.left - 1 || box.right > r.right + 1 || box.top < r.top - 1 || box.bottom > r.bottom + 1) {
          clipped.push(`${what}: outside ${name(a)} that clips`);
          break;
        }
      }
    }
    const pageOverflow = document.documentElement.scrollWidth - window.innerWidth;
    // What sticks out past the window, when something does.
    if (pageOverflow > 0) {
      for (const el of document.querySelectorAll<HTMLElement>('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && r.width > 0) clipped.push(`${name(el)} reaches ${Math.round(r.right)}px past a ${window.innerWidth}px window`);
      }
    }
    return { checked, clipped, pageOverflow };
  });
}

/** The focused element, as a short name for Tab-order assertions. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return 'body';
    const org = a.getAttribute('data-organization-id');
    if (org) return `${a.tagName.toLowerCase()}[${org}]`;
    return a.id ? `#${a.id}` : `${a.tagName.toLowerCase()}.${[...a.classList].join('.')}`;
  });
}

/** Presses Tab until `want` is focused (at most `max` times); returns the names passed on the way. */
async function tabTo(page: Page, want: (name: string) => boolean, max = 80, key = 'Tab'): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(key);
    const name = await focused(page);
    seen.push(name);
    if (want(name)) return seen;
  }
  throw new Error(`${key} never reached the wanted element; passed ${seen.join(' → ')}`);
}

async function openInterstitial(b: ProfileBrowser, page: Page): Promise<void> {
  await page.goto(START);
  // From a web page's link, as a person gets there.
  await page.click('#link-deepseek');
  await waitForInterstitial(b, page);
  await readCitation(page, KB);
  await page.waitForFunction(() => document.getElementById('main')?.getAttribute('aria-busy') === null);
}

/** `promise`, or a clear error once `ms` have passed. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** updateSettings through the extension's own message, as the options page sends it; throws on a refusal. */
async function updateSettings(page: Page, change: Record<string, unknown>): Promise<void> {
  const reply = await page.evaluate(async (request) => {
    return (await (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({ kind: 'updateSettings', request })) as {
      ok: boolean;
      error?: string;
    };
  }, change);
  if (!reply.ok) throw new Error(`updateSettings ${JSON.stringify(change)}: ${reply.error ?? 'refused'}`);
}

/** The stored interface-language choice ('browser', 'en' or 'ko'). */
async function settingsLanguage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const reply = (await (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({ kind: 'getSettings', request: {} })) as {
      data?: { uiLanguage?: string };
    };
    return reply.data?.uiLanguage ?? '';
  });
}

async function settingsEnabled(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const reply = (await (globalThis as unknown as { chrome: ChromeApi }).chrome.runtime.sendMessage({ kind: 'getSettings', request: {} })) as {
      data?: { enabledOrganizations?: string[] };
    };
    return reply.data?.enabledOrganizations ?? [];
  });
}

for (const { lang, locale } of [
  { lang: 'en', locale: 'en-US' },
  { lang: 'ko', locale: 'ko-KR' },
] as const) {
  describe.skipIf(!discovery.found)(`accessibility in Chromium (${lang})`, () => {
    let site: CountingServer;
    let b: ProfileBrowser;
    let ready = false;

    beforeAll(async () => {
      site = await startSiteServer();
      b = await launchChromium({ executablePath: discovery.path, defaultPort: site.port, locale });
      mkdirSync(SCREENSHOTS, { recursive: true });
      mkdirSync(STORE_SCREENSHOTS, { recursive: true });
    });
    afterAll(async () => {
      await b?.close();
      await site?.close();
    });

    /** KB and KHNP on (both ban DeepSeek), once per browser. */
    async function profilesOn(): Promise<void> {
      if (ready) return;
      await (await setProfileInPopup(b, KB)).close();
      await (await setProfileInPopup(b, KHNP)).close();
      ready = true;
    }

    it('axe finds 0 violations on the interstitial, popup and options page, light and dark; the dark theme applies', async () => {
      await profilesOn();
      const results: Record<string, string[]> = {};
      const page = await b.context.newPage();
      await openInterstitial(b, page);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      const popup = await b.openPopup();
      await popup.setViewportSize(POPUP);
      await popup.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached' });
      const options = await b.openOptions();
      await options.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached' });
      await options.locator('#ui-language:not([disabled])').waitFor();
      // Disclosures open, so axe sees what they hold too (a closed one's content is only hidden):
      // the interstitial's way forward (the acknowledgement, the proceed button), an organization's details.
      await page.locator('#proceed-details summary').click();
      await expect.poll(() => page.locator('#proceed-details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      await options.locator('details.org-details summary').first().click();
      await options.locator('details.org-details[open] .org-notice, details.org-details[open] li').first().waitFor();

      const backgrounds: Record<string, Record<Theme, { rgb: string; luminance: number }>> = {};
      for (const [name, p] of [
        ['interstitial (proceed open)', page],
        ['popup', popup],
        ['options (details open)', options],
      ] as const) {
        backgrounds[name] = {} as Record<Theme, { rgb: string; luminance: number }>;
        for (const theme of THEMES) {
          await p.emulateMedia({ colorScheme: theme });
          backgrounds[name][theme] = await background(p);
          results[`${name} ${theme}`] = await axeViolations(p);
        }
      }

      console.log(
        `axe (${lang}): ` +
          Object.entries(results)
            .map(([k, v]) => `${k}: ${v.length}`)
            .join('; '),
      );
      for (const [name, bg] of Object.entries(backgrounds)) {
        console.log(`background (${lang}) ${name}: light ${bg.light.rgb}, dark ${bg.dark.rgb}`);
        expect(bg.light.luminance, `${name}: light background is light`).toBeGreaterThan(0.8);
        expect(bg.dark.luminance, `${name}: dark background is dark`).toBeLessThan(0.05);
        expect(bg.dark.rgb).not.toBe(bg.light.rgb);
      }
      expect(results).toEqual(Object.fromEntries(Object.keys(results).map((k) => [k, []])));
      for (const p of [page, popup, options]) await p.close();
    });

    it('the popup toggles a profile and the options page is reachable, by keyboard', async () => {
      await profilesOn();
      const popup = await b.openPopup();
      await popup.setViewportSize(POPUP);
      await popup.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached' });
      const seen = await tabTo(popup, (n) => /^input\[/.test(n));
      const first = seen.at(-1)!;
      const id = /^input\[(.+)\]$/.exec(first)![1]!;
      const box = popup.locator(`input[data-organization-id="${id}"]`).first();
      const was = await box.isChecked();
      await popup.keyboard.press('Space');
      await expect.poll(() => box.isChecked()).toBe(!was);
      await expect.poll(async () => (await settingsEnabled(popup)).includes(id)).toBe(!was);
      // Saved, the box is usable again and keeps the keyboard focus.
      await expect.poll(() => box.isEnabled()).toBe(true);
      expect(await focused(popup)).toBe(first);
      await popup.keyboard.press('Space');
      await expect.poll(async () => (await settingsEnabled(popup)).includes(id)).toBe(was);
      // The options page from the popup's footer button, by keyboard (the popup then closes itself;
      // the browser opens the options page, or brings forward the one already open).
      const optionsUrl = b.extensionUrl('src/pages/options/index.html');
      for (const p of b.context.pages()) if (p.url().startsWith(optionsUrl)) await p.close();
      await tabTo(popup, (n) => n === '#open-options', 200);
      const opened = b.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(optionsUrl), timeout: 10_000 });
      // The popup closes itself inside the key press, which Playwright may report as a closed target.
      await popup.keyboard.press('Enter').catch((error: unknown) => {
        if (!popup.isClosed()) throw error;
      });
      const options = await opened;
      await options.waitForLoadState();
      await expect.poll(() => popup.isClosed(), { timeout: 5_000 }).toBe(true);
      await options.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached' });
      // Every control of the options page is on the Tab path, in document order.
      await options.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const path = await tabTo(options, (n) => n === '#reset', 400);
      for (const want of ['#search', `input[${KB}]`, '#proceed-minutes', '#ui-language', '#log-enabled', '#reset']) {
        expect(path, `${want} is reachable by Tab`).toContain(want);
      }
      // An organization's details: Enter opens, Escape closes and returns focus to the summary.
      await options.locator('details.org-details summary').first().focus();
      await options.keyboard.press('Enter');
      expect(await options.locator('details.org-details').first().evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      await options.keyboard.press('Escape');
      expect(await options.locator('details.org-details').first().evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(await options.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');
      await options.close();
    });

    // The options page's own language choice, over an English browser: the pages turn Korean and stay clean.
    it.runIf(lang === 'en')('the UI language override (Korean on an English browser): axe finds 0 violations', async () => {
      await profilesOn();
      const options = await b.openOptions();
      const select = options.locator('#ui-language:not([disabled])');
      await select.waitFor();
      await select.selectOption('ko');
      // Saving reloads every open page of the extension in the new language.
      await expect.poll(() => options.evaluate(() => document.documentElement.lang).catch(() => ''), { timeout: 10_000 }).toBe('ko');
      await options.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached' });
      const page = await b.context.newPage();
      await openInterstitial(b, page);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
      const results = { options: await axeViolations(options), interstitial: await axeViolations(page) };
      console.log(`axe (override ko on en): options ${results.options.length}; interstitial ${results.interstitial.length}`);
      expect(results).toEqual({ options: [], interstitial: [] });
      await options.locator('#ui-language:not([disabled])').selectOption('browser');
      await expect.poll(() => options.evaluate(() => document.documentElement.lang).catch(() => ''), { timeout: 10_000 }).toBe('en');
      await page.close();
      await options.close();
    });

    it('no text is clipped at the popup width and on a narrow interstitial', async () => {
      await profilesOn();
      const report: string[] = [];
      let checked = 0;
      const page = await b.context.newPage();
      await page.setViewportSize(NARROW);
      await openInterstitial(b, page);
      await page.locator('#proceed-details summary').click();
      const popup = await b.openPopup();
      await popup.setViewportSize(POPUP);
      await popup.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached' });
      const options = await b.openOptions();
      await options.setViewportSize(NARROW);
      await options.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached' });
      await options.locator('details.org-details summary').first().click();
      for (const [name, p] of [
        ['interstitial 360px', page],
        ['popup 380px', popup],
        ['options 360px', options],
      ] as const) {
        const seen = await clippedText(p);
        checked += seen.checked;
        report.push(`${name}: ${seen.checked} text elements, ${seen.clipped.length} clipped, page overflow ${seen.pageOverflow}px`);
        expect(seen.checked, `${name}: text was checked`).toBeGreaterThan(10);
        expect(seen.clipped, `${name}: clipped text`).toEqual([]);
        expect(seen.pageOverflow, `${name}: no horizontal overflow`).toBeLessThanOrEqual(0);
      }
      console.log(`clipping (${lang}): ${checked} checks; ${report.join('; ')}`);
      for (const p of [page, popup, options]) await p.close();
    });

    it('screenshots for README: the interstitial and the popup', async () => {
      await profilesOn();
      // The README's language whatever the machine's locales (Debian's chromium-l10n may be
      // missing, and chrome.i18n then answers in English): chosen on the options page, as a person can.
      const options = await b.openOptions();
      const language = options.locator('#ui-language:not([disabled])');
      await language.waitFor({ timeout: 15_000 });
      await language.selectOption(lang, { timeout: 15_000 });
      await expect.poll(() => settingsLanguage(options).catch(() => ''), { timeout: 10_000 }).toBe(lang);
      await options.locator(`input[data-organization-id="${KB}"]`).first().waitFor({ state: 'attached', timeout: 15_000 });
      await expect.poll(() => options.evaluate(() => document.documentElement.lang).catch(() => ''), { timeout: 10_000 }).toBe(lang);
      const page = await b.context.newPage();
      await page.setViewportSize({ width: 1100, height: 1000 });
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      await openInterstitial(b, page);
      await page.evaluate(() => document.fonts.ready);
      const interstitialFile = path.join(SCREENSHOTS, `interstitial-${lang}.png`);
      await page.screenshot({ path: interstitialFile, animations: 'disabled', caret: 'hide' });
      // Further down: the question where the answer decides, and KB's card with whether its
      // scope applies on this device and how old the report is (computed at run time).
      const question = await page.locator('#device-question').boundingBox();
      const card = await page.locator(`.citation[data-organization-id="${KB}"]`).boundingBox();
      expect(question, 'the device question is shown while the device is not said').not.toBeNull();
      expect(await page.locator(`.citation[data-organization-id="${KB}"] .data-age`).first().innerText()).toMatch(
        lang === 'en' ? /^Reported February 6, 2025, .+ ago$/ : /^2025년 2월 6일 보도, .+ 전$/,
      );
      const detailFile = path.join(SCREENSHOTS, `interstitial-scope-${lang}.png`);
      if (question && card) {
        const top = question.y - 16;
        await page.screenshot({
          path: detailFile,
          fullPage: true,
          clip: { x: card.x - 16, y: top, width: card.width + 32, height: card.y + card.height + 16 - top },
          animations: 'disabled',
          caret: 'hide',
        });
      }
      // The popup over the tab it speaks of: opened as a tab, it reports on itself; show the profiles.
      const popup = await b.openPopup();
      await popup.setViewportSize(POPUP);
      await popup.emulateMedia({ colorScheme: 'light' });
      await popup.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached' });
      await popup.evaluate(() => document.fonts.ready);
      const popupFile = path.join(SCREENSHOTS, `popup-${lang}.png`);
      await popup.screenshot({ path: popupFile, animations: 'disabled', caret: 'hide' });
      console.log(`screenshots: ${path.relative(process.cwd(), interstitialFile)}, ${path.relative(process.cwd(), popupFile)}`);
      // Clean-up, not what the test checks: a close caught in the extension pages' reload may
      // never answer, so each is given a moment and then left to the browser.
      const leave = (p: Page) => Promise.race([p.close().catch(() => undefined), new Promise((r) => setTimeout(r, 3_000))]);
      for (const p of [page, popup]) await leave(p);
      // Back to the browser's language for the tests after this one; a read caught in the
      // reload that the change causes is retried, not awaited forever.
      await language.selectOption('browser', { timeout: 15_000 });
      await expect.poll(() => within(5_000, 'reading the settings', settingsLanguage(options)).catch(() => ''), { timeout: 15_000 }).toBe('browser');
      await leave(options);
    });

    it('store screenshots, 1280×800: the interstitial, the popup over it, and the options page', async () => {
      await profilesOn();
      // The listing's language whatever the machine's locales: chosen on the options page, as a person can.
      const options = await b.openOptions();
      const language = options.locator('#ui-language:not([disabled])');
      await language.waitFor({ timeout: 15_000 });
      await language.selectOption(lang, { timeout: 15_000 });
      await expect.poll(() => settingsLanguage(options).catch(() => ''), { timeout: 10_000 }).toBe(lang);
      // Saving reloads every open page of the extension; wait for the options page to be back.
      await options.locator(`input[data-organization-id="${KB}"]`).first().waitFor({ state: 'attached', timeout: 15_000 });
      await expect.poll(() => options.evaluate(() => document.documentElement.lang).catch(() => ''), { timeout: 10_000 }).toBe(lang);
      // The listing's scenario: a work device, so the pages show the citations rather than ask.
      await updateSettings(options, { deviceContext: 'work' });
      const shot = async (p: Page, name: string) => {
        expect(await p.evaluate(() => document.documentElement.lang), name).toBe(name === 'popup' ? '' : lang);
        await p.evaluate(() => document.fonts.ready);
        const file = path.join(STORE_SCREENSHOTS, `${name}-${lang}.png`);
        const png = await p.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
        expect(await p.evaluate(() => [window.innerWidth, window.innerHeight])).toEqual([STORE.width, STORE.height]);
        return { file, png };
      };
      const page = await b.context.newPage();
      await page.setViewportSize(STORE);
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      await openInterstitial(b, page);
      const interstitial = await shot(page, 'interstitial');

      // The popup as a person sees it: its own size, under the toolbar, over the page it speaks of.
      const popup = await b.openPopup();
      await popup.setViewportSize(POPUP);
      await popup.emulateMedia({ colorScheme: 'light' });
      await popup.locator(`input[data-organization-id="${KB}"]`).waitFor({ state: 'attached', timeout: 15_000 });
      expect(await popup.evaluate(() => document.documentElement.lang)).toBe(lang);
      await popup.evaluate(() => document.fonts.ready);
      const popupPng = await popup.screenshot({ animations: 'disabled', caret: 'hide' });
      const canvas = await b.context.newPage();
      await canvas.setViewportSize(STORE);
      await canvas.setContent(
        `<html><body style="margin:0;width:${STORE.width}px;height:${STORE.height}px;overflow:hidden;position:relative">` +
          `<img alt="" style="position:absolute;inset:0" src="data:image/png;base64,${interstitial.png.toString('base64')}">` +
          `<img alt="" style="position:absolute;top:8px;right:24px;border-radius:8px;box-shadow:0 4px 24px rgba(0,0,0,.35)" ` +
          `src="data:image/png;base64,${popupPng.toString('base64')}"></body></html>`,
      );
      await canvas.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 15_000 });
      const popupShot = await shot(canvas, 'popup');

      await options.setViewportSize(STORE);
      await options.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      await options.evaluate(() => window.scrollTo(0, 0));
      await options.locator(`input[data-organization-id="${KB}"]`).first().waitFor({ state: 'attached', timeout: 15_000 });
      const optionsShot = await shot(options, 'options');
      console.log(`store screenshots (${lang}): ${[interstitial, popupShot, optionsShot].map((s) => path.relative(process.cwd(), s.file)).join(', ')}`);
      for (const p of [page, popup, canvas]) await within(10_000, 'closing a page', p.close());
      // Back to the defaults for the tests after this one, each step bounded: a settings change
      // reloads the extension's open pages, and a step caught in that reload must fail, not hang.
      await within(10_000, 'device context back to "not said"', updateSettings(options, { deviceContext: 'unsaid' }));
      await language.selectOption('browser', { timeout: 15_000 });
      await expect.poll(() => within(5_000, 'reading the settings', settingsLanguage(options)).catch(() => ''), { timeout: 15_000 }).toBe('browser');
      // Clean-up, as in the test above: a close caught in the reload the language change causes may
      // never answer (seen in Chromium 156 under a loaded machine); it is given a moment, then left to the browser.
      await Promise.race([options.close().catch(() => undefined), new Promise((r) => setTimeout(r, 3_000))]);
    });

    // Last: it proceeds, and the exception it starts would change the interstitial for the tests above.
    it('the interstitial works from the keyboard: Go back first, proceed deliberate, Enter activates, Escape closes', async () => {
      await profilesOn();
      const page = await b.context.newPage();
      await openInterstitial(b, page);
      // Go back is the primary action and has focus on arrival.
      expect(await focused(page)).toBe('#go-back');
      // Forward in Tab order: the proceed summary comes after Go back; its controls stay out of reach while closed.
      const forward = await tabTo(page, (n) => n === 'summary.' || n === 'summary');
      expect(forward.filter((n) => n === '#proceed-ack' || n === '#proceed-button')).toEqual([]);
      // Enter opens it; the acknowledgement is next; Space ticks it; the button then works.
      await page.keyboard.press('Enter');
      expect(await page.locator('#proceed-details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      expect(await tabTo(page, (n) => n === '#proceed-ack', 3)).toContain('#proceed-ack');
      await page.keyboard.press('Space');
      expect(await page.locator('#proceed-ack').isChecked()).toBe(true);
      expect(await page.locator('#proceed-button').isEnabled()).toBe(true);
      // Escape closes the section and returns focus to its summary.
      await page.keyboard.press('Escape');
      expect(await page.locator('#proceed-details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(await focused(page)).toMatch(/^summary/);
      // Back to Go back with Shift+Tab; Enter goes back to the page the person came from.
      await tabTo(page, (n) => n === '#go-back', 20, 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(START, { timeout: 10_000 });
      expect(site.requests('chat.deepseek.com')).toBe(0);

      // And the deliberate way forward, by keyboard only.
      await page.click('#link-deepseek');
      await waitForInterstitial(b, page);
      await page.waitForFunction(() => document.getElementById('main')?.getAttribute('aria-busy') === null);
      expect(await focused(page)).toBe('#go-back');
      await tabTo(page, (n) => n.startsWith('summary'));
      await page.keyboard.press('Enter');
      await tabTo(page, (n) => n === '#proceed-ack', 3);
      await page.keyboard.press('Space');
      await tabTo(page, (n) => n === '#proceed-button', 6);
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => !isInterstitial(b, u.href), { timeout: 10_000 });
      expect(page.url()).toBe('http://chat.deepseek.com/');
      await page.close();
    });
  });
}
