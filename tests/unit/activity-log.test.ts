/** The local activity log: capped, readable after corruption, exported as CSV and JSON safely. */
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_LOG_CAP,
  activityByOrganization,
  activityToCsv,
  activityToJson,
  addDrops,
  appendEntry,
  initiatorOrigin,
  readActivityDrops,
  WARNING_MERGE_MS,
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
  const HOUR = 3_600_000;
  it('keeps the newest entries and drops the oldest past the cap, and says how many', () => {
    let log: ActivityEntry[] = [];
    let dropped = 0;
    // An hour apart: each is an entry of its own.
    for (let i = 0; i < ACTIVITY_LOG_CAP + 7; i++) {
      const r = appendEntry(log, entry(i * HOUR));
      log = r.log;
      dropped += r.dropped;
    }
    expect(log).toHaveLength(ACTIVITY_LOG_CAP);
    expect(dropped).toBe(7);
    expect(log[0]!.at).toBe(7 * HOUR);
    expect(log.at(-1)!.at).toBe((ACTIVITY_LOG_CAP + 6) * HOUR);
  });

  it('does not change the log it was given', () => {
    const log = [entry(1)];
    appendEntry(log, entry(2 * HOUR));
    appendEntry(log, entry(2));
    expect(log).toEqual([entry(1)]);
  });

  it('counts a warning repeated for the same service within the window, whatever the subdomain', () => {
    let log: ActivityEntry[] = [];
    for (let i = 0; i < 505; i++) log = appendEntry(log, entry(1_000 + i * 200, { host: `g${i}.deepseek.com` })).log;
    expect(log).toEqual([{ ...entry(1_000, { host: 'g0.deepseek.com' }), count: 505, lastAt: 1_000 + 504 * 200 }]);
  });

  it('a gap longer than the window, another level, another initiator or another service starts a new entry', () => {
    const first = appendEntry([], entry(0)).log;
    expect(appendEntry(first, entry(WARNING_MERGE_MS)).log).toHaveLength(2);
    expect(appendEntry(first, entry(WARNING_MERGE_MS - 1)).log).toHaveLength(1);
    expect(appendEntry(first, entry(5, { level: 'warn' })).log).toHaveLength(2);
    expect(appendEntry(first, entry(5, { initiator: 'http://planter.test' })).log).toHaveLength(2);
    expect(appendEntry(first, entry(5, { openedByPage: true })).log).toHaveLength(2);
    expect(appendEntry(first, entry(5, { serviceId: 'chatgpt', host: 'chatgpt.com' })).log).toHaveLength(2);
    // A clock that went back is not folded into an entry from its future.
    expect(appendEntry(appendEntry([], entry(100)).log, entry(50)).log).toHaveLength(2);
  });

  it('a proceed between two warnings ends the run: the warning after it is an entry of its own', () => {
    let log = appendEntry([], entry(0)).log;
    log = appendEntry(log, entry(10, { event: 'proceeded', justification: 'client demo' })).log;
    log = appendEntry(log, entry(20)).log;
    expect(log.map((e) => e.event)).toEqual(['warning-shown', 'proceeded', 'warning-shown']);
  });

  it('past the cap, warnings go first: a proceed and its reason stay, however many warnings follow', () => {
    const proceed = entry(0, { event: 'proceeded', level: 'warn', justification: 'client demo' });
    let log = appendEntry([], proceed).log;
    let dropped = 0;
    // Every warning an entry of its own (a service each, an hour apart): the worst case for the cap.
    for (let i = 1; i <= ACTIVITY_LOG_CAP * 2; i++) {
      const r = appendEntry(log, entry(i * HOUR, { serviceId: `s${i % 7}` }));
      log = r.log;
      dropped += r.dropped;
    }
    expect(log).toHaveLength(ACTIVITY_LOG_CAP);
    expect(log[0]).toEqual(proceed);
    expect(dropped).toBe(ACTIVITY_LOG_CAP + 1);
  });

  it('proceeds alone past the cap drop the oldest proceeds', () => {
    let log: ActivityEntry[] = [];
    for (let i = 0; i < ACTIVITY_LOG_CAP + 3; i++) log = appendEntry(log, entry(i, { event: 'proceeded' })).log;
    expect(log).toHaveLength(ACTIVITY_LOG_CAP);
    expect(log[0]!.at).toBe(3);
  });
});

describe('drops and initiators', () => {
  it('adds drops up with the time of the last', () => {
    expect(addDrops(null, 0, 5)).toBeNull();
    expect(addDrops(null, 3, 5)).toEqual({ count: 3, lastAt: 5 });
    expect(addDrops({ count: 3, lastAt: 5 }, 2, 9)).toEqual({ count: 5, lastAt: 9 });
  });
  it.each([undefined, null, 'x', {}, { count: 0, lastAt: 1 }, { count: 1.5, lastAt: 1 }, { count: 2, lastAt: 'x' }])('reads %j as no drops', (raw) => {
    expect(readActivityDrops(raw)).toBeNull();
  });
  it('keeps only the origin of an http(s) initiator', () => {
    expect(initiatorOrigin('https://planter.test/a/b?q=secret#x')).toBe('https://planter.test');
    expect(initiatorOrigin('http://g7.deepseek.com:8080/')).toBe('http://g7.deepseek.com:8080');
    for (const bad of [undefined, '', 'about:blank', 'chrome-extension://abc/x.html', 'javascript:alert(1)', 'not a url', 'x'.repeat(3000), 7]) {
      expect(initiatorOrigin(bad), String(bad)).toBeNull();
    }
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
    expect(csv.startsWith('\ufefftime,event,service,host,level,organizations,statement,justification,approver,until,token,notice,notice_version,count,last,initiator\r\n')).toBe(true);
    expect(csv).toContain('2025-02-06T01:02:03.000Z,proceeded,deepseek,chat.deepseek.com,block,kb-financial-group;khnp,responsibility,"고객 문의, ""긴급""",,,,,,1,2025-02-06T01:02:03.000Z,\r\n');
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
    expect(csv).toContain('2026-12-01T00:00:00.000Z,exception-granted,chatgpt,chatgpt.com,none,,,Translation pilot,Kim Minji,2027-01-31T14:59:59.000Z,Ab12Cd34Ef56,,,1,2026-12-01T00:00:00.000Z,\r\n');
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
