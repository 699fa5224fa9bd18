/**
 * Which proceed exceptions may stand after the policy changed. An exception
 * lets a person past a warning for a while; if an administrator then turns
 * proceeding off (or a profile turned on makes the service blocked without a
 * way forward), the exception must end at once rather than run out its time.
 */
import type { Decider } from './decide';
import type { DecideOptions, ProceedException } from './decision-types';
import type { PolicyBundle } from './policy-schema';

/** A URL of the service, to ask the decider about it: the first catalog host. */
function sampleUrl(bundle: PolicyBundle, serviceId: string): string | null {
  const host = bundle.services.find((s) => s.id === serviceId)?.hosts[0]?.host;
  return host === undefined ? null : `https://${host}/`;
}

export function exceptionsStillAllowed(
  bundle: PolicyBundle,
  decider: Decider,
  exceptions: readonly ProceedException[],
  options: DecideOptions,
): ProceedException[] {
  return exceptions.filter((exception) => {
    const url = sampleUrl(bundle, exception.serviceId);
    // A service gone from the catalog has no rules left to except it from.
    if (url === null) return false;
    const decision = decider.decideForUrl(url, options);
    const stopping = decision.level === 'block' || decision.level === 'warn';
    return !stopping || decision.proceedAllowed;
  });
}
