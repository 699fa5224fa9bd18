/**
 * The verdicts the redirect rules stand for, precompiled beside them, so the
 * interstitial can draw the complete warning without waking the background.
 *
 * The background builds a table from the same state it compiles the rules
 * from, stores it, and puts the table's key in every redirect's address
 * (`…/index.html?v=<key>#<url>`). A page that arrives with a key finds the
 * verdict of the rule that sent it there: it matches the address against
 * every catalog host with the decider's own HostIndex and takes the
 * precomputed decision of that service. A missing table, another key, a
 * service the table has no verdict for: the page asks the background instead.
 * This module is the page's side (the lookup); verdict-table-build.ts is the
 * background's. Pure: no storage, no browser API.
 */
import { HostIndex } from './host-index';
import type { Service } from './policy-schema';
import { normalizeUrl } from './url';
import type { VerdictView } from './verdict-view';

/** The URL query parameter that carries the table's key on the interstitial's address. */
export const VERDICT_KEY_PARAM = 'v';

export interface VerdictTable<P> {
  /** A digest of everything below: the redirect rules built with this table carry it. */
  key: string;
  /** Every catalog service's hosts, so an address finds the service exactly as the decider does. */
  services: Pick<Service, 'id' | 'hosts'>[];
  /** Service id → what applies to it, for the services the rules stop; `href` and `host` filled in per address. */
  verdicts: Record<string, VerdictView>;
  /** What the page shows beside the verdict (proceed time, the administrator's words…), the same for every service. */
  page: P;
}

/**
 * The verdict for `raw` from `table`, or null when the table cannot say
 * (not a checkable address, not a service it holds a verdict for). Never throws.
 */
export function lookupVerdict<P>(table: VerdictTable<P>, raw: string): (P & { verdict: VerdictView }) | null {
  try {
    const url = normalizeUrl(raw);
    if (url === null) return null;
    const hit = new HostIndex(table.services).lookup(url.host);
    if (hit === null || !Object.hasOwn(table.verdicts, hit.serviceId)) return null;
    const verdict = table.verdicts[hit.serviceId];
    if (verdict === undefined) return null;
    return { ...table.page, verdict: { ...verdict, href: url.href, host: url.host } };
  } catch {
    return null;
  }
}
