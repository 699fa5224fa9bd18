/**
 * The zod-free readers the service worker uses on its start path must agree
 * with the zod schemas they stand in for: whatever they accept, zod accepts
 * with the same result; whatever they refuse goes to zod, which decides.
 */
import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS, readCommonEnvelope } from '../../src/shared/protocol-kinds';
import { parseEnvelope, requestSchemas } from '../../src/shared/protocol';
import { MAX_URL_LENGTH } from '../../src/shared/limits';
import { DEFAULT_SETTINGS, readActivityLog, readExceptions, readSettings } from '../../src/shared/settings';
import { readActivityLogFast, readCurrentSettings, readExceptionsFast } from '../../src/shared/stored-fast';

const known = new Set(['kb-financial-group', 'naver', 'samsung-electronics']);

describe('readCommonEnvelope', () => {
  it('knows every message kind protocol.ts has a schema for, and no other', () => {
    expect([...MESSAGE_KINDS].sort()).toEqual(Object.keys(requestSchemas).sort());
  });

  const messages: unknown[] = [
    { kind: 'getVerdict', request: { url: 'https://chat.deepseek.com/' } },
    { kind: 'getVerdict', request: { url: '' } },
    { kind: 'getVerdict', request: { url: 'x'.repeat(MAX_URL_LENGTH) } },
    { kind: 'getVerdict', request: { url: 'x'.repeat(MAX_URL_LENGTH + 1) } },
    { kind: 'getVerdict', request: { url: 42 } },
    { kind: 'getVerdict', request: { url: 'https://a/', extra: 1 } },
    { kind: 'getVerdict', request: {} },
    { kind: 'getVerdict', request: null },
    { kind: 'getVerdict', request: ['https://a/'] },
    { kind: 'getVerdict' },
    { kind: 'getVerdict', request: { url: 'https://a/' }, extra: true },
    { kind: 'recordWarningShown', request: { url: 'https://chat.deepseek.com/' } },
    { kind: 'getProfiles', request: {} },
    { kind: 'getProfiles', request: { all: true } },
    { kind: 'getSettings', request: {} },
    { kind: 'getPreconnectStatus', request: {} },
    { kind: 'getActivityLog', request: {} },
    { kind: 'clearActivityLog', request: {} },
    { kind: 'resetAll', request: {} },
    { kind: 'resetAll', request: { confirmed: true } },
    { kind: 'setProfileEnabled', request: { organizationId: 'naver', enabled: true } },
    { kind: 'proceedAnyway', request: { url: 'https://a/', acknowledged: true } },
    { kind: 'noSuchKind', request: {} },
    { kind: 'toString', request: {} },
    { kind: '__proto__', request: {} },
    { kind: 7, request: {} },
    'getProfiles',
    null,
    undefined,
    [],
    Object.assign(Object.create({ inherited: 1 }), { kind: 'getProfiles', request: {} }),
    { kind: 'getProfiles', request: Object.create({ url: 'https://a/' }) },
  ];

  it.each(messages.map((m, i) => [i, m] as const))('message %i: accepted only when zod accepts it, with the same request', (_i, message) => {
    const fast = readCommonEnvelope(message);
    const full = parseEnvelope(message);
    if (fast !== null) {
      expect(full.ok).toBe(true);
      if (full.ok) expect(fast).toEqual(full.envelope);
    }
  });

  it('takes the fast path for the requests a warning page and the popup send', () => {
    expect(readCommonEnvelope({ kind: 'getVerdict', request: { url: 'https://chat.deepseek.com/' } })).not.toBeNull();
    expect(readCommonEnvelope({ kind: 'recordWarningShown', request: { url: 'https://chat.deepseek.com/' } })).not.toBeNull();
    expect(readCommonEnvelope({ kind: 'getProfiles', request: {} })).not.toBeNull();
    expect(readCommonEnvelope({ kind: 'getSettings', request: {} })).not.toBeNull();
  });
});

