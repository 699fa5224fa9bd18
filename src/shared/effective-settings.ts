/**
 * What applies: the user's settings with the administrator's policy on top.
 * Managed values override the user's; forced profiles are added to the
 * user's own (`enabledOrganizations` = user's ∪ forced). Pure and zod-free.
 */
import type { DeviceContext } from '../core/device-context';
import { deviceAnswerHeld } from '../core/lowering-gate';
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
  /**
   * Where this browser is: the administrator's answer; else "not said" while
   * the policy limits proceeding (the person's answer is then no way out,
   * see core/lowering-gate.ts); else the person's, else not said.
   */
  deviceContext: DeviceContext;
  /** The person cannot change it: the administrator answered it, or holds it at "not said". */
  deviceContextLocked: boolean;
  /** Held at "not said" by a policy that limits proceeding and does not say where this browser is. */
  deviceContextHeld: boolean;
}

export function effectiveSettings(user: Settings, managed: ManagedPolicy): EffectiveSettings {
  const forced = managed.enabledProfiles ?? [];
  const requireJustification = managed.requireJustification === true;
  const allowProceedOnBlock = managed.allowProceedOnBlock ?? true;
  const allowProceedOnWarn = managed.allowProceedOnWarn ?? true;
  const deviceContextHeld = deviceAnswerHeld({
    allowProceedOnBlock,
    allowProceedOnWarn,
    requireJustification,
    deviceContextManaged: managed.deviceContext !== undefined,
  });
  return {
    enabledOrganizations: [...new Set([...user.enabledOrganizations, ...forced])].sort(),
    forcedOrganizations: [...forced],
    profilesLocked: managed.lockProfiles === true,
    proceedMinutes: managed.proceedMinutes ?? user.proceedMinutes,
    proceedMinutesLocked: managed.proceedMinutes !== undefined,
    allowProceedOnBlock,
    allowProceedOnWarn,
    requireJustification,
    // A required reason is only ever kept in the log, so the log stays on.
    activityLog: requireJustification ? true : (managed.activityLog ?? user.activityLog),
    activityLogLocked: requireJustification || managed.activityLog !== undefined,
    customMessage: managed.customMessage ?? null,
    approvedAlternative: managed.approvedAlternative ?? null,
    deviceContext: managed.deviceContext ?? (deviceContextHeld ? 'unsaid' : (user.deviceContext ?? 'unsaid')),
    deviceContextLocked: managed.deviceContext !== undefined || deviceContextHeld,
    deviceContextHeld,
  };
}

/** Whether the user may change this profile's checkbox. */
export function isProfileLocked(effective: Pick<EffectiveSettings, 'profilesLocked' | 'forcedOrganizations'>, id: string): boolean {
  return effective.profilesLocked || effective.forcedOrganizations.includes(id);
}
