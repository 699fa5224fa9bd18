/**
 * A digest of a rule set that is the same for the rules a state compiles to
 * and for the rules a browser reports installed, when they do the same: the
 * status page sets one beside the other. Pure.
 */
import { canonicalJson, digest } from './verdict-table-build';

type RuleLike = { id: number; priority?: number; action: Record<string, unknown>; condition: Record<string, unknown> };

const sortedList = (value: unknown) => (Array.isArray(value) ? [...(value as string[])].sort() : value);

/** An object without the keys a browser lists as null (Firefox lists every unset one so), at any depth. */
function withoutUnset(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUnset);
  if (typeof value !== 'object' || value === null) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== null && inner !== undefined) kept[key] = withoutUnset(inner);
  return kept;
}

/**
 * What a rule does, without what a browser fills in when it hands a rule
 * back (Firefox lists every unset key as null, and `priority: 1` and
 * `isUrlFilterCaseSensitive: false` that were never set) or the order it
 * lists a condition's values in.
 */
function ruleEssence(rule: RuleLike): unknown {
  const condition: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(withoutUnset(rule.condition) as Record<string, unknown>)) {
    if (key === 'isUrlFilterCaseSensitive' && value === false) continue;
    condition[key] = sortedList(value);
  }
  return { id: rule.id, priority: rule.priority ?? 1, action: withoutUnset(rule.action), condition };
}

/**
 * A digest of a rule set: the same for the rules a state compiles to and for
 * those the browser reports installed when they do the same, whatever order
 * the browser lists them in.
 */
export function rulesDigest(rules: readonly unknown[]): string {
  const essence = (rules as RuleLike[]).map(ruleEssence).sort((x, y) => (x as { id: number }).id - (y as { id: number }).id);
  return digest(canonicalJson(essence));
}
