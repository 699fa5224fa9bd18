/**
 * How old the reported policy is, computed when it is shown: "Reported
 * February 6, 2025, 1 year, 9 months ago". Every organization's rules can
 * change after a newspaper reports them; the pages say when the report was
 * published and how long ago that is, never that it is still true.
 * Pure; callers pass the clock and their message lookup. The forms are
 * written out (day-formats.ts) rather than asked of Intl, whose first
 * formatter would hold up a warning drawn in a freshly started process.
 */
import { longDayText, unitListText, unitText } from './day-formats';
import type { UiLanguage } from './i18n';
import { dateTimeFormat, LONG_UTC_DAY } from './intl-formats';

export type Translate = (key: string, substitutions?: string[]) => string;

export interface CalendarAge {
  years: number;
  months: number;
  days: number;
}

function parseDay(isoDay: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  return match ? { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) } : null;
}

/**
 * Whole years, months and days from a calendar day to `now`'s calendar day
 * (UTC, so no time zone moves the day). A day in the future is age zero.
 */
export function calendarAge(isoDay: string, now: Date): CalendarAge | null {
  const from = parseDay(isoDay);
  if (!from) return null;
  const to = { y: now.getUTCFullYear(), m: now.getUTCMonth() + 1, d: now.getUTCDate() };
  const today = Date.UTC(to.y, to.m - 1, to.d);
  /** `from` moved on by whole months, on the same day of the month or that month's last day. */
  const after = (months: number): number => {
    const lastDay = new Date(Date.UTC(from.y, from.m - 1 + months + 1, 0)).getUTCDate();
    return Date.UTC(from.y, from.m - 1 + months, Math.min(from.d, lastDay));
  };
  let months = (to.y - from.y) * 12 + (to.m - from.m);
  if (months > 0 && after(months) > today) months -= 1;
  if (months < 0 || after(months) > today) return { years: 0, months: 0, days: 0 };
  const days = Math.round((today - after(months)) / 86_400_000);
  return { years: Math.floor(months / 12), months: months % 12, days };
}

/** "1 year, 9 months" / "1년 9개월"; under a month, in days. Null for today. */
export function formatAge(age: CalendarAge, lang: UiLanguage): string | null {
  const unit = (value: number, name: 'year' | 'month' | 'day') => unitText(lang, value, name);
  const parts: string[] = [];
  if (age.years > 0) parts.push(unit(age.years, 'year'));
  if (age.months > 0) parts.push(unit(age.months, 'month'));
  if (parts.length === 0 && age.days > 0) parts.push(unit(age.days, 'day'));
  if (parts.length === 0) return null;
  return unitListText(lang, parts);
}

/** A calendar day in the UI language, in UTC so no time zone shifts it. */
export function formatReportDay(isoDay: string, lang: UiLanguage): string {
  const day = parseDay(isoDay);
  if (!day) return isoDay;
  return longDayText(lang, day.y, day.m, day.d) ?? dateTimeFormat(lang, LONG_UTC_DAY).format(Date.UTC(day.y, day.m - 1, day.d));
}

/** "Reported February 6, 2025, 1 year, 9 months ago" in the UI language. */
export function reportedText(isoDay: string, now: Date, lang: UiLanguage, t: Translate): string {
  const day = formatReportDay(isoDay, lang);
  const age = calendarAge(isoDay, now);
  const span = age ? formatAge(age, lang) : null;
  return span === null ? t('dataAgeReportedToday', [day]) : t('dataAgeReported', [day, span]);
}
