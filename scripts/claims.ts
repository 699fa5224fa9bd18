/**
 * Writes the claims ledger, docs/claims/en.md and docs/claims/ko.md (see
 * scripts/claims-ledger.ts). `npm run claims` after any change to policies/,
 * the messages or the wording code; tests/unit/claims-ledger.test.ts fails
 * until the checked-in copies are current.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadPolicyBundle } from './load-policies';
import { renderLedger } from './claims-ledger';
import { tableI18n, translate, UI_LANGUAGES, type UiLanguage } from '../src/shared/i18n';

export function ledgerFor(lang: UiLanguage, root = '.'): string {
  const messages = JSON.parse(readFileSync(`${root}/public/_locales/${lang}/messages.json`, 'utf8')) as Record<string, { message: string }>;
  const api = tableI18n(messages, lang);
  if (!api) throw new Error(`public/_locales/${lang}/messages.json is not a messages file`);
  return renderLedger(loadPolicyBundle(), lang, (key, subs) => translate(api, key, subs), messages);
}

export const ledgerPath = (lang: UiLanguage): string => `docs/claims/${lang}.md`;

if (process.argv[1]?.endsWith('claims.ts')) {
  mkdirSync('docs/claims', { recursive: true });
  for (const lang of UI_LANGUAGES) {
    const text = ledgerFor(lang);
    writeFileSync(ledgerPath(lang), text);
    console.log(`${ledgerPath(lang)}: ${text.split('\n').length} lines`);
  }
}
