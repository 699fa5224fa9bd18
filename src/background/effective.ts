/**
 * Everything a decision depends on, read fresh from storage: the policies
 * (shipped + custom), the user's settings, the administrator's policy, and
 * what applies when they are put together.
 */
import type { DecideOptions } from '../core/decision-types';
import { effectiveSettings, type EffectiveSettings } from '../shared/effective-settings';
import type { ManagedReport } from '../shared/managed-policy';
import type { Settings } from '../shared/settings';
import { browser } from '../platform/browser';
import { CUSTOM_POLICIES_KEY, NOTICE_RECORDS_KEY, SETTINGS_KEY } from '../shared/storage-keys';
import { loadManagedValues, readManaged } from './managed';
import { customPoliciesFrom, knownWithout, loadPolicySet, shippedBundle, type PolicySet } from './policy-set';
import { settingsFrom } from './state';
import { lifecycleViews, localDay, type NoticeLifecycleView } from '../core/notice-lifecycle';
import { noticeRecordsFrom, ownOrganizations } from './notice-records';

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
  // One read of what is stored locally, beside the managed policy: each storage
  // call is a round trip to the browser, and a woken worker answers after them.
  const [stored, { values, fallback, digest }] = await Promise.all([
    browser.storage.local.get([CUSTOM_POLICIES_KEY, NOTICE_RECORDS_KEY, SETTINGS_KEY]),
    loadManagedValues(),
  ]);
  const custom = await customPoliciesFrom(stored[CUSTOM_POLICIES_KEY]);
  const managed = readManaged(values, { bundle: shippedBundle, knownOrganizations: knownWithout(custom), fallback }, digest);
  const policies = await loadPolicySet(managed.policy.organizations, custom);
  const settings = await settingsFrom(stored[SETTINGS_KEY], policies.knownOrganizations);
  const notices = lifecycleViews(ownOrganizations(policies), noticeRecordsFrom(stored[NOTICE_RECORDS_KEY]), localDay(Date.now()));
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