describe('stored values: fast readers agree with settings.ts', () => {
  const settings: unknown[] = [
    DEFAULT_SETTINGS,
    { ...DEFAULT_SETTINGS, enabledOrganizations: ['naver', 'kb-financial-group', 'naver', 'gone-org'], onboarded: true },
    { ...DEFAULT_SETTINGS, uiLanguage: 'ko', proceedMinutes: 240, activityLog: false },
    { ...DEFAULT_SETTINGS, proceedMinutes: 0 },
    { ...DEFAULT_SETTINGS, proceedMinutes: 1.5 },
    { ...DEFAULT_SETTINGS, uiLanguage: 'fr' },
    { ...DEFAULT_SETTINGS, enabledOrganizations: ['Not An Id'] },
    { ...DEFAULT_SETTINGS, extra: 1 },
    { version: 1, enabledOrganizations: ['naver'], proceedMinutes: 15, onboarded: true },
    'garbage',
    null,
    [],
  ];
  it.each(settings.map((s, i) => [i, s] as const))('settings %i', (_i, raw) => {
    const fast = readCurrentSettings(raw, known);
    if (fast !== null) expect(fast).toEqual(readSettings(raw, known).value);
  });
  it('reads current, well-formed settings without zod', () => {
    expect(readCurrentSettings(DEFAULT_SETTINGS, known)).toEqual(DEFAULT_SETTINGS);
    expect(readCurrentSettings({ ...DEFAULT_SETTINGS, enabledOrganizations: ['naver', 'gone-org'] }, known)?.enabledOrganizations).toEqual(['naver']);
  });

  const now = 1_800_000_000_000;
  const exceptions: unknown[] = [
    undefined,
    [],
    [{ serviceId: 'deepseek', createdAt: now - 1000, expiresAt: now + 1000 }],
    [{ serviceId: 'deepseek', createdAt: now - 1000, expiresAt: now - 1 }],
    [{ serviceId: 'deepseek', createdAt: now + 1000, expiresAt: now + 2000 }],
    [{ serviceId: '', createdAt: 0, expiresAt: 1 }],
    [{ serviceId: 'deepseek', createdAt: -1, expiresAt: 1 }],
    [{ serviceId: 'deepseek', createdAt: 0, expiresAt: 1, extra: true }],
    [{ serviceId: 'deepseek', createdAt: now - 1000, expiresAt: now + 1000, granted: { level: 'warn', organizations: [{ id: 'khnp', level: 'warn' }] } }],
    [
      {
        serviceId: 'deepseek',
        createdAt: now - 1000,
        expiresAt: now + 1000,
        granted: { level: 'block', organizations: [] },
        statement: 'not-for-work',
        justification: 'a reason',
      },
    ],
    [{ serviceId: 'deepseek', createdAt: now - 1000, expiresAt: now + 1000, granted: { level: 'caution', organizations: [] } }],
    [{ serviceId: 'deepseek', createdAt: now - 1000, expiresAt: now + 1000, granted: { level: 'warn', organizations: [{ id: 'khnp' }] } }],
    [{ serviceId: 'deepseek', createdAt: now - 1000, expiresAt: now + 1000, granted: { level: 'warn', organizations: [] }, statement: 'x' }],
    'garbage',
  ];
  it.each(exceptions.map((e, i) => [i, e] as const))('exceptions %i', (_i, raw) => {
    const fast = readExceptionsFast(raw, now);
    if (fast !== null) expect(fast).toEqual(readExceptions(raw, now).value);
  });

  it('reads an exception with the decision it was granted under without the full reader', () => {
    const granted = { serviceId: 'deepseek', createdAt: now - 1000, expiresAt: now + 1000, granted: { level: 'warn', organizations: [{ id: 'khnp', level: 'warn' }] }, statement: 'not-for-work' };
    expect(readExceptionsFast([granted], now)).toEqual([granted]);
  });

  const entry = { at: now, event: 'warning-shown', serviceId: 'deepseek', host: 'chat.deepseek.com', level: 'block', organizations: ['naver'] };
  const logs: unknown[] = [
    undefined,
    [],
    [entry],
    [{ ...entry, event: 'proceeded', statement: 'responsibility', justification: 'a reason' }],
    [{ ...entry, statement: 'whatever' }],
    [{ ...entry, host: '' }],
    [{ ...entry, extra: 1 }],
    [{ ...entry, justification: 'x'.repeat(501) }],
    Array.from({ length: 600 }, (_, i) => ({ ...entry, at: i })),
    { not: 'a list' },
  ];
  it.each(logs.map((l, i) => [i, l] as const))('activity log %i', (_i, raw) => {
    const fast = readActivityLogFast(raw, 500);
    const full = readActivityLog(raw);
    if (fast !== null) {
      expect(full.recovered).toBeNull();
      expect(fast).toEqual(full.value);
    }
  });
  it('reads a well-formed log without zod', () => {
    expect(readActivityLogFast([entry], 500)).toEqual([entry]);
  });
});
