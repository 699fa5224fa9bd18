/**
 * What the extension's DNR rules should be for a set of enabled profiles,
 * worked out in Node from policies/ by the same pure compiler the extension
 * ships (src/core/dnr.ts, unit-tested on its own), and a comparison that
 * ignores how each browser spells absent fields (Firefox returns nulls).
 */
import path from 'node:path';
import { compileDnrRules, type DnrTarget } from '../../../src/core/dnr';
import type { ProceedException } from '../../../src/core/decision-types';
import type { PolicyBundle } from '../../../src/core/policy-schema';
import { loadPolicyBundle } from '../../../scripts/load-policies';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let bundle: PolicyBundle | null = null;

export function policyBundle(): PolicyBundle {
  bundle ??= loadPolicyBundle(ROOT);
  return bundle;
}

export interface RuleShape {
  id: number;
  priority: number | null;
  action: string;
  redirect: string | null;
  requestDomains: string[] | null;
  regexFilter: string | null;
  resourceTypes: string[] | null;
  excludedResourceTypes: string[] | null;
}

interface AnyRule {
  id: number;
  priority?: number | null;
  action: { type: string; redirect?: { regexSubstitution?: string | null } | null };
  condition: {
    requestDomains?: string[] | null;
    regexFilter?: string | null;
    resourceTypes?: string[] | null;
    excludedResourceTypes?: string[] | null;
  };
}

/** Stands for any verdict-table key in a rule's redirect address. */
export const ANY_TABLE_KEY = 'KEY';

const sorted = (xs: readonly string[] | null | undefined) => (xs && xs.length > 0 ? [...xs].sort() : null);

/** The fields that decide what a rule does, in one spelling for both browsers. */
export function ruleShape(rule: AnyRule): RuleShape {
  return {
    id: rule.id,
    priority: rule.priority ?? null,
    action: rule.action.type,
    // The verdict table's key (src/core/verdict-table.ts) depends on settings the
    // compiler does not see; tests that care compare it with the stored table.
    redirect: rule.action.redirect?.regexSubstitution?.replace(/\?v=[0-9a-z]+#/, `?v=${ANY_TABLE_KEY}#`) ?? null,
    requestDomains: sorted(rule.condition.requestDomains),
    regexFilter: rule.condition.regexFilter ?? null,
    resourceTypes: sorted(rule.condition.resourceTypes),
    excludedResourceTypes: sorted(rule.condition.excludedResourceTypes),
  };
}

export function shapes(rules: readonly AnyRule[]): RuleShape[] {
  return rules.map(ruleShape).sort((a, b) => a.id - b.id);
}

/**
 * The dynamic (profile) rules for `enabled`: exceptions are session rules and left out.
 * `interstitialUrl` is the interstitial at the extension's lasting origin
 * (chrome-extension://<extension id>/…, moz-extension://<uuid>/…), never
 * Chromium's per-session use_dynamic_url address.
 */
export function expectedDynamicRules(enabled: readonly string[], target: DnrTarget, interstitialUrl: string): RuleShape[] {
  const exceptions: ProceedException[] = [];
  const rules = compileDnrRules({
    bundle: policyBundle(),
    enabledOrganizations: enabled,
    exceptions,
    now: Date.now(),
    interstitialUrl: `${interstitialUrl}?v=${ANY_TABLE_KEY}`,
    target,
  });
  return shapes(rules.filter((r) => r.action.type !== 'allow' && r.action.type !== 'allowAllRequests') as unknown as AnyRule[]);
}
