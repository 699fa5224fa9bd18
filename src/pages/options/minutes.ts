/** The proceed time as typed on the options page. Pure, for unit tests. */

// The same bounds as protocol.ts's updateSettings and settings.ts's schema.
export const MIN_MINUTES = 1;
export const MAX_MINUTES = 240;

/** The whole number of minutes typed, or null when it is not one from 1 to 240. */
export function parseMinutes(raw: string): number | null {
  const text = raw.trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const value = Number(text);
  return value >= MIN_MINUTES && value <= MAX_MINUTES ? value : null;
}
