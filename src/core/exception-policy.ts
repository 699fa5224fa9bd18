/**
 * Which proceed exceptions may stand after the policy changed. An exception
 * is a deliberate, time-limited step past one decision: a person confirmed
 * "This is not for work" under KHNP's work-only warning, say. It does not
 * carry over to a stricter decision they never saw. It ends as soon as its
 * service's decision is stricter than the one it was granted under (a new
 * profile or a forced one cites the service, a warning became a block,
 * proceeding was turned off), when the proceed time is lowered below what it
 * has run, and when a reason becomes required and none was given.
 */
import { decideForService, type Decider } from './decide';
import type { DecideOptions, Decision, GrantedDecision, ProceedException } from './decision-types';
import { isStoppingLevel, levelRank } from './policy-enums';
import type { PolicyBundle } from './policy-schema';

/** What the person may proceed under, from the administrator's and their own settings. */
export interface ExceptionLimits {
  /** The proceed time now in force: no exception outlasts createdAt + this. */
  proceedMinutes: number;
  requireJustification: boolean;
}

/** The record kept with a new exception: the decision's level and who stopped the service. */
export function grantedDecisionOf(decision: Decision): GrantedDecision | null {
  if (!isStoppingLevel(decision.level)) return null;
  const organizations = decision.citations.flatMap((c) => (isStoppingLevel(c.level) ? [{ id: c.organizationId, level: c.level }] : []));
  return { level: decision.level, organizations };
}

/**
 * Whether `decision` is stricter than the one the exception was granted under.
 * A decision that no longer stops the service is not: the exception is then
 * simply not needed. Caution and notice citations stop nothing and count for nothing.
 */
export function isStricterThanGranted(granted: GrantedDecision, decision: Decision): boolean {
  if (!isStoppingLevel(decision.level)) return false;
  if (!decision.proceedAllowed) return true;
  if (levelRank(decision.level) > levelRank(granted.level)) return true;
  return decision.citations.some((c) => {
    if (!isStoppingLevel(c.level)) return false;
    const before = granted.organizations.find((o) => o.id === c.organizationId);
    return before === undefined || levelRank(c.level) > levelRank(before.level);
  });
}

/**
 * The exceptions that stand under the current policy, shortened to the
 * proceed time in force. Ended ones are left out; an exception's end is
 * only ever brought forward, never pushed back.
 */
export function exceptionsUnderPolicy(
  bundle: PolicyBundle,
  decider: Decider,
  exceptions: readonly ProceedException[],
  options: DecideOptions,
  limits: ExceptionLimits,
  now: number,
): ProceedException[] {
  const kept: ProceedException[] = [];
  for (const exception of exceptions) {
    const decision = decideForService(decider, bundle.services.find((s) => s.id === exception.serviceId), options);
    // A service gone from the catalog has no rules left to except it from.
    if (decision === null) continue;
    if (limits.requireJustification && !exception.justification?.trim()) continue;
    if (isStricterThanGranted(exception.granted, decision)) continue;
    const expiresAt = Math.min(exception.expiresAt, exception.createdAt + limits.proceedMinutes * 60_000);
    if (expiresAt <= now) continue;
    kept.push(expiresAt === exception.expiresAt ? exception : { ...exception, expiresAt });
  }
  return kept;
}
