/** The local activity log: capped, readable after corruption, exported as CSV and JSON safely. */
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_LOG_CAP,
  activityByOrganization,
  activityToCsv,
  activityToJson,
  appendEntry,
  csvField,
  type ActivityEntry,
} from '../../src/shared/activity-log';
import { readActivityLog } from '../../src/shared/settings';

const entry = (at: number, overrides: Partial<ActivityEntry> = {}): ActivityEntry => ({
  at,
  event: 'warning-shown',
  serviceId: 'deepseek',
  host: 'chat.deepseek.com',
  level: 'block',
  organizations: ['kb-financial-group'],
  ...overrides,
});

describe('appendEntry', () => {
  it('keeps the newest entries and drops the oldest past the cap', () => {
    let log: ActivityEntry[] = [];
    for (let i = 0; i < ACTIVITY_LOG_CAP + 7; i++) log = appendEntry(log, entry(i));
    expect(log).toHaveLength(ACTIVITY_LOG_CAP);
    expect(log[0]!.at).toBe(7);
    expect(log.at(-1)!.at).toBe(ACTIVITY_LOG_CAP + 6);
  });

  it('does not change the log it was given', () => {
    const log = [entry(1)];
    appendEntry(log, entry(2));
    expect(log).toHaveLength(1);
  });
});

describe('readActivityLog', () => {
  it('drops unreadable entries one by one and keeps the rest in order', () => {
    const { value, recovered } = readActivityLog([entry(1), { at: 'x' }, entry(2), null, entry(3, { justification: 'x'.repeat(501) })]);
    expect(value.map((e) => e.at)).toEqual([1, 2]);
    expect(recovered).toBe('activityLog: 3 unreadable entries dropped');
  });

  it('clears a log that is not a list, and reads nothing as empty', () => {
    expect(readActivityLog({ entries: [] })).toEqual({ value: [], recovered: 'activityLog: unreadable, cleared' });
    expect(readActivityLog(undefined)).toEqual({ value: [], recovered: null });
  });
});

describe('activityByOrganization', () => {
  it('counts warnings shown and proceeds per organization, most active first', () => {
    const rows = activityByOrganization([
      entry(1),
      entry(2, { event: 'proceeded', organizations: ['kb-financial-group', 'khnp'] }),
      entry(3, { organizations: ['khnp'] }),
      entry(4, { organizations: ['khnp'] }),
    ]);
    expect(rows).toEqual([
      { organizationId: 'khnp', shown: 2, proceeded: 1 },
      { organizationId: 'kb-financial-group', shown: 1, proceeded: 1 },
    ]);
  });
});

describe('CSV export', () => {
  it('quotes what needs quoting', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvField(`${lead}1`).replace(/^"/, '')).toMatch(/^'/);
  });

  it('writes a header and one row per entry, with a BOM and CRLF', () => {
    const csv = activityToCsv([
      entry(Date.UTC(2025, 1, 6, 1, 2, 3), { event: 'proceeded', statement: 'responsibility', justification: '고객 문의, "긴급"', organizations: ['kb-financial-group', 'khnp'] }),
    ]);
    expect(csv.startsWith('\ufefftime,event,service,host,level,organizations,statement,justification,approver,until,token,notice,notice_version\r\n')).toBe(true);
    expect(csv).toContain('2025-02-06T01:02:03.000Z,proceeded,deepseek,chat.deepseek.com,block,kb-financial-group;khnp,responsibility,"고객 문의, ""긴급""",,,,,\r\n');
  });

  it('writes who approved a signed exception, until when, and its token id', () => {
    const csv = activityToCsv([
      entry(Date.UTC(2026, 11, 1, 0, 0, 0), {
        event: 'exception-granted',
        serviceId: 'chatgpt',
        host: 'chatgpt.com',
        level: 'none',
        organizations: [],
        justification: 'Translation pilot',
        approver: 'Kim Minji',
        until: Date.UTC(2027, 0, 31, 14, 59, 59),
        tokenId: 'Ab12Cd34Ef56',
      }),
    ]);
    expect(csv).toContain('2026-12-01T00:00:00.000Z,exception-granted,chatgpt,chatgpt.com,none,,,Translation pilot,Kim Minji,2027-01-31T14:59:59.000Z,Ab12Cd34Ef56,,\r\n');
  });
});

describe('JSON export', () => {
  it('is a self-describing document with ISO times', () => {
    const json = JSON.parse(activityToJson([entry(0)], Date.UTC(2025, 1, 6))) as { kind: string; exportedAt: string; entries: { time: string }[] };
    expect(json.kind).toBe('ai-policy-guard/activity-log');
    expect(json.exportedAt).toBe('2025-02-06T00:00:00.000Z');
    expect(json.entries[0]!.time).toBe('1970-01-01T00:00:00.000Z');
  });
});
