/**
 * The background's side of the one gate (src/core/lowering-gate.ts): every
 * handler that lowers a decision asks `passGate` first, with what the
 * change would lower under the policy in force. A refusal is thrown, so it
 * crosses the message boundary as `{ ok: false, error }` and nothing is
 * stored or rebuilt.
 *
 * The paths and what they bring: proceedAnyway (the decision, the statement
 * ticked, the reason), setDeviceContext and updateSettings' device answer
 * (the stops the answer would lower), setProfileEnabled off, importCustomPolicies
 * and removeCustomOrganization (the stops of the organizations they replace
 * or remove), resetAll (the stops the reset would lower).
 */
import { decideForService } from '../core/decide';
import type { DecideOptions } from '../core/decision-types';
import { gateLowering, loweredStops, type GatePolicy, type LoweredStop, type LoweringRequest } from '../core/lowering-gate';
import { isStoppingLevel } from '../core/policy-enums';
import type { EffectiveSettings } from '../shared/effective-settings';
import { profilesKeptOnReset } from '../shared/policy-locks';
import { decideOptions, type EffectiveState } from './effective';

export function gatePolicyOf(effective: EffectiveSettings): GatePolicy {
  return {
    allowProceedOnBlock: effective.allowProceedOnBlock,
    allowProceedOnWarn: effective.allowProceedOnWarn,
    requireJustification: effective.requireJustification,
    // Locked and not held at "not said": the administrator answered it.
    deviceContextManaged: effective.deviceContextLocked && !effective.deviceContextHeld,
    heldOrganizations: [...profilesKeptOnReset(effective)],
  };
}

type State = Pick<EffectiveState, 'policies' | 'effective'>;

/** The stops that deciding with `after` instead of the options in force would lower, over the whole catalog. */
export function stopsLoweredBy(state: State, after: DecideOptions): LoweredStop[] {
  const { bundle, decider } = state.policies;
  const services = new Map(bundle.services.map((s) => [s.id, s]));
  const before = decideOptions(state.effective);
  return loweredStops(
    bundle.services.map((s) => s.id),
    (id) => decideForService(decider, services.get(id), before),
    (id) => decideForService(decider, services.get(id), after),
  );
}

/**
 * The stops that the given organizations make now: what replacing or removing
 * them could lower. Counted whole, whatever the new version says: the gate
 * only needs to know whose stops are at stake.
 */
export function stopsOfOrganizations(state: State, organizationIds: readonly string[]): LoweredStop[] {
  const ids = new Set(organizationIds);
  const options = decideOptions(state.effective);
  return state.policies.bundle.services.flatMap((service) => {
    const decision = decideForService(state.policies.decider, service, options);
    if (decision === null || !isStoppingLevel(decision.level)) return [];
    const organizations = decision.citations.filter((c) => ids.has(c.organizationId) && isStoppingLevel(c.level)).map((c) => c.organizationId);
    return organizations.length === 0 ? [] : [{ serviceId: service.id, from: decision.level, to: 'none' as const, organizations }];
  });
}

/** The gate's answer, or an Error named after the message kind that asked. */
export function passGate(kind: string, state: State, request: LoweringRequest) {
  const answer = gateLowering(request, gatePolicyOf(state.effective));
  if (!answer.ok) throw new Error(`${kind}: ${answer.error}`);
  return answer;
}
