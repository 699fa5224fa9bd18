/**
 * The local activity log: warnings shown and proceeds, with what the person
 * confirmed or the reason they gave. It stays in this browser's extension
 * storage; nothing is ever sent anywhere. Pure and zod-free (the options page
 * formats exports with it; settings.ts checks what was stored).
 */

/** Oldest entries are dropped past this many. */
export const ACTIVITY_LOG_CAP = 500;
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
}

/** The log with `entry` added at the end, the oldest dropped past `cap`. */
export function appendEntry(log: readonly ActivityEntry[], entry: ActivityEntry, cap = ACTIVITY_LOG_CAP): ActivityEntry[] {
  const next = [...log, entry];
  return next.length > cap ? next.slice(next.length - cap) : next;
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
      if (entry.event === 'warning-shown') row.shown += 1;
      else if (entry.event === 'proceeded') row.proceeded += 1;
      counts.set(organizationId, row);
    }
  }
  return [...counts.values()].sort(
    (a, b) => b.shown + b.proceeded - (a.shown + a.proceeded) || a.organizationId.localeCompare(b.organizationId),
  );
}

export const CSV_COLUMNS = ['time', 'event', 'service', 'host', 'level', 'organizations', 'statement', 'justification', 'approver', 'until', 'token', 'notice', 'notice_version'] as const;

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
