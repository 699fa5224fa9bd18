/**
 * What the rules are compiled from, read fresh: the policies in force, the
 * profiles and device answer that apply, the exceptions that stand, and the
 * verdict table built from the same state. The rule sync and the status page
 * read it the same way, so the digest the status page shows is of what the
 * sync would install.
 */
import { loadEffectiveState } from './effective';
import { loadStandingExceptions } from './exceptions';
import type { RuleInput } from './rules';
import { verdictTableOf } from './verdict-table';

export async function loadRuleInput(): Promise<RuleInput> {
  const state = await loadEffectiveState();
  const now = Date.now();
  // The person's proceeds that stand and the signed exceptions (src/background/exceptions.ts).
  const exceptions = await loadStandingExceptions(state, now);
  return {
    bundle: state.policies.bundle,
    enabledOrganizations: state.effective.enabledOrganizations,
    deviceContext: state.effective.deviceContext,
    exceptions,
    verdictTable: verdictTableOf(state, exceptions),
  };
}
