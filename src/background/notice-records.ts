/**
 * What this browser remembers of the administrator's notices (src/core/notice-lifecycle.ts):
 * the version last seen, the one it replaced, and the one acknowledged, in storage.local.
 */
import { browser } from '../platform/browser';
import { nextNoticeRecords, type NoticeRecord, type NoticeRecords } from '../core/notice-lifecycle';
import type { CustomPolicies } from '../core/custom-organizations';
import { NOTICE_RECORDS_KEY } from '../shared/storage-keys';

function isRecord(raw: unknown): raw is NoticeRecord {
  const r = raw as Partial<NoticeRecord> | null;
  const words = (w: unknown) => Array.isArray(w) && w.length <= 20 && w.every((x) => typeof x === 'string');
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.version === 'string' &&
    words(r.words) &&
    Number.isInteger(r.seenAt) &&
    (r.previous === undefined || (typeof r.previous.version === 'string' && words(r.previous.words))) &&
    (r.acknowledged === undefined || typeof r.acknowledged === 'string')
  );
}

export async function loadNoticeRecords(): Promise<NoticeRecords> {
  return noticeRecordsFrom((await browser.storage.local.get(NOTICE_RECORDS_KEY))[NOTICE_RECORDS_KEY]);
}

/** loadNoticeRecords, from the value under NOTICE_RECORDS_KEY that the caller read. */
export function noticeRecordsFrom(raw: unknown): NoticeRecords {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  // An unreadable record is forgotten: the notice then counts as first seen.
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter((entry): entry is [string, NoticeRecord] => isRecord(entry[1])));
}

let writes: Promise<unknown> = Promise.resolve();

export function updateNoticeRecords(change: (current: NoticeRecords) => NoticeRecords): Promise<NoticeRecords> {
  const run = writes.then(async () => {
    const current = await loadNoticeRecords();
    const next = change(current);
    if (JSON.stringify(next) !== JSON.stringify(current)) await browser.storage.local.set({ [NOTICE_RECORDS_KEY]: next });
    return next;
  });
  writes = run.catch(() => undefined);
  return run;
}

/** The administrator's and the person's own organizations, whose notices have a life cycle. */
export function ownOrganizations(sets: { managed: CustomPolicies; custom: CustomPolicies }): CustomPolicies {
  const managedIds = new Set(sets.managed.organizations.map((o) => o.id));
  return {
    sources: [...sets.managed.sources, ...sets.custom.sources],
    organizations: [...sets.managed.organizations, ...sets.custom.organizations.filter((o) => !managedIds.has(o.id))],
  };
}

/** Notes the versions in force now: a changed one keeps the one before it. */
export function noteNoticeVersions(sets: { managed: CustomPolicies; custom: CustomPolicies }, now: number): Promise<NoticeRecords> {
  return updateNoticeRecords((current) => nextNoticeRecords(current, ownOrganizations(sets), now));
}
