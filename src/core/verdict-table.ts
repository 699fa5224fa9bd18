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
 *
 * Each citation, organization, notice and source is stored once, and the
 * verdicts refer to them by index: a category rule stops every service of its
 * category, and a table holding the notice in each verdict grew with every one
 * (15 copies of a large notice did not fit in storage.local).
 */
import { HostIndex } from './host-index';
import type { Notice, Service, Source } from './policy-schema';
import { normalizeUrl } from './url';
import type { CitationView, CitedRule, OrganizationSummary, VerdictView } from './verdict-view';

/** The URL query parameter that carries the table's key on the interstitial's address. */
export const VERDICT_KEY_PARAM = 'v';

/** A cited rule, its notice by index into `VerdictTable.notices`. */
export interface TableRule extends Omit<CitedRule, 'notice' | 'source'> {
  notice: number;
}

/** A citation, its organization by index into `VerdictTable.organizations`. */
export interface TableCitation extends Omit<CitationView, 'organization' | 'rules'> {
  organization: number;
  rules: TableRule[];
}

/** A verdict as stored: its citations by index into `VerdictTable.citations`; `href` and `host` are the address's, filled in on lookup. */
export interface TableVerdict extends Omit<VerdictView, 'citations' | 'href' | 'host'> {
  citations: number[];
}

export interface VerdictTable<P> {
  /** A digest of everything below: the redirect rules built with this table carry it. */
  key: string;
  /** Every catalog service's hosts, so an address finds the service exactly as the decider does. */
  services: Pick<Service, 'id' | 'hosts'>[];
  /** Every organization cited, once. */
  organizations: OrganizationSummary[];
  /** Every source cited, once. */
  sources: Source[];
  /** Every notice cited, once, with its source by index. */
  notices: { notice: Notice; source: number }[];
  /** Every citation (an organization and its rules that apply), once: most are the same for every service a category covers. */
  citations: TableCitation[];
  /** Service id → what applies to it, for the services the rules stop. */
  verdicts: Record<string, TableVerdict>;
  /** What the page shows beside the verdict (proceed time, the administrator's words…), the same for every service. */
  page: P;
}

/** `list[index]` when the table holds it (an own element, not an inherited or missing one). */
function at<T>(list: readonly T[], index: unknown): T {
  if (typeof index !== 'number' || !Array.isArray(list) || !Object.hasOwn(list, index)) throw new Error('no such entry');
  return list[index]!;
}

/** The verdict as the decider's view of it, its references resolved; throws on a reference the table lacks. */
function expand<P>(table: VerdictTable<P>, stored: TableVerdict): Omit<VerdictView, 'href' | 'host'> {
  const citations: CitationView[] = stored.citations.map((c) => at(table.citations, c)).map(({ organization, rules, ...citation }) => ({
    ...citation,
    organization: at(table.organizations, organization),
    rules: rules.map(({ notice, ...rule }) => {
      const cited = at(table.notices, notice);
      return { ...rule, notice: cited.notice, source: at(table.sources, cited.source) };
    }),
  }));
  return { ...stored, citations };
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
    const stored = table.verdicts[hit.serviceId];
    if (stored === undefined) return null;
    return { ...table.page, verdict: { ...expand(table, stored), href: url.href, host: url.host } };
  } catch {
    return null;
  }
}
