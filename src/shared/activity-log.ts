/**
 * The local activity log: warnings shown and proceeds, with what the person
 * confirmed or the reason they gave. It stays in this browser's extension
 * storage; nothing is ever sent anywhere. Pure and zod-free (the options page
 * formats exports with it; settings.ts checks what was stored).
 */

/** Entries kept at most; warnings are dropped first, oldest first (see appendEntry). */
export const ACTIVITY_LOG_CAP = 500;
/**
 * Warnings for one service, at one level, started from the same place, that
 * follow each other within this window are one entry with a count: a flood
 * across a domain's subdomains (gN.deepseek.com) or a page's popup loop is
 * one line, not 500.
 */
export const WARNING_MERGE_MS = 10 * 60_000;
export const MAX_JUSTIFICATION = 500;

/** `exception-granted`: a signed exception was accepted on this device (one entry per service it names). */
export type ActivityEvent = 'warning-shown' | 'proceeded' | 'exception-granted' | 'notice-acknowledged';
import type { ProceedStatement } from '../core/decision-types';

export type { ProceedStatement };

export interface ActivityEntry {
  /** Epoch ms. */
  at: number;
  event: ActivityEvent;
  serviceId: string;
  /** The host only: paths and queries can hold what people typed. */
  host: string;
  /** `none`: a signed exception for a service nothing stops yet. */
  level: 'block' | 'warn' | 'none';
  /** The organizations whose policy applied, strictest first. */
  organizations: string[];
  statement?: ProceedStatement;
  /** The person's reason, or for a signed exception the approver's. */
  justification?: string;
  /** A signed exception: who approved it, until when (epoch ms), and its token id (what a revocation names). */
  approver?: string;
  until?: number;
  tokenId?: string;
  /** `notice-acknowledged`: the notice (of `organizations[0]`) and the version the person saw. */
  noticeId?: string;
  noticeVersion?: string;
  /**
   * What started the navigation: the origin of the page it came from, when
   * the browser tells (a link, a script, a popup); absent when typed, opened
   * from a bookmark, or not told. Tells planted entries from the person's own.
   */
  initiator?: string;
  /**
   * The tab was opened by another page (window.open, a link to a new tab):
   * Chromium gives no initiating origin to a page a rule redirected, but
   * says which tab opened this one. Set only when true.
   */
  openedByPage?: true;
  /** A warning shown this many times in a row (2 or more; absent means once), the last at `lastAt`. */
  count?: number;
  lastAt?: number;
}

/** Entries the cap pushed out: how many, and when the last one went. */
export interface ActivityDrops {
  count: number;
  /** Epoch ms. */
  lastAt: number;
}

export interface AppendResult {
  log: ActivityEntry[];
  /** How many entries this append pushed out (0 or more). */
  dropped: number;
}

function sameWarning(a: ActivityEntry, b: ActivityEntry): boolean {
  return (
    a.event === 'warning-shown' && a.serviceId === b.serviceId && a.level === b.level && a.initiator === b.initiator && a.openedByPage === b.openedByPage
  );
}

/**
 * The log with `entry` added. A warning that repeats the last warning for its
 * service (same level, same initiator) within `mergeMs` of its last showing
 * adds to that entry's count instead. Past `cap`, warnings go first, oldest
 * first: a proceed and its reason, or a signed exception, is never pushed out
 * by warnings, only by more of its own kind than the cap holds.
 */
