/**
 * How often a message may open a tab. `openProfileList` comes from the note
 * on an AI site: a page that fakes clicks on it, or sends the message in a
 * loop through a compromised content script, must not open a tab per
 * message. At most OPEN_LIMIT tabs per OPEN_WINDOW_MS; the rest are refused.
 * Pure and zod-free; the background keeps the times in storage.session.
 */
export const OPEN_WINDOW_MS = 60_000;
export const OPEN_LIMIT = 3;

/** Reads the stored times; anything unusable counts as none. */
export function readOpenTimes(raw: unknown): number[] {
  return Array.isArray(raw) ? raw.filter((at): at is number => typeof at === 'number' && Number.isFinite(at)).slice(-OPEN_LIMIT) : [];
}

/**
 * Whether a tab may open at `now`, and the times to store. A time in the
 * future (a clock that went back) still counts against the limit.
 */
export function admitTabOpen(times: readonly number[], now: number, limit = OPEN_LIMIT, windowMs = OPEN_WINDOW_MS): { open: boolean; times: number[] } {
  const recent = times.filter((at) => now - at < windowMs);
  if (recent.length >= limit) return { open: false, times: recent };
  return { open: true, times: [...recent, now] };
}
