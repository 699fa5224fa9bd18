/**
 * Builds the verdict table (src/core/verdict-table.ts) with the decider
 * itself: the background's side, kept apart so the interstitial does not
 * load the decider and the rule compiler to read a table. Pure.
 */
import { decideForService, type Decider } from './decide';
import type { DecideOptions } from './decision-types';
import { interceptedServices } from './dnr';
import { isStoppingLevel } from './policy-enums';
import type { PolicyBundle } from './policy-schema';
import type { VerdictTable } from './verdict-table';
import { buildVerdictView, type VerdictView } from './verdict-view';

export interface VerdictTableInput<P> {
  bundle: PolicyBundle;
  decider: Decider;
  options: DecideOptions;
  page: P;
  /**
   * Services with a proceed exception standing: left out, so a page reached
   * for them asks the background, which knows when the exception ends.
   */
  excepted: ReadonlySet<string>;
}

/** JSON with object keys sorted, so equal content gives equal text whatever order it was built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * A 64-bit digest (two FNV-1a lanes with different seeds), in base 36. It
 * tells tables apart; it guards nothing against a forger, and needs not:
 * only the extension writes the table and the rules.
 */
export function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(36).padStart(7, '0') + (b >>> 0).toString(36).padStart(7, '0');
}

export function buildVerdictTable<P>(input: VerdictTableInput<P>): VerdictTable<P> {
  const { bundle, decider, options } = input;
  const intercepted = interceptedServices(bundle, options.enabledOrganizations, options.deviceContext);
  const verdicts: Record<string, VerdictView> = {};
  for (const service of bundle.services) {
    if (!intercepted.has(service.id) || input.excepted.has(service.id)) continue;
    const decision = decideForService(decider, service, options);
    if (decision !== null && isStoppingLevel(decision.level)) verdicts[service.id] = { ...buildVerdictView(bundle, decision), href: null, host: null };
  }
  const services = bundle.services.map((s) => ({ id: s.id, hosts: s.hosts }));
  const body = { services, verdicts, page: input.page };
  return { key: digest(canonicalJson(body)), ...body };
}

