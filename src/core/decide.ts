/**
 * URL → decision for the enabled organization profiles. Several profiles merge
 * into one decision: the strictest level wins, and every organization with a
 * matching rule is cited, strictest first, so the interstitial can quote each
 * organization's own notice rather than a made-up union of them.
 */
import type {
  Citation,
  DecideOptions,
  Decision,
  DecisionLevel,
  MatchedRule,
  ProceedException,
} from './decision-types';
import { ruleOnDevice, type DeviceContext } from './device-context';
import { HostIndex } from './host-index';
import { levelRank } from './policy-enums';
import type { PolicyBundle, Service } from './policy-schema';
import { normalizeUrl } from './url';

/** The input echoed back in a decision; longer strings are cut (pages show it, storage keeps it). */
export const MAX_DECISION_INPUT = 2048;

export interface Decider {
  decideForUrl(input: unknown, options: DecideOptions): Decision;
  readonly index: HostIndex;
}

interface OrganizationRules {
  /** Position in the bundle: ties between equally strict citations keep this order. */
  order: number;
  /** Service id → a citation template whose rules are already sorted strictest first. */
  byService: Map<string, Citation>;
}

const byStrictness = (a: { level: MatchedRule['level'] }, b: { level: MatchedRule['level'] }): number =>
  levelRank(b.level) - levelRank(a.level);

/**
 * Expands every rule once, at start-up, so that deciding is a Map lookup per
 * enabled organization. Throws on a bundle whose rules name a notice it does
 * not have: the compiler rejects that at build time, so reaching it here means
 * the shipped bundle is broken, and citing a rule without its notice would
 * show a warning with nothing to back it.
 */
function indexOrganizations(bundle: PolicyBundle): Map<string, OrganizationRules> {
  const servicesByCategory = new Map<string, string[]>();
  for (const service of bundle.services) {
    const list = servicesByCategory.get(service.category) ?? [];
    list.push(service.id);
    servicesByCategory.set(service.category, list);
  }

  const organizations = new Map<string, OrganizationRules>();
  bundle.organizations.forEach((org, order) => {
    const matched = new Map<string, MatchedRule[]>();
    org.rules.forEach((rule, ruleIndex) => {
      const notice = org.notices.find((n) => n.id === rule.notice);
      if (notice === undefined) throw new Error(`${org.id}: rules.${ruleIndex}: unknown notice "${rule.notice}"`);
      // A category rule ("generative AI tools") covers every catalog service of that category.
      const serviceIds =
        'service' in rule.target ? [rule.target.service] : (servicesByCategory.get(rule.target.category) ?? []);
      for (const serviceId of serviceIds) {
        const list = matched.get(serviceId) ?? [];
        list.push({
          organizationId: org.id,
          ruleIndex,
          rule,
          level: rule.level,
          writtenLevel: rule.level,
          applies: 'any-device',
          scope: rule.scope,
          serviceId,
          noticeId: notice.id,
          noticeStatus: notice.status,
        });
        matched.set(serviceId, list);
      }
    });
    const byService = new Map<string, Citation>();
    for (const [serviceId, rules] of matched) {
      // Stable: equally strict rules stay in file order, which is how the organization wrote them.
      rules.sort((a, b) => byStrictness(a, b) || a.ruleIndex - b.ruleIndex);
      const strictest = rules[0];
      if (strictest !== undefined) byService.set(serviceId, { organizationId: org.id, level: strictest.level, rules });
    }
    // Ids are unique in a compiled bundle; keep the first if they are not, like the host index.
    if (!organizations.has(org.id)) organizations.set(org.id, { order, byService });
  });
  return organizations;
}

/**
 * The organization's citation as it stands on this device: each rule at the
 * level its scope gives it here, rules that cannot apply here left out, and
 * null when none is left. A fresh object: decisions are handed to callers
 * that may keep or change them.
 */
function citationOnDevice(template: Citation, context: DeviceContext): Citation | null {
  const rules: MatchedRule[] = [];
  for (const matched of template.rules) {
    const here = ruleOnDevice(matched.scope, matched.writtenLevel, context);
    if (here !== null) rules.push({ ...matched, level: here.level, applies: here.applies });
  }
  rules.sort((a, b) => byStrictness(a, b) || a.ruleIndex - b.ruleIndex);
  const strictest = rules[0];
  return strictest === undefined ? null : { organizationId: template.organizationId, level: strictest.level, rules };
}

