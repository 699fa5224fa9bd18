/**
 * The message lookup of an extension page, honouring the language chosen on
 * the options page. chrome.i18n cannot switch language, so a chosen language
 * is served from the extension's own _locales/<lang>/messages.json, fetched
 * from the extension itself (the pages' CSP allows `connect-src 'self'` and
 * nothing remote). Anything going wrong falls back to the browser's language.
 */
import { browser } from '../../platform/browser';
import { tableI18n, uiLanguageSettingOf, type I18nApi, type UiLanguageSetting } from '../../shared/i18n';
import { SETTINGS_KEY } from '../../shared/storage-keys';

export async function storedLanguageSetting(): Promise<UiLanguageSetting> {
  try {
    const stored = await browser.storage.local.get(SETTINGS_KEY);
    return uiLanguageSettingOf(stored[SETTINGS_KEY]);
  } catch {
    return 'browser';
  }
}

export async function loadPageI18n(): Promise<{ api: I18nApi; setting: UiLanguageSetting }> {
  return pageI18nFor(await storedLanguageSetting());
}

/** The lookup for a language setting already read (a page that reads its settings with other keys at once). */
export async function pageI18nFor(setting: UiLanguageSetting): Promise<{ api: I18nApi; setting: UiLanguageSetting }> {
  if (setting === 'browser') return { api: browser.i18n, setting };
  try {
    const response = await fetch(browser.runtime.getURL(`_locales/${setting}/messages.json`));
    const api = tableI18n(await response.json(), setting);
    if (api) return { api, setting };
  } catch {
    // Fall through to the browser's language.
  }
  return { api: browser.i18n, setting };
}

/**
 * Reloads the page when the language setting changes (from the options page,
 * in this or another window), so every string is drawn again in it.
 */
export function reloadOnLanguageChange(current: UiLanguageSetting): void {
  browser.storage.onChanged.addListener((changes, area) => {
    const change = changes[SETTINGS_KEY];
    if (area !== 'local' || !change) return;
    if (uiLanguageSettingOf(change.newValue) !== current) location.reload();
  });
}
