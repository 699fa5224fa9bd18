/**
 * The English and Korean forms of a calendar day and of an age in years,
 * months or days, written out by hand. The first Intl formatter a freshly
 * started page process makes costs about 20 ms (its locale data is loaded
 * then), and the warning after an idle period is drawn in such a process, with
 * every citation's "Reported February 6, 2025, 1 year ago". These give exactly
 * what Intl gives for these two languages (tests/unit/day-formats.test.ts
 * compares them with Intl for every day, unit and list they produce). Pure.
 */
import type { UiLanguage } from './i18n';

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** 1234567 → "1,234,567", as both languages group digits. */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * "February 6, 2025" / "2025년 2월 6일" (Intl's `dateStyle: 'long'`); null
 * for what these forms do not cover (years before 1000 or after 9999, or not
 * a day of the calendar), which the caller leaves to Intl.
 */
export function longDayText(lang: UiLanguage, y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || y < 1000 || y > 9999 || !Number.isInteger(m) || m < 1 || m > 12 || !Number.isInteger(d) || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return lang === 'ko' ? `${y}년 ${m}월 ${d}일` : `${EN_MONTHS[m - 1]} ${d}, ${y}`;
}

const KO_UNITS = { year: '년', month: '개월', day: '일' } as const;

/** "1 year", "9 months" / "1년", "9개월" (Intl's long unit style); whole numbers of 0 or more. */
export function unitText(lang: UiLanguage, value: number, unit: 'year' | 'month' | 'day'): string {
  const n = grouped(value);
  return lang === 'ko' ? `${n}${KO_UNITS[unit]}` : `${n} ${unit}${value === 1 ? '' : 's'}`;
}

/** "1 year, 9 months" / "1년 9개월" (Intl's long unit list). */
export function unitListText(lang: UiLanguage, parts: readonly string[]): string {
  return parts.join(lang === 'ko' ? ' ' : ', ');
}