function truncateInput(input: unknown): string {
  if (typeof input !== 'string') return '';
  if (input.length <= MAX_DECISION_INPUT) return input;
  const cut = input.slice(0, MAX_DECISION_INPUT);
  // Do not leave half a surrogate pair at the end: it would render as U+FFFD.
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function emptyDecision(input: string, url: Decision['url']): Decision {
  return { input, url, serviceId: null, matchedHost: null, level: 'none', citations: [], proceedAllowed: false };
}

export function createDecider(bundle: PolicyBundle): Decider {
  const index = new HostIndex(bundle.services);
  const organizations = indexOrganizations(bundle);

  function decide(input: unknown, options: DecideOptions): Decision {
    const echo = truncateInput(input);
    const url = normalizeUrl(input);
    if (url === null) return emptyDecision(echo, null);
    const hit = index.lookup(url.host);
    if (hit === null) return emptyDecision(echo, url);

    const context = options.deviceContext ?? 'unsaid';
    const found: { citation: Citation; order: number }[] = [];
    for (const organizationId of options.enabledOrganizations) {
      // Unknown ids (a removed profile still in someone's settings) are skipped, not an error.
      const org = organizations.get(organizationId);
      const template = org?.byService.get(hit.serviceId);
      if (org === undefined || template === undefined) continue;
      // A profile listed twice is still one organization. A linear check: a person enables a few.
      if (found.some((f) => f.order === org.order)) continue;
      const citation = citationOnDevice(template, context);
      if (citation !== null) found.push({ citation, order: org.order });
    }
    found.sort((a, b) => byStrictness(a.citation, b.citation) || a.order - b.order);

    const citations = found.map((f) => f.citation);
    const level: DecisionLevel = citations[0]?.level ?? 'none';
    return {
      input: echo,
      url,
      serviceId: hit.serviceId,
      matchedHost: hit.host,
      level,
      citations,
      // `warn` offers a deliberate way forward unless an administrator turned it off;
      // `block` only if the administrator allows it.
      proceedAllowed:
        (level === 'warn' && options.allowProceedOnWarn !== false) ||
        (level === 'block' && options.allowProceedOnBlock === true),
    };
  }

  return {
    index,
    decideForUrl(input: unknown, options: DecideOptions): Decision {
      try {
        return decide(input, options);
      } catch {
        // The worker calls this from navigation listeners; an exception there would
        // drop the event (and, in a service worker, can leave state half-updated).
        // Inputs are only ever inspected after a typeof check, so what can throw here is
        // the unforeseen: options read back corrupt from storage, a bug. It is treated as
        // matching nothing; the DNR rules compiled from the same bundle still block
        // what must be blocked, without the worker's help.
        let echo = '';
        try {
          echo = truncateInput(input);
        } catch {
          echo = '';
        }
        return emptyDecision(echo, null);
      }
    },
  };
}

/**
 * The decision for a service as a whole, which does not depend on which of its
 * addresses is asked: taken at the first of its hosts that the decider reads
 * as that service. Null when there is none (a service gone from the catalog).
 */
export function decideForService(
  decider: Decider,
  service: Pick<Service, 'id' | 'hosts'> | undefined,
  options: DecideOptions,
): Decision | null {
  for (const { host } of service?.hosts ?? []) {
    const decision = decider.decideForUrl(`https://${host}/`, options);
    if (decision.serviceId === service?.id) return decision;
  }
  return null;
}

/**
 * The proceed exception that lets `serviceId` through at `now`, if any. Active
 * means createdAt ≤ now < expiresAt: the expiry instant itself is already
 * outside, so an exception and a re-check at the same millisecond agree.
 * When several are active the one lasting longest is returned (what a page
 * would show as "allowed until …").
 */
export function activeException(
  exceptions: readonly ProceedException[],
  serviceId: string | null,
  now: number,
): ProceedException | null {
  if (serviceId === null) return null;
  let best: ProceedException | null = null;
  for (const e of exceptions) {
    if (e.serviceId !== serviceId || !(e.createdAt <= now && now < e.expiresAt)) continue;
    if (best === null || e.expiresAt > best.expiresAt) best = e;
  }
  return best;
}

/**
 * The exceptions still worth storing at `now`: expired ones (expiresAt ≤ now) are
 * dropped. One created in the future (a clock that moved back) is kept: it is
 * not active yet, and dropping it would silently undo a person's choice.
 * A non-numeric expiresAt compares false and is dropped too.
 */
export function pruneExceptions(exceptions: readonly ProceedException[], now: number): ProceedException[] {
  return exceptions.filter((e) => now < e.expiresAt);
}
