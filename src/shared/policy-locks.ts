/**
 * What the administrator's policy holds in place, whatever a page shows:
 * the background asks these before it imports, removes, clears or resets.
 * Pure and zod-free.
 */
import type { EffectiveSettings } from './effective-settings';

type Locks = Pick<EffectiveSettings, 'forcedOrganizations' | 'profilesLocked' | 'enabledOrganizations'>;

/**
 * Why the policy keeps this organization as it is (to finish a sentence
 * after its id), or null when the user may change it. `managedIds` are the
 * administrator's own organizations.
 */
export function heldByPolicy(locks: Locks, managedIds: readonly string[], id: string): string | null {
  if (managedIds.includes(id)) return "comes from your organization's policy";
  if (locks.forcedOrganizations.includes(id)) return 'is turned on by your organization';
  if (locks.profilesLocked && locks.enabledOrganizations.includes(id)) return 'is locked on by your organization';
  return null;
}

/** The policy keeps the activity log: a reason is required, or `activityLog: true`. */
export function logHeldByPolicy(effective: Pick<EffectiveSettings, 'activityLog' | 'activityLogLocked'>): boolean {
  return effective.activityLog && effective.activityLogLocked;
}

/** The profiles a reset must leave on: the forced ones, and every one that is on while all are locked. */
export function profilesKeptOnReset(locks: Locks): Set<string> {
  return new Set(locks.profilesLocked ? locks.enabledOrganizations : locks.forcedOrganizations);
}
