/** One activity-log entry per stopped navigation, however often a page repeats it. */
import { describe, expect, it } from 'vitest';
import { ACTIVITY_LOG_CAP, appendEntry, type ActivityEntry } from '../../src/shared/activity-log';
import { WARNING_KEYS_CAP, WARNING_REPEAT_MS, admitWarning, readWarningsSeen, warningKey, type WarningsSeen } from '../../src/shared/warning-dedupe';

const HOST = 'chat.deepseek.com';

describe('admitWarning', () => {
  it('logs the first showing and not its repeats in the same tab', () => {
    let seen: WarningsSeen = {};
    const first = admitWarning(seen, warningKey(5, HOST), 1_000);
    expect(first.log).toBe(true);
    seen = first.seen;
    const again = admitWarning(seen, warningKey(5, HOST), 1_500);
    expect(again.log).toBe(false);
  });

  it('keeps a loop of any length to one entry: each repeat restarts the clock', () => {
    let seen: WarningsSeen = {};
    let logged = 0;
    // Every 10 s for an hour: each gap is shorter than the window.
    for (let t = 0; t < 3_600_000; t += 10_000) {
      const r = admitWarning(seen, warningKey(5, HOST), t);
      seen = r.seen;
      if (r.log) logged += 1;
    }
    expect(logged).toBe(1);
  });

  it('logs again once the tab has been quiet for the whole window', () => {
    const { seen } = admitWarning({}, warningKey(5, HOST), 0);
    expect(admitWarning(seen, warningKey(5, HOST), WARNING_REPEAT_MS - 1).log).toBe(false);
    expect(admitWarning(seen, warningKey(5, HOST), WARNING_REPEAT_MS).log).toBe(true);
  });

  it('keeps other tabs and other hosts apart', () => {
    const { seen } = admitWarning({}, warningKey(5, HOST), 0);
    expect(admitWarning(seen, warningKey(6, HOST), 1).log).toBe(true);
    expect(admitWarning(seen, warningKey(5, 'chatgpt.com'), 1).log).toBe(true);
  });

  it('treats a time before the last showing (the clock went back) as a repeat', () => {
    const { seen } = admitWarning({}, warningKey(5, HOST), 100_000);
    expect(admitWarning(seen, warningKey(5, HOST), 10).log).toBe(false);
  });

  it('forgets keys past the window and keeps the table bounded', () => {
    let seen: WarningsSeen = {};
    for (let i = 0; i < WARNING_KEYS_CAP * 3; i++) seen = admitWarning(seen, warningKey(i, HOST), i).seen;
    expect(Object.keys(seen)).toHaveLength(WARNING_KEYS_CAP);
    expect(seen[warningKey(WARNING_KEYS_CAP * 3 - 1, HOST)]).toBe(WARNING_KEYS_CAP * 3 - 1);
    const later = admitWarning(seen, warningKey(1, 'x.test'), WARNING_KEYS_CAP * 3 + WARNING_REPEAT_MS).seen;
    expect(Object.keys(later)).toEqual([warningKey(1, 'x.test')]);
  });

  it('a loop cannot push a proceed out of the capped log', () => {
    const proceed: ActivityEntry = { at: 0, event: 'proceeded', serviceId: 'deepseek', host: HOST, level: 'warn', organizations: ['khnp'], justification: 'client demo' };
    let log: ActivityEntry[] = [proceed];
    let seen: WarningsSeen = {};
    for (let i = 1; i <= ACTIVITY_LOG_CAP * 2; i++) {
      const r = admitWarning(seen, warningKey(9, HOST), i * 100);
      seen = r.seen;
      if (r.log) log = appendEntry(log, { ...proceed, at: i * 100, event: 'warning-shown', justification: undefined }).log;
    }
    expect(log).toHaveLength(2);
    expect(log[0]).toEqual(proceed);
  });
});

describe('readWarningsSeen', () => {
  it.each([undefined, null, 'x', 3, [1, 2]])('reads %j as nothing seen', (raw) => {
    expect(readWarningsSeen(raw)).toEqual({});
  });
  it('drops unusable values and keeps the rest', () => {
    expect(readWarningsSeen({ 'a|h': 5, 'b|h': 'x', 'c|h': Number.NaN, ['d'.repeat(500)]: 1 })).toEqual({ 'a|h': 5 });
  });
});
