/**
 * Everything a decision depends on, read fresh from storage: the policies
 * (shipped + custom), the user's settings, the administrator's policy, and
 * what applies when they are put together.
 */
import type { DecideOptions } from '../core/decision-types';
import { effectiveSettings, type EffectiveSettings } from '../shared/effective-settings';
import type { ManagedReport } from '../shared/managed-policy';
import type { Settings } from '../shared/settings';
import { loadManagedValues, readManaged } from './managed';
import { knownWithout, loadCustomPolicies, loadPolicySet, shippedBundle, type PolicySet } from './policy-set';
import { loadSettings } from './state';
import { lifecycleViews, localDay, type NoticeLifecycleView } from '../core/notice-lifecycle';
import { loadNoticeRecords, ownOrganizations } from './notice-records';

export interface EffectiveState {
  policies: PolicySet;
  settings: Settings;
  managed: ManagedReport;
  effective: EffectiveSettings;
  /** The administrator's and the person's own notices with a life cycle to show (src/core/notice-lifecycle.ts). */
  notices: NoticeLifecycleView[];
}

/**
 * Recomputed on every call from the managed policy and what is stored:
 * nothing kept in storage.local can override what the administrator set.
 */
export async function loadEffectiveState(): Promise<EffectiveState> {
  const [custom, { values, fallback }, records] = await Promise.all([loadCustomPolicies(), loadManagedValues(), loadNoticeRecords()]);
  const managed = readManaged(values, { bundle: shippedBundle, knownOrganizations: knownWithout(custom), fallback });
  const policies = await loadPolicySet(managed.policy.organizations, custom);
  const settings = await loadSettings(policies.knownOrganizations);
  const notices = lifecycleViews(ownOrganizations(policies), records, localDay(Date.now()));
  return { policies, settings, managed, effective: effectiveSettings(settings, managed.policy), notices };
}

export function decideOptions(effective: EffectiveSettings): DecideOptions {
  return {
    enabledOrganizations: effective.enabledOrganizations,
    allowProceedOnBlock: effective.allowProceedOnBlock,
    allowProceedOnWarn: effective.allowProceedOnWarn,
    deviceContext: effective.deviceContext,
  };
}
