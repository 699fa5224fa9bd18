/**
 * UI strings come from _locales/<lang>/messages.json through the browser's
 * i18n API; policy text carries both languages and is picked here.
 */
import type { LocalizedText } from '../core/policy-schema';

export type UiLanguage = 'en' | 'ko';

export interface I18nApi {
  getMessage(key: string, substitutions?: string | string[]): string;
  getUILanguage(): string;
}

export function uiLanguageOf(api: Pick<I18nApi, 'getUILanguage'>): UiLanguage {
  return api.getUILanguage().toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function pickText(text: LocalizedText, lang: UiLanguage): string {
  return text[lang];
}

/** A missing key is a bug; show the key rather than an empty string so tests catch it. */
export function translate(api: I18nApi, key: string, substitutions?: string[]): string {
  return api.getMessage(key, substitutions) || key;
}

/**
 * Fills `[data-i18n]` elements' textContent and `[data-i18n-attr="attr:key"]`
 * attributes. Only textContent and attributes, never innerHTML.
 */
export function localizeDocument(api: I18nApi, root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = translate(api, el.dataset.i18n ?? '');
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of (el.dataset.i18nAttr ?? '').split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), translate(api, key.trim()));
    }
  }
  document.documentElement.lang = uiLanguageOf(api);
}
