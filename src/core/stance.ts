/**
 * What a rule says, in words the article supports: its level (how hard the
 * extension stops a page) read together with its notice's status (what was
 * actually reported). The six ministries that "either have limited or will
 * limit access" are stopped like a block, but are never said to have
 * blocked; a measure under consideration, a watch or an inquiry is a note,
 * never a rule that "applies". Pure: pages, the content script and the
 * claims ledger (scripts/claims.ts) all word a rule from this.
 */
import { levelRank, type Level } from './policy-enums';
import type { NoticeStatus, PolicyBundle } from './policy-schema';

export type Stance =
  /** A block reported as in force or announced. */
  | 'block'
  /** Stopped like a block, but the source says "either have limited or will limit". */
  | 'limit'
  /** Banned for work tasks (warn). */
  | 'work-ban'
  /** A caution: what was reported, worded as a report (LG U+'s own request is in its reminder). */
  | 'caution'
  /** Not a rule: considering, monitoring, an inquiry, a guideline naming no service. */
  | 'note';

/** Statuses that report no rule at all: never "applies", never "policy". */
export const NOTE_STATUSES: readonly NoticeStatus[] = ['considering', 'monitoring', 'inquiry'];

export const isNoteStatus = (status: NoticeStatus): boolean => NOTE_STATUSES.includes(status);

export function ruleStance(level: Level, status: NoticeStatus): Stance {
  if (isNoteStatus(status) || level === 'notice') return 'note';
  if (level === 'caution') return 'caution';
  if (status === 'limited-or-will-limit') return 'limit';
  return level === 'block' ? 'block' : 'work-ban';
}

/** The strongest words first: what a card says when one organization has several rules here. */
const STANCE_ORDER: readonly Stance[] = ['block', 'work-ban', 'limit', 'caution', 'note'];

export interface StancedRule {
  /** The level on this device. */
  level: Level;
  writtenLevel: Level;
  notice: { status: NoticeStatus };
}

/**
 * The stance of a citation at its level: among the rules at that level, the
 * strongest words any of them supports. A citation lowered to a notice on
 * one's own device is a note here (its rule is for another place).
 */
export function citationStance(level: Level, rules: readonly StancedRule[]): Stance {
  const atLevel = rules.filter((rule) => rule.level === level);
  const stances = atLevel.map((rule) => (rule.level === rule.writtenLevel ? ruleStance(rule.writtenLevel, rule.notice.status) : 'note'));
  for (const stance of STANCE_ORDER) if (stances.includes(stance)) return stance;
  return ruleStance(level, 'in-force');
}

/**
 * The verdict's headline stance: a block is called a block only when at least
 * one organization at the verdict's level reported one in force.
 */
export function verdictStance(level: Level, citations: readonly { level: Level; rules: readonly StancedRule[] }[]): Stance {
  const top = citations.filter((c) => c.level === level).map((c) => citationStance(c.level, c.rules));
  for (const stance of STANCE_ORDER) if (top.includes(stance)) return stance;
  return ruleStance(level, 'in-force');
}

/** Whether a rule, as written, stops a service in words the source supports (the profile hint's count). */
export function reportsRestriction(level: Level, status: NoticeStatus): boolean {
  const stance = ruleStance(level, status);
  return (stance === 'block' || stance === 'work-ban') && levelRank(level) >= levelRank('warn');
}

/**
 * Whether the organizations a proceed past a block was granted under only
 * "either have limited or will limit" access to this service: the statement
 * the person ticked said so, and the exception list repeats it in those words.
 */
export function grantedPastLimitOnly(
  bundle: Pick<PolicyBundle, 'services' | 'organizations'>,
  serviceId: string,
  organizations: readonly { id: string; level: Level }[],
): boolean {
  const category = bundle.services.find((s) => s.id === serviceId)?.category;
  const statuses = organizations
    .filter((granted) => granted.level === 'block')
    .flatMap((granted) => {
      const org = bundle.organizations.find((o) => o.id === granted.id);
      if (!org) return [];
      return org.rules
        .filter((r) => r.level === 'block' && ('service' in r.target ? r.target.service === serviceId : r.target.category === category))
        .map((r) => org.notices.find((n) => n.id === r.notice)?.status ?? 'in-force');
    });
  return statuses.length > 0 && statuses.every((status) => status === 'limited-or-will-limit');
}
