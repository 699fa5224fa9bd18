import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PreconnectState } from './network-prediction';
import { isPreconnectProblem, preconnectMessageKey } from './preconnect-text';

const STATES: PreconnectState[] = ['off', 'needs-permission', 'on', 'on-elsewhere', 'refused-policy', 'refused-extension', 'unavailable'];
const messages = (lang: string) =>
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../public/_locales/${lang}/messages.json`), 'utf8')) as Record<string, unknown>;

describe('preconnectMessageKey', () => {
  it('says nothing anywhere while the protection is not asked for', () => {
    expect(preconnectMessageKey({ state: 'off', locked: false }, 'options')).toBeNull();
    expect(preconnectMessageKey({ state: 'off', locked: true }, 'popup')).toBeNull();
  });

  it('keeps the popup quiet when the protection holds', () => {
    for (const state of ['on', 'on-elsewhere'] as const) {
      expect(preconnectMessageKey({ state, locked: false }, 'popup')).toBeNull();
      expect(preconnectMessageKey({ state, locked: false }, 'options')).not.toBeNull();
    }
  });

  it("names the organization when the administrator asked and only the person's grant is missing", () => {
    expect(preconnectMessageKey({ state: 'needs-permission', locked: true }, 'options')).toBe('optionsPreconnectNeedsPermissionManaged');
    expect(preconnectMessageKey({ state: 'needs-permission', locked: true }, 'popup')).toBe('popupPreconnectNeedsPermissionManaged');
    expect(preconnectMessageKey({ state: 'needs-permission', locked: false }, 'popup')).toBe('popupPreconnectNeedsPermission');
  });

  it('has a popup line for every problem state, and only for those', () => {
    for (const state of STATES) {
      expect(preconnectMessageKey({ state, locked: false }, 'popup') !== null, state).toBe(isPreconnectProblem(state));
    }
  });

  it.each(['en', 'ko'])('names only keys that exist in %s', (lang) => {
    const table = messages(lang);
    for (const state of STATES) {
      for (const locked of [false, true]) {
        for (const surface of ['options', 'popup'] as const) {
          const key = preconnectMessageKey({ state, locked }, surface);
          if (key !== null) expect(table[key], `${lang}: ${key}`).toBeDefined();
        }
      }
    }
  });
});
