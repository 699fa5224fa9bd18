/**
 * UI strings come from _locales/<lang>/messages.json through the browser's
 * i18n API; policy text carries both languages and is picked here.
 *
 * The browser's i18n API always answers in the browser's language, so a
 * language chosen on the options page is served from the same messages.json,
 * read as a file of the extension (`tableI18n`), behind the same interface.
 */
import type { LocalizedText } from '../core/policy-schema';

export type UiLanguage = 'en' | 'ko';
export const UI_LANGUAGES: readonly UiLanguage[] = ['en', 'ko'];
/** The options page's choice: `browser` follows the browser. */
export const UI_LANGUAGE_SETTINGS = ['browser', 'en', 'ko'] as const;
export type UiLanguageSetting = (typeof UI_LANGUAGE_SETTINGS)[number];

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

/**
 * A message with its substitutions, as chrome.i18n does it for messages
 * without named placeholders (all of ours): `$1`…`$9` are the substitutions,
 * `$$` is a dollar sign.
 */
export function formatMessage(template: string, substitutions: readonly string[] = []): string {
  return template.replace(/\$(\$|[1-9])/g, (_, token: string) => (token === '$' ? '$' : (substitutions[Number(token) - 1] ?? '')));
}

/**
 * An I18nApi over a parsed messages.json. Returns null when the file does not
 * have the shape of one, so the caller falls back to the browser's own.
 */
export function tableI18n(table: unknown, lang: UiLanguage): I18nApi | null {
  if (typeof table !== 'object' || table === null || Array.isArray(table)) return null;
  const messages = new Map<string, string>();
  for (const [key, entry] of Object.entries(table as Record<string, unknown>)) {
    const message = (entry as { message?: unknown } | null)?.message;
    if (typeof message === 'string') messages.set(key, message);
  }
  if (messages.size === 0) return null;
  return {
    getMessage: (key, substitutions) => {
      const template = messages.get(key);
      if (template === undefined) return '';
      const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
      return formatMessage(template, subs);
    },
    getUILanguage: () => lang,
  };
}

/** The stored language choice, read from the raw settings object (no schema library in pages). */
export function uiLanguageSettingOf(rawSettings: unknown): UiLanguageSetting {
  const value = (rawSettings as { uiLanguage?: unknown } | null | undefined)?.uiLanguage;
  return value === 'en' || value === 'ko' ? value : 'browser';
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
