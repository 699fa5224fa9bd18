/** The UI language and message lookup every page of the popup/options family shares. */
import { browser } from '../../platform/browser';
import { translate, uiLanguageOf, type UiLanguage } from '../../shared/i18n';

export const lang: UiLanguage = uiLanguageOf(browser.i18n);
/** The language that is not the UI language: organization names are shown in both. */
export const otherLang: UiLanguage = lang === 'ko' ? 'en' : 'ko';

export function t(key: string, substitutions?: string[]): string {
  return translate(browser.i18n, key, substitutions);
}

/** "A, B and C" / "A, B 및 C" in the UI language. */
export function joinList(items: readonly string[]): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}

/** Local clock time of an epoch-ms instant (today's exceptions last minutes to hours). */
export function formatClock(epochMs: number): string {
  return new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }).format(epochMs);
}
