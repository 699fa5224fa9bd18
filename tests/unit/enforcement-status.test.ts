/** The status page's text block: every fact on its own line, the private-window step per browser, rules checked against what the state compiles to. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { enforcementStatusText, privateWindowStepKey, rulesMatch, type EnforcementStatus } from '../../src/shared/enforcement-status';

const en = JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, { message: string }>;
const ko = JSON.parse(readFileSync('public/_locales/ko/messages.json', 'utf8')) as Record<string, { message: string }>;
const translate = (messages: Record<string, { message: string }>) => (key: string, subs: string[] = []) => {
  const entry = messages[key];
  if (!entry) throw new Error(`no message ${key}`);
  return entry.message.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
};
const time = (at: number) => new Date(at).toISOString();

const STATUS: EnforcementStatus = {
  readAt: Date.UTC(2026, 11, 2, 6, 0),
  version: '1.0.0',
  browser: 'chrome',
  installType: 'admin',
  managed: {
    present: true,
    keys: ['lockProfiles', 'requireJustification'],
    seenAt: Date.UTC(2026, 11, 2, 5, 0),
    problems: ['proceedMinutes: must be a whole number of minutes from 1 to 240, not 500; read as 240, the stricter choice'],
    fallback: { reason: 'admin-empty', detail: null, seenAt: Date.UTC(2026, 11, 2, 5, 0), restrictive: true },
  },
  profiles: [
    { id: 'kb-financial-group', name: 'KB Financial Group', setBy: 'policy' },
    { id: 'khnp', name: 'KHNP', setBy: 'you' },
  ],
  profilesLocked: true,
  device: { context: 'work', setBy: 'policy' },
  rules: { installed: 3, hosts: ['chat.deepseek.com', 'deepseek.com'], digest: 'abc', expected: 3, expectedDigest: 'abc' },
  privateWindows: false,
  preconnect: { wanted: false, state: 'not-wanted', error: null },
  sync: { at: Date.UTC(2026, 11, 2, 5, 59), reason: 'startup', error: null, dynamic: 3, session: 0 },
};

describe('enforcementStatusText', () => {
  it('writes every fact an administrator checks, one per line', () => {
    const text = enforcementStatusText(STATUS, translate(en), time);
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'AI Policy Guard 1.0.0, Chrome, status read 2026-12-02T06:00:00.000Z',
        'Installed by policy: yes (admin)',
        'Managed policy: 2 keys: lockProfiles, requireJustification',
        '  Fallback in force: admin-empty (the restrictive reading)',
        '  Problems: 1',
        '    - proceedMinutes: must be a whole number of minutes from 1 to 240, not 500; read as 240, the stricter choice',
        'Profiles in force: KB Financial Group [kb-financial-group] (set by policy); KHNP [khnp] (set by you)',
        '  All profiles locked: yes',
        'Device answer: work (set by policy)',
        'Rules installed: 3; digest abc',
        '  Rules the policy and settings compile to: 3; digest abc (match)',
        '  Hosts stopped (2): chat.deepseek.com, deepseek.com',
        'Private windows: NOT covered. To cover them: in chrome://extensions, open Details for AI Policy Guard and turn on "Allow in Incognito".',
        'Last rule sync: 2026-12-02T05:59:00.000Z (startup); no error',
      ]),
    );
  });

  it('says so when the installed rules are not what the state compiles to, and names the sync error', () => {
    const drifted = { ...STATUS, rules: { ...STATUS.rules, digest: 'zzz' }, sync: { ...STATUS.sync!, error: 'updateDynamicRules: quota' } };
    expect(rulesMatch(drifted)).toBe(false);
    const text = enforcementStatusText(drifted, translate(en), time);
    expect(text).toContain('(DO NOT MATCH)');
    expect(text).toContain('error: updateDynamicRules: quota');
    expect(rulesMatch({ ...STATUS, rules: { ...STATUS.rules, installed: 2 } })).toBe(false);
    expect(rulesMatch(STATUS)).toBe(true);
  });

  it('gives the one step for each browser, in both languages', () => {
    expect(privateWindowStepKey('chrome')).toBe('privateStepChrome');
    expect(privateWindowStepKey('firefox')).toBe('privateStepFirefox');
    const ff = enforcementStatusText({ ...STATUS, browser: 'firefox' }, translate(ko), time);
    expect(ff).toContain("about:addons에서 AI Policy Guard를 열고 '사생활 보호 창에서 실행'을 '허용'으로 설정하십시오.");
    expect(enforcementStatusText({ ...STATUS, privateWindows: true }, translate(en), time)).toContain('Private windows: covered\n');
  });
});
