/**
 * Builds the verdict table (src/core/verdict-table.ts) with the decider
 * itself: the background's side, kept apart so the interstitial does not
 * load the decider and the rule compiler to read a table. Pure.
 */
import { decideForService, type Decider } from './decide';
import type { DecideOptions } from './decision-types';
import { interceptedServices } from './dnr';
import { measureJson } from './json-size';
import { isStoppingLevel } from './policy-enums';
import { STORAGE_BUDGET } from './policy-limits';
import type { Notice, PolicyBundle, Source } from './policy-schema';
import type { TableCitation, TableVerdict, VerdictTable } from './verdict-table';
import { buildVerdictView, type OrganizationSummary } from './verdict-view';

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
 * only the extension writes the table and the rules (in Chrome content
 * scripts cannot write storage.local; in Firefox, where they can, the
 * warning page does not read the table).
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

/** Keeps each distinct thing once (by what `idOf` says of it) and answers its index. */
function interner<T extends object>(idOf: (item: T) => string) {
  const items: T[] = [];
  const index = new Map<string, number>();
  // The same object comes back once per service that cites it: named once.
  const named = new WeakMap<T, string>();
  return {
    items,
    add(item: T): number {
      let id = named.get(item);
      if (id === undefined) {
        id = idOf(item);
        named.set(item, id);
      }
      let i = index.get(id);
      if (i === undefined) {
        i = items.push(item) - 1;
        index.set(id, i);
      }
      return i;
    },
  };
}

export function buildVerdictTable<P>(input: VerdictTableInput<P>): VerdictTable<P> {
  const { bundle, decider, options } = input;
  const intercepted = interceptedServices(bundle, options.enabledOrganizations, options.deviceContext);
  const organizations = interner<OrganizationSummary>((o) => o.id);
  const sources = interner<Source>((s) => s.id);
  // By content: several organizations may carry the same notice (a ministry circular), and ids repeat across them.
  const notices = interner<Notice>((n) => canonicalJson(n));
  const noticeSource: number[] = [];
  // By content too: an organization's citation is the same for every service its category rule stops.
  // (Built here in one key order, so plain JSON names equal citations alike.)
  const citations = interner<TableCitation>((c) => JSON.stringify(c));
  const verdicts: Record<string, TableVerdict> = {};
  for (const service of bundle.services) {
    if (!intercepted.has(service.id) || input.excepted.has(service.id)) continue;
    const decision = decideForService(decider, service, options);
    if (decision === null || !isStoppingLevel(decision.level)) continue;
    const view = buildVerdictView(bundle, decision);
    verdicts[service.id] = {
      level: view.level,
      service: view.service,
      proceedAllowed: view.proceedAllowed,
      citations: view.citations.map(({ organization, rules, ...citation }) =>
        citations.add({
          ...citation,
          organization: organizations.add(organization),
          rules: rules.map(({ notice, source, ...rule }) => {
            const i = notices.add(notice);
            noticeSource[i] = sources.add(source);
            return { ...rule, notice: i };
          }),
        }),
      ),
    };
  }
  const body = {
    services: bundle.services.map((s) => ({ id: s.id, hosts: s.hosts })),
    organizations: organizations.items,
    sources: sources.items,
    notices: notices.items.map((notice, i) => ({ notice, source: noticeSource[i]! })),
    citations: citations.items,
    verdicts,
    page: input.page,
  };
  return { key: digest(canonicalJson(body)), ...body };
}

/**
 * Whether the table may be stored: within STORAGE_BUDGET.verdictTableBytes.
 * A larger one is not stored (the warning page then asks the background),
 * so it never crowds out the settings and policies beside it.
 */
export function verdictTableFits(table: VerdictTable<unknown>): boolean {
  return measureJson(table, { maxBytes: STORAGE_BUDGET.verdictTableBytes, maxDepth: 64 }).ok;
}
