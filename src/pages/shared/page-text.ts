/**
 * The UI language and message lookup every page of the popup/options family
 * shares. `initPageText` must run first: it picks the language the options
 * page chose, or the browser's.
 */
import { browser } from '../../platform/browser';
import { translate, uiLanguageOf, type I18nApi, type UiLanguage, type UiLanguageSetting } from '../../shared/i18n';
import { loadPageI18n, reloadOnLanguageChange } from './page-i18n';
import { dateTimeFormat, listFormat } from '../../shared/intl-formats';

let api: I18nApi = browser.i18n;
export let lang: UiLanguage = uiLanguageOf(api);
/** The language that is not the UI language: organization names are shown in both. */
export let otherLang: UiLanguage = lang === 'ko' ? 'en' : 'ko';
export let languageSetting: UiLanguageSetting = 'browser';

export async function initPageText(): Promise<I18nApi> {
  const loaded = await loadPageI18n();
  api = loaded.api;
  languageSetting = loaded.setting;
  lang = uiLanguageOf(api);
  otherLang = lang === 'ko' ? 'en' : 'ko';
  reloadOnLanguageChange(languageSetting);
  return api;
}

export function t(key: string, substitutions?: string[]): string {
  return translate(api, key, substitutions);
}

/** "A, B and C" / "A, B 및 C" in the UI language. */
export function joinList(items: readonly string[]): string {
  return listFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}

/** Local clock time of an epoch-ms instant (today's exceptions last minutes to hours). */
export function formatClock(epochMs: number): string {
  return dateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }).format(epochMs);
}

/** Local date and time of an epoch-ms instant (the activity log). */
export function formatDateTime(epochMs: number): string {
  return dateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(epochMs);
}
