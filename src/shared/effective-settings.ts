/**
 * What applies: the user's settings with the administrator's policy on top.
 * Managed values override the user's; forced profiles are added to the
 * user's own (`enabledOrganizations` = user's ∪ forced). Pure and zod-free.
 */
import type { DeviceContext } from '../core/device-context';
import type { Settings } from './settings';
import type { ApprovedAlternative, ManagedPolicy, PartialText } from './managed-types';

export interface EffectiveSettings {
  /** The user's profiles and the forced ones, sorted, without duplicates. */
  enabledOrganizations: string[];
  /** Turned on by the administrator: the user cannot turn them off. */
  forcedOrganizations: string[];
  /** No profile can be changed by the user. */
  profilesLocked: boolean;
  proceedMinutes: number;
  proceedMinutesLocked: boolean;
  allowProceedOnBlock: boolean;
  allowProceedOnWarn: boolean;
  requireJustification: boolean;
  activityLog: boolean;
  activityLogLocked: boolean;
  customMessage: PartialText | null;
  approvedAlternative: ApprovedAlternative | null;
  /** Where this browser is: the administrator's answer, else the person's, else not said. */
  deviceContext: DeviceContext;
  deviceContextLocked: boolean;
}

export function effectiveSettings(user: Settings, managed: ManagedPolicy): EffectiveSettings {
  const forced = managed.enabledProfiles ?? [];
  const requireJustification = managed.requireJustification === true;
  return {
    enabledOrganizations: [...new Set([...user.enabledOrganizations, ...forced])].sort(),
    forcedOrganizations: [...forced],
    profilesLocked: managed.lockProfiles === true,
    proceedMinutes: managed.proceedMinutes ?? user.proceedMinutes,
    proceedMinutesLocked: managed.proceedMinutes !== undefined,
    allowProceedOnBlock: managed.allowProceedOnBlock ?? true,
    allowProceedOnWarn: managed.allowProceedOnWarn ?? true,
    requireJustification,
    // A required reason is only ever kept in the log, so the log stays on.
    activityLog: requireJustification ? true : (managed.activityLog ?? user.activityLog),
    activityLogLocked: requireJustification || managed.activityLog !== undefined,
    customMessage: managed.customMessage ?? null,
    approvedAlternative: managed.approvedAlternative ?? null,
    deviceContext: managed.deviceContext ?? user.deviceContext ?? 'unsaid',
    deviceContextLocked: managed.deviceContext !== undefined,
  };
}

/** Whether the user may change this profile's checkbox. */
export function isProfileLocked(effective: Pick<EffectiveSettings, 'profilesLocked' | 'forcedOrganizations'>, id: string): boolean {
  return effective.profilesLocked || effective.forcedOrganizations.includes(id);
}
