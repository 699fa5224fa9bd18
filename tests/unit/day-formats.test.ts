/**
 * The hand-written day and age forms say exactly what Intl says in English
 * and Korean, for every day of the years a report can carry, every unit count
 * an age can have, and the lists an age is made of.
 */
import { describe, expect, it } from 'vitest';
import { calendarAge, formatAge, formatReportDay } from '../../src/shared/data-age';
import { longDayText, unitListText, unitText } from '../../src/shared/day-formats';

const LANGS = ['en', 'ko'] as const;
const LONG_UTC_DAY: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeZone: 'UTC' };

describe('day and age forms', () => {
  it('spell every calendar day as Intl does (dateStyle long, UTC)', () => {
    for (const lang of LANGS) {
      const intl = new Intl.DateTimeFormat(lang, LONG_UTC_DAY);
      for (const y of [1000, 1999, 2000, 2023, 2024, 2025, 2026, 2100, 9999]) {
        for (let t = Date.UTC(y, 0, 1); t < Date.UTC(y + 1, 0, 1); t += 86_400_000) {
          const day = new Date(t);
          expect(longDayText(lang, y, day.getUTCMonth() + 1, day.getUTCDate())).toBe(intl.format(t));
        }
      }
    }
  });

  it('leave to Intl what they do not cover, and still say it as Intl does', () => {
    for (const lang of LANGS) {
      expect(longDayText(lang, 999, 1, 1)).toBeNull();
      expect(longDayText(lang, 2025, 2, 29)).toBeNull();
      expect(longDayText(lang, 2025, 13, 1)).toBeNull();
      expect(formatReportDay('0999-02-06', lang)).toBe(new Intl.DateTimeFormat(lang, LONG_UTC_DAY).format(Date.UTC(999, 1, 6)));
      expect(formatReportDay('2025-02-06', lang)).toBe(new Intl.DateTimeFormat(lang, LONG_UTC_DAY).format(Date.UTC(2025, 1, 6)));
    }
  });

  it('count years, months and days as Intl does (long unit style)', () => {
    for (const lang of LANGS) {
      for (const unit of ['year', 'month', 'day'] as const) {
        const intl = new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' });
        for (const value of [...Array.from({ length: 400 }, (_, i) => i), 999, 1000, 1001, 12_345, 1_234_567]) {
          expect(unitText(lang, value, unit)).toBe(intl.format(value));
        }
      }
    }
  });

  it('join an age as Intl does (long unit list), for every age from a day to 30 years', () => {
    const from = '2025-02-06';
    for (const lang of LANGS) {
      const list = new Intl.ListFormat(lang, { style: 'long', type: 'unit' });
      const unit = (value: number, u: 'year' | 'month' | 'day') => new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay: 'long' }).format(value);
      expect(unitListText(lang, ['A'])).toBe(list.format(['A']));
      expect(unitListText(lang, ['A', 'B'])).toBe(list.format(['A', 'B']));
      expect(unitListText(lang, ['A', 'B', 'C'])).toBe(list.format(['A', 'B', 'C']));
      for (let t = Date.UTC(2025, 1, 7); t < Date.UTC(2055, 1, 7); t += 86_400_000 * 7) {
        const age = calendarAge(from, new Date(t))!;
        const parts: string[] = [];
        if (age.years > 0) parts.push(unit(age.years, 'year'));
        if (age.months > 0) parts.push(unit(age.months, 'month'));
        if (parts.length === 0 && age.days > 0) parts.push(unit(age.days, 'day'));
        expect(formatAge(age, lang)).toBe(parts.length === 0 ? null : list.format(parts));
      }
    }
  });
});
