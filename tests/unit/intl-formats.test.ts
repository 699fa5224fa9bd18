/** Formatters are made once per language and options, and format as a new one would. */
import { describe, expect, it } from 'vitest';
import { dateTimeFormat, listFormat, LONG_UTC_DAY, longUnit, numberFormat, UNIT_LIST } from '../../src/shared/intl-formats';

describe('intl formats', () => {
  it('reuses one formatter per language and options', () => {
    expect(dateTimeFormat('en', LONG_UTC_DAY)).toBe(dateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }));
    expect(dateTimeFormat('en', LONG_UTC_DAY)).not.toBe(dateTimeFormat('ko', LONG_UTC_DAY));
    expect(numberFormat('en', longUnit('year'))).not.toBe(numberFormat('en', longUnit('month')));
  });

  it('formats exactly as a formatter made on the spot', () => {
    const day = Date.UTC(2025, 1, 6);
    for (const lang of ['en', 'ko']) {
      expect(dateTimeFormat(lang, LONG_UTC_DAY).format(day)).toBe(new Intl.DateTimeFormat(lang, LONG_UTC_DAY).format(day));
      expect(listFormat(lang, UNIT_LIST).format(['a', 'b'])).toBe(new Intl.ListFormat(lang, UNIT_LIST).format(['a', 'b']));
    }
    expect(dateTimeFormat('en', LONG_UTC_DAY).format(day)).toBe('February 6, 2025');
    expect(numberFormat('ko', longUnit('month')).format(9)).toBe('9개월');
  });
});
