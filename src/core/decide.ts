/**
 * URL → decision for the enabled profiles. Several profiles merge into one
 * decision: the strictest level wins, and every matching organization is
 * cited, strictest first.
 */
import type {
  Citation,
  DecideOptions,
  Decision,
  MatchedRule,
  ProceedException,
} from './decision-types';
import { HostIndex } from './host-index';
import { levelRank, type PolicyBundle } from './policy-schema';
import { normalizeUrl } from './url';

const MAX_INPUT_ECHO = 2048;

export interface Decider {
  decideForUrl(input: unknown, options: DecideOptions): Decision;
  readonly index: HostIndex;
}

const strictestFirst = (a: { level: MatchedRule['level'] }, b: { level: MatchedRule['level'] }) =>
  levelRank(b.level) - levelRank(a.level);

export function createDecider(bundle: PolicyBundle): Decider {
  const index = new HostIndex(bundle.services);
  const categoryOf = new Map(bundle.services.map((s) => [s.id, s.category]));
  const order = new Map(bundle.organizations.map((o, i) => [o.id, i]));

  // Per organization: service id → its matching rules, category rules expanded.
  const rulesByOrg = new Map<string, Map<string, MatchedRule[]>>();
  for (const org of bundle.organizations) {
    const byService = new Map<string, MatchedRule[]>();
    org.rules.forEach((rule, ruleIndex) => {
      const notice = org.notices.find((n) => n.id === rule.notice);
      const serviceIds =
        'service' in rule.target
          ? [rule.target.service]
          : bundle.services.filter((s) => s.category === (rule.target as { category: string }).category).map((s) => s.id);
      for (const serviceId of serviceIds) {
        const list = byService.get(serviceId) ?? [];
        list.push({
          organizationId: org.id,
          ruleIndex,
          rule,
          level: rule.level,
          scope: rule.scope,
          serviceId,
          noticeId: rule.notice,
          noticeStatus: notice?.status ?? 'in-force',
        });
        byService.set(serviceId, list);
      }
    });
    for (const list of byService.values()) list.sort((a, b) => strictestFirst(a, b) || a.ruleIndex - b.ruleIndex);
    rulesByOrg.set(org.id, byService);
  }

  function decide(input: unknown, options: DecideOptions): Decision {
    const echo = typeof input === 'string' ? input.slice(0, MAX_INPUT_ECHO) : '';
    const url = normalizeUrl(input);
    const hit = url ? index.lookup(url.host) : null;
    const citations: Citation[] = [];
    if (hit && categoryOf.has(hit.serviceId)) {
      for (const orgId of new Set(options.enabledOrganizations)) {
        const rules = rulesByOrg.get(orgId)?.get(hit.serviceId);
        if (!rules || rules.length === 0) continue;
        citations.push({ organizationId: orgId, level: rules[0]!.level, rules });
      }
      citations.sort((a, b) => strictestFirst(a, b) || (order.get(a.organizationId) ?? 0) - (order.get(b.organizationId) ?? 0));
    }
    const level = citations[0]?.level ?? 'none';
    return {
      input: echo,
      url,
      serviceId: hit?.serviceId ?? null,
      matchedHost: hit?.host ?? null,
      level,
      citations,
      proceedAllowed: level === 'warn' || (level === 'block' && options.allowProceedOnBlock),
    };
  }

  return {
    index,
    decideForUrl(input, options) {
      try {
        return decide(input, options);
      } catch {
        // A decision must never take the worker down; an input we cannot
        // reason about is treated as matching nothing (DNR still guards).
        return {
          input: '',
          url: null,
          serviceId: null,
          matchedHost: null,
          level: 'none',
          citations: [],
          proceedAllowed: false,
        };
      }
    },
  };
}

/** The exception for a service that is active at `now` (createdAt ≤ now < expiresAt). */
export function activeException(
  exceptions: readonly ProceedException[],
  serviceId: string | null,
  now: number,
): ProceedException | null {
  if (serviceId === null) return null;
  return exceptions.find((e) => e.serviceId === serviceId && e.createdAt <= now && now < e.expiresAt) ?? null;
}

export function pruneExceptions(exceptions: readonly ProceedException[], now: number): ProceedException[] {
  return exceptions.filter((e) => now < e.expiresAt);
}