export function appendEntry(log: readonly ActivityEntry[], entry: ActivityEntry, cap = ACTIVITY_LOG_CAP, mergeMs = WARNING_MERGE_MS): AppendResult {
  if (entry.event === 'warning-shown') {
    for (let i = log.length - 1; i >= 0; i -= 1) {
      const earlier = log[i]!;
      // A proceed (or any other record) ends the run; other services' warnings are looked past.
      if (earlier.event !== 'warning-shown') break;
      if (earlier.serviceId !== entry.serviceId) continue;
      const last = earlier.lastAt ?? earlier.at;
      if (sameWarning(earlier, entry) && entry.at >= last && entry.at - last < mergeMs) {
        const next = [...log];
        next[i] = { ...earlier, count: (earlier.count ?? 1) + 1, lastAt: entry.at };
        return { log: next, dropped: 0 };
      }
      break;
    }
  }
  const next = [...log, entry];
  let excess = next.length - cap;
  if (excess <= 0) return { log: next, dropped: 0 };
  const dropped = excess;
  const kept: ActivityEntry[] = [];
  // Warnings first, oldest first.
  for (const e of next) {
    if (excess > 0 && e.event === 'warning-shown') excess -= 1;
    else kept.push(e);
  }
  return { log: excess > 0 ? kept.slice(excess) : kept, dropped };
}

/** The drops so far with `dropped` more at `now`. */
export function addDrops(drops: ActivityDrops | null, dropped: number, now: number): ActivityDrops | null {
  if (dropped <= 0) return drops;
  return { count: (drops?.count ?? 0) + dropped, lastAt: now };
}

/** Reads the stored drop count; anything unusable counts as none. */
export function readActivityDrops(raw: unknown): ActivityDrops | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { count, lastAt } = raw as { count?: unknown; lastAt?: unknown };
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0) return null;
  if (typeof lastAt !== 'number' || !Number.isFinite(lastAt)) return null;
  return { count, lastAt };
}

/**
 * The origin a navigation came from, as stored: http(s) only, the origin
 * alone (never a path). Null for anything else: typed, or not told.
 */
export function initiatorOrigin(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

export interface OrganizationActivity {
  organizationId: string;
  shown: number;
  proceeded: number;
}

/** Counts per organization, most active first. */
export function activityByOrganization(log: readonly ActivityEntry[]): OrganizationActivity[] {
  const counts = new Map<string, OrganizationActivity>();
  for (const entry of log) {
    for (const organizationId of entry.organizations) {
      const row = counts.get(organizationId) ?? { organizationId, shown: 0, proceeded: 0 };
      if (entry.event === 'warning-shown') row.shown += entry.count ?? 1;
      else if (entry.event === 'proceeded') row.proceeded += 1;
      counts.set(organizationId, row);
    }
  }
  return [...counts.values()].sort(
    (a, b) => b.shown + b.proceeded - (a.shown + a.proceeded) || a.organizationId.localeCompare(b.organizationId),
  );
}

export const CSV_COLUMNS = [
  'time',
  'event',
  'service',
  'host',
  'level',
  'organizations',
  'statement',
  'justification',
  'approver',
  'until',
  'token',
  'notice',
  'notice_version',
  'count',
  'last',
  'initiator',
] as const;

/**
 * One CSV field. Quoted when needed (RFC 4180); a field that a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe,
 * since a typed reason ends up in someone's spreadsheet.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function activityToCsv(log: readonly ActivityEntry[]): string {
  const rows = log.map((e) =>
    [
      new Date(e.at).toISOString(),
      e.event,
      e.serviceId,
      e.host,
      e.level,
      e.organizations.join(';'),
      e.statement ?? '',
      e.justification ?? '',
      e.approver ?? '',
      e.until === undefined ? '' : new Date(e.until).toISOString(),
      e.tokenId ?? '',
      e.noticeId ?? '',
      e.noticeVersion ?? '',
      String(e.count ?? 1),
      new Date(e.lastAt ?? e.at).toISOString(),
      e.initiator ?? (e.openedByPage ? 'opened-by-page' : ''),
    ]
      .map(csvField)
      .join(','),
  );
  // CRLF per RFC 4180; the BOM makes spreadsheet programs read Korean as UTF-8.
  return '\ufeff' + [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

export function activityToJson(log: readonly ActivityEntry[], exportedAt: number): string {
  return (
    JSON.stringify(
      {
        kind: 'ai-policy-guard/activity-log',
        version: 1,
        exportedAt: new Date(exportedAt).toISOString(),
        entries: log.map((e) => ({ ...e, time: new Date(e.at).toISOString() })),
      },
      null,
      2,
    ) + '\n'
  );
}
