import { describe, expect, it } from 'vitest';
import { parseMinutes } from './minutes';

describe('parseMinutes', () => {
  it('accepts whole numbers from 1 to 240', () => {
    expect(parseMinutes('1')).toBe(1);
    expect(parseMinutes(' 15 ')).toBe(15);
    expect(parseMinutes('240')).toBe(240);
  });

  it('refuses anything else rather than clamping it', () => {
    for (const raw of ['', '0', '241', '999', '-5', '1.5', '1e2', 'abc', '１５']) expect(parseMinutes(raw)).toBeNull();
  });
});
