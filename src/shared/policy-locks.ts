/**
 * What the administrator's policy holds in place, whatever a page shows:
 * the background asks these before it imports, removes, clears or resets.
 * Pure and zod-free.
 */
import type { EffectiveSettings } from './effective-settings';
import type { CustomPolicies } from '../core/custom-organizations';

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

/**
 * The sources an import would replace that an organization the policy holds
 * cites: its publisher, headline and date are what its warnings show, so an
 * import may not reword them. A source repeated exactly as it stands is no
 * replacement and passes. One `sources.N.id: …` line per refusal.
 */
export function heldSourceConflicts(
  imported: Pick<CustomPolicies, 'sources'>,
  current: Pick<CustomPolicies, 'sources' | 'organizations'>,
  isHeld: (organizationId: string) => boolean,
): string[] {
  const citedBy = new Map<string, string>();
  for (const org of current.organizations) {
    if (!isHeld(org.id)) continue;
    for (const notice of org.notices) if (!citedBy.has(notice.source)) citedBy.set(notice.source, org.id);
  }
  const standing = new Map(current.sources.map((s) => [s.id, JSON.stringify(s)]));
  return imported.sources.flatMap((source, i) => {
    const holder = citedBy.get(source.id);
    if (holder === undefined || standing.get(source.id) === JSON.stringify(source)) return [];
    return [`sources.${i}.id: "${source.id}" is cited by "${holder}", which your organization holds; an import cannot replace it`];
  });
}
