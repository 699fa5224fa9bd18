/**
 * Everything a decision depends on, read fresh from storage: the policies
 * (shipped + custom), the user's settings, the administrator's policy, and
 * what applies when they are put together.
 */
import type { DecideOptions } from '../core/decision-types';
import { effectiveSettings, type EffectiveSettings } from '../shared/effective-settings';
import type { ManagedReport } from '../shared/managed-policy';
import type { Settings } from '../shared/settings';
import { loadManagedPolicy } from './managed';
import { loadPolicySet, type PolicySet } from './policy-set';
import { loadSettings } from './state';

export interface EffectiveState {
  policies: PolicySet;
  settings: Settings;
  managed: ManagedReport;
  effective: EffectiveSettings;
}

export async function loadEffectiveState(): Promise<EffectiveState> {
  const policies = await loadPolicySet();
  const [settings, managed] = await Promise.all([
    loadSettings(policies.knownOrganizations),
    loadManagedPolicy(policies.knownOrganizations),
  ]);
  return { policies, settings, managed, effective: effectiveSettings(settings, managed.policy) };
}

export function decideOptions(effective: EffectiveSettings): DecideOptions {
  return {
    enabledOrganizations: effective.enabledOrganizations,
    allowProceedOnBlock: effective.allowProceedOnBlock,
    allowProceedOnWarn: effective.allowProceedOnWarn,
  };
}
