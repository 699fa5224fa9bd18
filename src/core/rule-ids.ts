/**
 * The one place that assigns declarativeNetRequest rule IDs and priorities.
 *
 * The background replaces the whole rule set on every change (remove all old
 * IDs, add all new ones in one call), so IDs only need to be unique and
 * deterministic within one compiled set; they may shift when the catalog
 * changes. Ranges keep a rule's purpose readable from its ID alone (handy
 * with `getMatchedRules` and in bug reports), and keep exception rules
 * (session rules) apart from profile rules (dynamic rules).
 *
 *   1            redirect frames, domain hosts (requestDomains)
 *   2            block other types, domain hosts
 *   3            block other types, trailing-dot hosts (Firefox only)
 *   4            redirect frames, trailing-dot hosts (Firefox only)
 *   100 + k      redirect frames, exact hosts of k labels (requestDomains + label-count regex)
 *   300 + k      block other types, exact hosts of k labels
 *   1000 + s     proceed exception (allow) for catalog service s, the index of
 *                its id among the sorted service ids of the bundle
 */

export type RuleIdKind =
  | 'redirect-domain-hosts'
  | 'block-domain-hosts'
  | 'block-trailing-dot-hosts'
  | 'redirect-trailing-dot-hosts'
  | 'redirect-exact-hosts'
  | 'block-exact-hosts'
  | 'exception';

interface IdRange {
  first: number;
  size: number;
}

export const RULE_ID_RANGES: Readonly<Record<RuleIdKind, IdRange>> = {
  'redirect-domain-hosts': { first: 1, size: 1 },
  'block-domain-hosts': { first: 2, size: 1 },
  'block-trailing-dot-hosts': { first: 3, size: 1 },
  'redirect-trailing-dot-hosts': { first: 4, size: 1 },
  // A host name has at most 127 labels.
  'redirect-exact-hosts': { first: 100, size: 128 },
  'block-exact-hosts': { first: 300, size: 128 },
  // Chrome rule IDs are 32-bit ints.
  exception: { first: 1000, size: 2_000_000_000 },
};

/** Higher wins across all of an extension's rulesets (session, dynamic, static). */
export const RULE_PRIORITY = {
  exceptionAllow: 3,
  redirect: 2,
  block: 1,
} as const;

/** The ID of the `index`-th rule of a kind. Throws instead of overlapping another range. */
export function allocateRuleId(kind: RuleIdKind, index = 0): number {
  const range = RULE_ID_RANGES[kind];
  if (!Number.isInteger(index) || index < 0 || index >= range.size) {
    throw new RangeError(`rule-ids: ${kind} index ${index} is outside 0..${range.size - 1}`);
  }
  return range.first + index;
}

/**
 * The exception rule ID of each catalog service: its index among the sorted
 * service ids, so a service keeps its ID whichever other exceptions exist.
 */
export function exceptionRuleIds(catalogServiceIds: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(catalogServiceIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(sorted.map((id, index) => [id, allocateRuleId('exception', index)]));
}

/** What an ID was allocated for (diagnostics: `getMatchedRules`, logs). */
export function describeRuleId(id: number): { kind: RuleIdKind; index: number } | null {
  for (const [kind, range] of Object.entries(RULE_ID_RANGES) as [RuleIdKind, IdRange][]) {
    if (id >= range.first && id < range.first + range.size) return { kind, index: id - range.first };
  }
  return null;
}
