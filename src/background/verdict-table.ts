/**
 * The verdict table the rules are built with (src/core/verdict-table.ts),
 * from the same effective state the background decides with, so the page
 * that reads it shows what a getVerdict message would have answered.
 */
import type { ProceedException } from '../core/decision-types';
import { buildVerdictTable } from '../core/verdict-table-build';
import type { VerdictTable } from '../core/verdict-table';
import type { EffectiveSettings } from '../shared/effective-settings';
import type { VerdictPage } from '../shared/protocol';
import { decideOptions, type EffectiveState } from './effective';

export function verdictPageOf(effective: EffectiveSettings, notices: VerdictPage['notices']): VerdictPage {
  return {
    notices,
    proceedMinutes: effective.proceedMinutes,
    customMessage: effective.customMessage,
    approvedAlternative: effective.approvedAlternative,
    requireJustification: effective.requireJustification,
    deviceContext: effective.deviceContext,
    deviceContextLocked: effective.deviceContextLocked,
    deviceContextHeld: effective.deviceContextHeld,
  };
}

/** `exceptions`: the standing proceed exceptions; their services are left to the background. */
export function verdictTableOf(state: Pick<EffectiveState, 'policies' | 'effective' | 'notices'>, exceptions: readonly ProceedException[]): VerdictTable<VerdictPage> {
  const { policies, effective } = state;
  return buildVerdictTable({
    bundle: policies.bundle,
    decider: policies.decider,
    options: decideOptions(effective),
    page: verdictPageOf(effective, state.notices),
    excepted: new Set(exceptions.map((e) => e.serviceId)),
  });
}
