/** A message cannot open a tab per message: at most OPEN_LIMIT a minute. */
import { describe, expect, it } from 'vitest';
import { admitTabOpen, OPEN_LIMIT, OPEN_WINDOW_MS, readOpenTimes } from '../../src/shared/tab-open-limit';

describe('admitTabOpen', () => {
  it('opens the first few, refuses the rest of a burst, and opens again once the window has passed', () => {
    let times: number[] = [];
    const opened: boolean[] = [];
    for (let i = 0; i < 100; i++) {
      const r = admitTabOpen(times, 1_000 + i);
      times = r.times;
      opened.push(r.open);
    }
    expect(opened.filter(Boolean)).toHaveLength(OPEN_LIMIT);
    expect(opened.slice(0, OPEN_LIMIT)).toEqual(Array(OPEN_LIMIT).fill(true));
    expect(admitTabOpen(times, 1_000 + OPEN_WINDOW_MS).open).toBe(true);
  });
  it('counts a time from a clock that went back against the limit', () => {
    expect(admitTabOpen([5_000, 5_000, 5_000], 4_000).open).toBe(false);
  });
  it.each([undefined, null, 'x', {}, [Number.NaN, 'a']])('reads %j as nothing opened', (raw) => {
    expect(readOpenTimes(raw)).toEqual([]);
  });
});
