/**
 * Intl formatters made once per language and options, then reused. Making
 * one costs far more than formatting with it (most of all the first in a
 * freshly started page process, where the warning is drawn after an idle
 * period), and a page formats the same kinds of dates and lists many times.
 */
const made = new Map<string, unknown>();

function once<T>(kind: string, lang: string, options: object, make: () => T): T {
  const key = `${kind}|${lang}|${JSON.stringify(options)}`;
  let formatter = made.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = make();
    made.set(key, formatter);
  }
  return formatter;
}

export const dateTimeFormat = (lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
  once('date', lang, options, () => new Intl.DateTimeFormat(lang, options));

export const numberFormat = (lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat =>
  once('number', lang, options, () => new Intl.NumberFormat(lang, options));

export const listFormat = (lang: string, options: Intl.ListFormatOptions): Intl.ListFormat =>
  once('list', lang, options, () => new Intl.ListFormat(lang, options));

/** A calendar day, spelled out, in UTC so no time zone shifts it ("February 6, 2025"). */
export const LONG_UTC_DAY: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeZone: 'UTC' };
/** Units joined as a length is ("1 year, 9 months"). */
export const UNIT_LIST: Intl.ListFormatOptions = { style: 'long', type: 'unit' };
export const longUnit = (unit: 'year' | 'month' | 'day'): Intl.NumberFormatOptions => ({ style: 'unit', unit, unitDisplay: 'long' });

