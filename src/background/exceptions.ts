/**
 * The proceed exceptions that stand under the policy in force, read fresh
 * from storage.session and checked against the current decision each time.
 */
import { pruneExceptions } from '../core/decide';
import type { ProceedException } from '../core/decision-types';
import { exceptionsUnderPolicy, type ExceptionLimits } from '../core/exception-policy';
import type { EffectiveSettings } from '../shared/effective-settings';
import { decideOptions, type EffectiveState } from './effective';
import { loadGrantExceptions } from './signed-exceptions';
import { loadExceptions } from './state';

export function exceptionLimits(effective: EffectiveSettings): ExceptionLimits {
  return { proceedMinutes: effective.proceedMinutes, requireJustification: effective.requireJustification };
}

/** `current` as the policy in `state` lets it stand at `now`. */
export function standing(state: Pick<EffectiveState, 'policies' | 'effective'>, current: readonly ProceedException[], now: number): ProceedException[] {
  const { policies, effective } = state;
  return exceptionsUnderPolicy(policies.bundle, policies.decider, pruneExceptions(current, now), decideOptions(effective), exceptionLimits(effective), now);
}

/**
 * The stored proceed exceptions that still stand. Between a policy change and the
 * background's pass over the stored ones, this is what keeps a page from
 * being told it may stay open.
 */
export async function loadStandingProceeds(state: Pick<EffectiveState, 'policies' | 'effective'>, now: number): Promise<ProceedException[]> {
  return standing(state, await loadExceptions(now), now);
}

/** Everything that lets a stopped service through now: the person's proceeds and the signed exceptions. */
export async function loadStandingExceptions(state: Pick<EffectiveState, 'policies' | 'effective' | 'managed'>, now: number): Promise<ProceedException[]> {
  const [proceeds, grants] = await Promise.all([loadStandingProceeds(state, now), loadGrantExceptions(state, now)]);
  return [...proceeds, ...grants];
}
