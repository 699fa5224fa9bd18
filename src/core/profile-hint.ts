/**
 * Before any profile is chosen, a person on DeepSeek is told nothing: no
 * organization of theirs is known. The hint says how many organizations in
 * the list restrict the service (warn or block, as each one wrote it, and
 * reported as done: the ministries that "either have limited or will limit
 * access" are not counted), and offers the list. It never stops anything. Pure.
 */
import type { PolicyBundle } from './policy-schema';
import { reportsRestriction } from './stance';

/** Organizations with at least one warn or block rule for this service reported in force, in bundle order. */
export function restrictingOrganizations(bundle: PolicyBundle, serviceId: string): string[] {
  const service = bundle.services.find((s) => s.id === serviceId);
  if (!service) return [];
  return bundle.organizations
    .filter((org) =>
      org.rules.some(
        (rule) =>
          reportsRestriction(rule.level, org.notices.find((n) => n.id === rule.notice)?.status ?? 'in-force') &&
          ('service' in rule.target ? rule.target.service === serviceId : rule.target.category === service.category),
      ),
    )
    .map((org) => org.id);
}

export interface ProfileHintState {
  /** Profiles in force (the person's and an administrator's). */
  enabledOrganizations: readonly string[];
  /** The person picked "Don't show this again". */
  off: boolean;
  /** Services the hint was already shown for in this browser session. */
  shownThisSession: readonly string[];
}

export type ProfileHint =
  /** Show it now: first time for this service in this session. */
  | { show: 'new'; count: number }
  /** Already shown this session: a page that shows it may keep it, no other page shows it. */
  | { show: 'shown'; count: number }
  | { show: 'no' };

export function profileHint(bundle: PolicyBundle, serviceId: string | null, state: ProfileHintState): ProfileHint {
  if (serviceId === null || state.off || state.enabledOrganizations.length > 0) return { show: 'no' };
  const count = restrictingOrganizations(bundle, serviceId).length;
  if (count === 0) return { show: 'no' };
  return { show: state.shownThisSession.includes(serviceId) ? 'shown' : 'new', count };
}
