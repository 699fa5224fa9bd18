/**
 * An administrator's own organizations are the person's employer speaking on
 * this machine: among citations of equal strictness they come first, before
 * the profiles a person chose. The decider cites in bundle order after
 * strictness, so this moves them to the front of the bundle. Pure.
 */
import type { PolicyBundle } from './policy-schema';

export function administratorFirst(bundle: PolicyBundle, administratorIds: ReadonlySet<string>): PolicyBundle {
  if (administratorIds.size === 0) return bundle;
  const theirs = bundle.organizations.filter((o) => administratorIds.has(o.id));
  if (theirs.length === 0) return bundle;
  return { ...bundle, organizations: [...theirs, ...bundle.organizations.filter((o) => !administratorIds.has(o.id))] };
}
