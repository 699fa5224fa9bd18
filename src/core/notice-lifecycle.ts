/**
 * Notices that change over time. An administrator's own notice (managed
 * `organizations`, or a custom organization) may carry a version, the first
 * day it applies (`effective`) and the last (`expires`). Before its first
 * day it is upcoming and after its last it has expired: either way its rules
 * stop nothing, and the notice is shown for what it is. When the version in
 * force changes (the administrator's own, or the digest of its words), the
 * warning and the popup say "Updated on …" and show what changed; where the
 * notice asks for it, each person acknowledges the new version once.
 * Pure: dates are the browser's local calendar days, handed in.
 */
import type { CustomPolicies } from './custom-organizations';
import type { Notice, OrganizationPolicy } from './policy-schema';

export type NoticePhase = 'upcoming' | 'in-effect' | 'expired';

export function noticePhase(notice: Pick<Notice, 'effective' | 'expires'>, today: string): NoticePhase {
  if (notice.effective !== undefined && today < notice.effective) return 'upcoming';
  if (notice.expires !== undefined && today > notice.expires) return 'expired';
  return 'in-effect';
}

/** YYYY-MM-DD of an instant in the local time zone. */
export function localDay(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The organizations with only the rules whose notice applies `today`; notices are all kept, to be shown. */
export function rulesInEffect(policies: CustomPolicies, today: string): CustomPolicies {
  let changed = false;
  const organizations = policies.organizations.map((org): OrganizationPolicy => {
    const dormant = new Set(org.notices.filter((n) => noticePhase(n, today) !== 'in-effect').map((n) => n.id));
    if (dormant.size === 0) return org;
    changed = true;
    return { ...org, rules: org.rules.filter((rule) => !dormant.has(rule.notice)) };
  });
  return changed ? { ...policies, organizations } : policies;
}

/** The next day on which some notice starts or stops applying, after `today`; null when none will. */
export function nextPhaseChange(policies: CustomPolicies, today: string): string | null {
  const days = policies.organizations.flatMap((org) =>
    org.notices.flatMap((n) => [n.effective, n.expires === undefined ? undefined : dayAfter(n.expires)].filter((d): d is string => d !== undefined && d > today)),
  );
  return days.length === 0 ? null : days.sort()[0]!;
}

function dayAfter(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return localDay(new Date(y, m - 1, d + 1, 12).getTime());
}

/** FNV-1a, 32 bits: a short, stable name for a notice's words (not a security measure). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The words a person reads: what a derived version follows. */
export function noticeWords(notice: Notice): string[] {
  return [...(notice.title ? [notice.title.text] : []), ...notice.quotes.map((q) => q.text)];
}

/** The administrator's version, or one derived from the notice's words and status. */
export function noticeVersion(notice: Notice): string {
  if (notice.version !== undefined) return notice.version;
  return `#${fnv1a(JSON.stringify([noticeWords(notice), notice.quotes.map((q) => q.ko ?? ''), notice.status, notice.url ?? '']))}`;
}

/** What this browser remembers of one notice: the version last seen, the one before, and the one acknowledged. */
export interface NoticeRecord {
  version: string;
  words: string[];
  /** Epoch ms the current version was first seen here. */
  seenAt: number;
  previous?: { version: string; words: string[] };
  acknowledged?: string;
}

export type NoticeRecords = Record<string, NoticeRecord>;

export const noticeKey = (organizationId: string, noticeId: string): string => `${organizationId}/${noticeId}`;

/** At most this many words kept per version (the warning shows what changed, not an archive). */
const MAX_WORDS = 20;
const MAX_WORD_LENGTH = 2000;

/**
 * The records after seeing `policies` at `now`: a notice seen for the first
 * time is remembered as it is (nothing to call an update); a new version
 * keeps the one before it, to show what changed, and asks again.
 */
export function nextNoticeRecords(records: NoticeRecords, policies: CustomPolicies, now: number): NoticeRecords {
  // A notice gone from the policy keeps its record: back again, it is not new, nor its acknowledgement lost.
  const next: NoticeRecords = { ...records };
  for (const org of policies.organizations) {
    for (const notice of org.notices) {
      const key = noticeKey(org.id, notice.id);
      const version = noticeVersion(notice);
      const words = noticeWords(notice).slice(0, MAX_WORDS).map((w) => w.slice(0, MAX_WORD_LENGTH));
      const before = Object.hasOwn(records, key) ? records[key] : undefined;
      if (before === undefined) next[key] = { version, words, seenAt: now };
      else if (before.version === version) next[key] = before;
      else next[key] = { version, words, seenAt: now, previous: { version: before.version, words: before.words } };
    }
  }
  return next;
}

/** One notice's life cycle as the warning, the popup and the options page show it. */
export interface NoticeLifecycleView {
  organizationId: string;
  noticeId: string;
  version: string;
  phase: NoticePhase;
  effective: string | null;
  expires: string | null;
  /** Epoch ms this version was first seen here, when it replaced another. */
  updatedAt: number | null;
  /** The words before and now, when it replaced another version. */
  before: string[] | null;
  after: string[] | null;
  /** The notice asks to be acknowledged, and this version has not been yet. */
  acknowledgeNeeded: boolean;
}

/** The views of every notice that has a life cycle to show (dates, an update, an acknowledgement). */
export function lifecycleViews(policies: CustomPolicies, records: NoticeRecords, today: string): NoticeLifecycleView[] {
  return policies.organizations.flatMap((org) =>
    org.notices.flatMap((notice) => {
      const record = records[noticeKey(org.id, notice.id)];
      const version = noticeVersion(notice);
      const current = record?.version === version ? record : undefined;
      const updated = current?.previous !== undefined;
      const phase = noticePhase(notice, today);
      const acknowledgeNeeded = notice.acknowledge === true && phase === 'in-effect' && current?.acknowledged !== version;
      if (!updated && !acknowledgeNeeded && notice.effective === undefined && notice.expires === undefined && notice.version === undefined) return [];
      return [
        {
          organizationId: org.id,
          noticeId: notice.id,
          version,
          phase,
          effective: notice.effective ?? null,
          expires: notice.expires ?? null,
          updatedAt: updated ? current!.seenAt : null,
          before: updated ? current!.previous!.words : null,
          after: updated ? current!.words : null,
          acknowledgeNeeded,
        },
      ];
    }),
  );
}
