/**
 * The administrator's policy: each field checked on its own (a bad one is
 * ignored and reported, the rest applies), merged over the user's settings,
 * and the Chrome managed_schema kept in step with the reader.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { MANAGED_KEYS, readManagedPolicy } from '../../src/shared/managed-policy';
import { effectiveSettings, isProfileLocked } from '../../src/shared/effective-settings';
import { pickPartialText } from '../../src/shared/managed-types';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';

const bundle = loadPolicyBundle();
const known = new Set(['khnp', 'kakao', 'kb-financial-group', 'naver']);
const read = (raw: unknown) => readManagedPolicy(raw, { bundle, knownOrganizations: known });

describe('readManagedPolicy', () => {
  it('reads nothing from an absent or empty managed area', () => {
    const none = { present: false, policy: {}, problems: [], fallback: null };
    expect(read(undefined)).toEqual(none);
    expect(read(null)).toEqual(none);
    expect(read({})).toEqual(none);
  });

  it('reads a complete, valid policy', () => {
    const report = read({
      enabledProfiles: ['khnp', 'kakao', 'khnp'],
      lockProfiles: true,
      allowProceedOnBlock: false,
      allowProceedOnWarn: true,
      proceedMinutes: 30,
      customMessage: { en: 'Use Acme Assistant.', ko: 'Acme 어시스턴트를 쓰십시오.' },
      approvedAlternative: { url: 'https://assistant.acme.example/', label: { en: 'Acme Assistant' } },
      requireJustification: true,
      activityLog: true,
    });
    expect(report.problems).toEqual([]);
    expect(report.present).toBe(true);
    expect(report.policy).toEqual({
      enabledProfiles: ['kakao', 'khnp'],
      lockProfiles: true,
      allowProceedOnBlock: false,
      allowProceedOnWarn: true,
      proceedMinutes: 30,
      customMessage: { en: 'Use Acme Assistant.', ko: 'Acme 어시스턴트를 쓰십시오.' },
      approvedAlternative: { url: 'https://assistant.acme.example/', label: { en: 'Acme Assistant' } },
      requireJustification: true,
      activityLog: true,
    });
  });

  it('ignores and reports each bad field, and still applies the rest', () => {
    const report = read({
      enabledProfiles: ['khnp'],
      lockProfiles: 'yes',
      proceedMinutes: 0,
      approvedAlternative: { url: 'http://assistant.acme.example/' },
      customMessage: { en: 'Hello', fr: 'Bonjour' },
      allowProceedOnBlock: false,
      lokcProfiles: true,
    });
    // A lock of the wrong type is read as locked (the stricter choice), and reported.
    // proceedMinutes 0 is read as the minimum, locked (the stricter choice).
    expect(report.policy).toEqual({ enabledProfiles: ['khnp'], allowProceedOnBlock: false, lockProfiles: true, proceedMinutes: 1 });
    expect(report.problems).toHaveLength(5);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        'lockProfiles: must be true or false, not the string "yes"; read as true, the stricter choice',
        'proceedMinutes: must be a whole number of minutes from 1 to 240, not 0; read as 1, the stricter choice',
        expect.stringMatching(/^approvedAlternative\.url: must be an https:\/\/ URL \(ignored\)$/),
        expect.stringMatching(/^customMessage.*fr.*\(ignored\)$/),
        'lokcProfiles: not a setting this extension knows (ignored)',
      ]),
    );
  });

  it('keeps the known forced profiles and reports the unknown ones', () => {
    const report = read({ enabledProfiles: ['khnp', 'no-such-org', 'naver'] });
    expect(report.policy.enabledProfiles).toEqual(['khnp', 'naver']);
    expect(report.problems).toEqual(['enabledProfiles.1: unknown organization "no-such-org" (ignored)']);
  });

  it('refuses approved alternatives that are not https', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'http://example.com/', 'ftp://example.com/', 'not a url', '']) {
      const report = read({ approvedAlternative: { url, label: 'x' } });
      expect(report.policy.approvedAlternative, url).toBeUndefined();
      expect(report.problems, url).toHaveLength(1);
    }
  });

  it('accepts a plain string where a text in both languages is expected (Firefox policies.json)', () => {
    const report = read({ customMessage: 'Ask IT first.', approvedAlternative: { url: 'https://ai.acme.example/', label: 'Acme AI' } });
    expect(report.problems).toEqual([]);
    expect(report.policy.customMessage).toEqual({ en: 'Ask IT first.', ko: 'Ask IT first.' });
    expect(report.policy.approvedAlternative?.label).toEqual({ en: 'Acme AI', ko: 'Acme AI' });
  });

  it('refuses empty, blank and over-long texts', () => {
    expect(read({ customMessage: '   ' }).problems).toHaveLength(1);
    expect(read({ customMessage: {} }).problems[0]).toMatch(/needs "en" or "ko"/);
    expect(read({ customMessage: 'x'.repeat(1001) }).problems).toHaveLength(1);
    expect(read({ customMessage: 'x'.repeat(1000) }).problems).toEqual([]);
    expect(read({ approvedAlternative: { url: 'https://a.example/', label: 'x'.repeat(81) } }).problems).toHaveLength(1);
  });

  it('reads proceed times that are not whole minutes from 1 to 240 as the stricter whole number, and reports them', () => {
    const cases: [unknown, number][] = [[0, 1], [241, 240], [1.5, 1], [5.5, 5], [-1, 1], ['30', 30], ['5', 5], [' 7.9 ', 7], [null, 1], ['soon', 1], ['', 1], [[], 1], [{}, 1], [true, 1]];
    for (const [bad, read_] of cases) {
      const report = read({ proceedMinutes: bad });
      expect(report.policy.proceedMinutes, JSON.stringify(bad)).toBe(read_);
      expect(report.problems, JSON.stringify(bad)).toEqual([expect.stringMatching(new RegExp(`^proceedMinutes: must be a whole number .*; read as ${read_}, the stricter choice$`))]);
    }
    expect(read({ proceedMinutes: 240 }).policy.proceedMinutes).toBe(240);
    expect(read({ proceedMinutes: 240 }).problems).toEqual([]);
  });

  it('keeps the log on when a reason is required, and says so', () => {
    const report = read({ requireJustification: true, activityLog: false });
    expect(report.policy).toEqual({ requireJustification: true });
    expect(report.problems).toEqual(['activityLog: false conflicts with requireJustification: true; the log stays on (ignored)']);
  });

  it('survives hostile roots', () => {
    for (const raw of [42, 'policy', [], [{ lockProfiles: true }], true]) {
      const report = read(raw);
      expect(report.policy).toEqual({});
      expect(report.problems).toEqual(['(root): must be an object of policy settings']);
    }
    const proto = JSON.parse('{"__proto__": {"lockProfiles": true}, "constructor": 1, "toString": 2, "lockProfiles": false}') as unknown;
    const report = read(proto);
    expect(report.policy).toEqual({ lockProfiles: false });
    expect(report.problems).toEqual([
      '__proto__: not a setting this extension knows (ignored)',
      'constructor: not a setting this extension knows (ignored)',
      'toString: not a setting this extension knows (ignored)',
    ]);
    expect(({} as { lockProfiles?: boolean }).lockProfiles).toBeUndefined();
  });
});

describe('effectiveSettings', () => {
  const user: Settings = { ...DEFAULT_SETTINGS, enabledOrganizations: ['naver'], proceedMinutes: 10, activityLog: false };

  it('is the user settings when nothing is managed', () => {
    const e = effectiveSettings(user, {});
    expect(e).toMatchObject({
      enabledOrganizations: ['naver'],
      forcedOrganizations: [],
      profilesLocked: false,
      proceedMinutes: 10,
      proceedMinutesLocked: false,
      allowProceedOnBlock: true,
      allowProceedOnWarn: true,
      requireJustification: false,
      activityLog: false,
      activityLogLocked: false,
      customMessage: null,
      approvedAlternative: null,
    });
  });

  it("adds the forced profiles to the user's own and locks them", () => {
    const e = effectiveSettings(user, { enabledProfiles: ['khnp', 'naver'] });
    expect(e.enabledOrganizations).toEqual(['khnp', 'naver']);
    expect(isProfileLocked(e, 'khnp')).toBe(true);
    expect(isProfileLocked(e, 'naver')).toBe(true);
    expect(isProfileLocked(e, 'kakao')).toBe(false);
    expect(isProfileLocked(effectiveSettings(user, { lockProfiles: true }), 'kakao')).toBe(true);
  });

  it('lets managed values override the user', () => {
    const e = effectiveSettings(user, { proceedMinutes: 5, activityLog: true, allowProceedOnWarn: false });
    expect(e).toMatchObject({ proceedMinutes: 5, proceedMinutesLocked: true, activityLog: true, activityLogLocked: true, allowProceedOnWarn: false });
  });

  it('turns the log on and locks it when a reason is required', () => {
    expect(effectiveSettings(user, { requireJustification: true })).toMatchObject({ activityLog: true, activityLogLocked: true });
  });
});

describe('pickPartialText', () => {
  it('falls back to the other language', () => {
    expect(pickPartialText({ en: 'A' }, 'ko')).toBe('A');
    expect(pickPartialText({ ko: '가' }, 'en')).toBe('가');
    expect(pickPartialText({ en: 'A', ko: '가' }, 'ko')).toBe('가');
    expect(pickPartialText(null, 'en')).toBeNull();
  });
});

describe('public/managed-schema.json (Chrome)', () => {
  const schema = JSON.parse(readFileSync('public/managed-schema.json', 'utf8')) as {
    type: string;
    properties: Record<string, Record<string, unknown>>;
    additionalProperties?: unknown;
  };

  it('is an object schema with no additionalProperties at the top, as Chrome requires', () => {
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBeUndefined();
  });

  it('declares exactly the keys the extension reads', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...MANAGED_KEYS].sort());
  });

  it('gives every schema exactly one type (Chrome refuses type unions)', () => {
    const visit = (node: Record<string, unknown>, path: string): void => {
      expect(typeof node.type, path).toBe('string');
      for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) visit(child, `${path}.${key}`);
      if (node.items) visit(node.items as Record<string, unknown>, `${path}[]`);
    };
    visit(schema as unknown as Record<string, unknown>, '(root)');
  });

  it('is named by the manifest', () => {
    const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as { storage?: { managed_schema?: string } };
    expect(manifest.storage?.managed_schema).toBe('managed-schema.json');
  });
});

describe('README policy examples', () => {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/<!-- policy-example: (\w+) -->\s*```json\n([\s\S]*?)```/g)].map((m) => ({
    kind: m[1],
    json: JSON.parse(m[2] ?? '') as Record<string, unknown>,
  }));
  const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as { browser_specific_settings: { gecko: { id: string } } };
  // The shipped profiles: an example forcing on an id that does not exist would mislead administrators.
  const reallyKnown = new Set(bundle.organizations.map((o) => o.id));

  it('has a Chrome, a Firefox and an organizations example', () => {
    expect(blocks.map((b) => b.kind).sort()).toEqual(['chrome', 'firefox', 'organizations']);
  });

  it("the organizations example brings its own organization, forced on, with no problem", () => {
    const example = blocks.find((b) => b.kind === 'organizations')!.json as { '3rdparty': { extensions: Record<string, unknown> } };
    const [policy] = Object.values(example['3rdparty'].extensions);
    const report = readManagedPolicy(policy, { bundle, knownOrganizations: reallyKnown });
    expect(report.problems).toEqual([]);
    expect(report.policy.enabledProfiles).toEqual(['acme-heavy']);
    expect(report.policy.organizations?.organizations[0]?.notices[0]?.url).toBe('https://intranet.acme-heavy.example/circulars/2025-117');
  });

  it('Chrome: 3rdparty.extensions.<id> holds a policy that reads with no problem', () => {
    const chrome = blocks.find((b) => b.kind === 'chrome')!.json as { '3rdparty': { extensions: Record<string, unknown> } };
    const [policy] = Object.values(chrome['3rdparty'].extensions);
    const report = readManagedPolicy(policy, { bundle, knownOrganizations: reallyKnown });
    expect(report.problems).toEqual([]);
    expect(report.present).toBe(true);
  });

  it("Firefox: policies.3rdparty.Extensions names the extension's gecko id", () => {
    const firefox = blocks.find((b) => b.kind === 'firefox')!.json as { policies: { '3rdparty': { Extensions: Record<string, unknown> } } };
    const extensions = firefox.policies['3rdparty'].Extensions;
    expect(Object.keys(extensions)).toEqual([manifest.browser_specific_settings.gecko.id]);
    expect(readManagedPolicy(extensions[manifest.browser_specific_settings.gecko.id], { bundle, knownOrganizations: reallyKnown }).problems).toEqual([]);
  });
});
