/**
 * One activity-log entry per stopped navigation. The interstitial reports
 * each time it is shown; a page that sends its tab to a banned site in a
 * loop (or reloads the interstitial) would otherwise fill the capped log with
 * copies and push the real entries, the proceeds and their reasons, out.
 *
 * A warning is keyed by tab and host (the log keeps only the host). Shown
 * again in the same tab for the same host while the last showing is less than
 * WARNING_REPEAT_MS old, it is the same stop, and the clock restarts: a loop
 * of any length is one entry. Pure and zod-free; the background keeps the
 * table in storage.session.
 */

export const WARNING_REPEAT_MS = 60_000;
/** Keys kept at most; the oldest are forgotten first. */
export const WARNING_KEYS_CAP = 200;

/** Key → epoch ms when that tab last showed a warning for that host. */
export type WarningsSeen = Record<string, number>;

export function warningKey(tabId: number | undefined, host: string): string {
  return `${tabId ?? '-'}|${host}`;
}

/** Reads the stored table; anything unusable counts as nothing seen. */
export function readWarningsSeen(raw: unknown): WarningsSeen {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const seen: WarningsSeen = {};
  for (const [key, at] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof at === 'number' && Number.isFinite(at) && key.length <= 400) seen[key] = at;
  }
  return seen;
}

/**
 * Whether a warning shown at `now` is a new entry for the log, and the table
 * to store. A clock that went back (a time in the future) counts as a repeat.
 */
export function admitWarning(
  seen: WarningsSeen,
  key: string,
  now: number,
  repeatMs = WARNING_REPEAT_MS,
  cap = WARNING_KEYS_CAP,
): { log: boolean; seen: WarningsSeen } {
  const last = seen[key];
  const log = last === undefined || now - last >= repeatMs;
  const kept = Object.entries(seen).filter(([k, at]) => k !== key && now - at < repeatMs);
  kept.sort((a, b) => b[1] - a[1]);
  const next: WarningsSeen = Object.fromEntries(kept.slice(0, Math.max(0, cap - 1)));
  next[key] = now;
  return { log, seen: next };
}
