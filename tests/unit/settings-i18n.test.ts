/** Stored settings (migration from version 1) and the language override's message tables. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, readSettings } from '../../src/shared/settings';
import { formatMessage, tableI18n, translate, uiLanguageSettingOf } from '../../src/shared/i18n';

const known = new Set(['khnp', 'kakao']);

describe('readSettings', () => {
  it('migrates version 1 (before the activity log and the language override)', () => {
    const { value, recovered } = readSettings({ version: 1, enabledOrganizations: ['khnp', 'gone'], proceedMinutes: 20, onboarded: true }, known);
    expect(recovered).toBeNull();
    expect(value).toEqual({ version: 2, enabledOrganizations: ['khnp'], proceedMinutes: 20, onboarded: true, activityLog: true, uiLanguage: 'browser' });
  });

  it('reads version 2 and falls back to defaults on garbage', () => {
    expect(readSettings({ ...DEFAULT_SETTINGS, uiLanguage: 'ko', activityLog: false }, known).value).toMatchObject({ uiLanguage: 'ko', activityLog: false });
    const bad = readSettings({ ...DEFAULT_SETTINGS, uiLanguage: 'fr' }, known);
    expect(bad.value).toEqual(DEFAULT_SETTINGS);
    expect(bad.recovered).toMatch(/^settings\.uiLanguage: /);
  });

  it('has the activity log on by default', () => {
    expect(DEFAULT_SETTINGS.activityLog).toBe(true);
  });
});

describe('formatMessage and tableI18n', () => {
  it('substitutes like chrome.i18n for positional messages', () => {
    expect(formatMessage('Open for $1 minutes', ['15'])).toBe('Open for 15 minutes');
    expect(formatMessage('$2 of $1, $$5', ['a', 'b'])).toBe('b of a, $5');
    expect(formatMessage('missing $3', ['a'])).toBe('missing ');
  });

  it('serves a messages.json and reports its language', () => {
    const api = tableI18n({ hello: { message: '안녕하세요, $1' } }, 'ko');
    expect(api?.getUILanguage()).toBe('ko');
    expect(api?.getMessage('hello', ['민수'])).toBe('안녕하세요, 민수');
    expect(api?.getMessage('hello', '민수')).toBe('안녕하세요, 민수');
    // A missing key shows the key, as with the browser's own lookup.
    expect(translate(api!, 'nope')).toBe('nope');
  });

  it('refuses what is not a messages.json', () => {
    for (const bad of [null, [], 'text', {}, { a: { text: 'x' } }]) expect(tableI18n(bad, 'en')).toBeNull();
  });

  it('reads the language setting without a schema, defaulting to the browser', () => {
    expect(uiLanguageSettingOf({ uiLanguage: 'ko' })).toBe('ko');
    expect(uiLanguageSettingOf({ uiLanguage: 'fr' })).toBe('browser');
    expect(uiLanguageSettingOf(undefined)).toBe('browser');
  });
});

describe('_locales', () => {
  const load = (lang: string) => JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')) as Record<string, { message: string; placeholders?: unknown }>;
  const en = load('en');
  const ko = load('ko');

  it('has the same keys in English and Korean', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });

  it('uses only positional substitutions, which the language override reproduces', () => {
    for (const [key, entry] of [...Object.entries(en), ...Object.entries(ko)]) {
      expect(entry.placeholders, key).toBeUndefined();
      expect(entry.message, key).not.toMatch(/\$[A-Za-z_]/);
    }
  });

  it('has a message for every key the pages and scripts use', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
    const used = new Set<string>();
    // Where message keys are written: the pages, the content script, and the enum → key maps.
    const sources = [...files('src/pages'), ...files('src/content'), 'src/shared/policy-text.ts'];
    for (const file of sources.filter((f) => /\.(ts|html)$/.test(f) && !f.endsWith('.test.ts'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/data-i18n="([A-Za-z]+)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/'((?:options|interstitial|profiles|popup)[A-Z][A-Za-z]+)'/g)) used.add(m[1]!);
    }
    const missing = [...used].filter((key) => !(key in en));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(150);
  });
});
