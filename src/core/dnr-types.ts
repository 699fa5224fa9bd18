/**
 * The browsers' declarativeNetRequest vocabulary: our own structural subset
 * of `chrome.declarativeNetRequest.Rule` (so the core needs no browser
 * types), each browser's resource type names, and its rule limits. Facts
 * marked "measured" were read from Chromium 156 and Firefox ESR 153.
 */

export type DnrTarget = 'chrome' | 'firefox';

/** Every resource type either browser knows; each target accepts only its own list below. */
export type DnrResourceType =
  | 'main_frame'
  | 'sub_frame'
  | 'stylesheet'
  | 'script'
  | 'image'
  | 'font'
  | 'object'
  | 'xmlhttprequest'
  | 'ping'
  | 'csp_report'
  | 'media'
  | 'websocket'
  | 'other'
  // Chrome only: Firefox refuses the whole update call with "Invalid enumeration value" (measured).
  | 'webtransport'
  | 'webbundle'
  // Firefox only (measured: each accepted by Firefox 153); Chrome refuses unknown names.
  | 'beacon'
  | 'imageset'
  | 'object_subrequest'
  | 'speculative'
  | 'web_manifest'
  | 'xml_dtd'
  | 'xslt'
  | 'json';

const SHARED_TYPES = [
  'main_frame',
  'sub_frame',
  'stylesheet',
  'script',
  'image',
  'font',
  'object',
  'xmlhttprequest',
  'ping',
  'csp_report',
  'media',
  'websocket',
  'other',
] as const satisfies readonly DnrResourceType[];

/**
 * Resource types per browser. Firefox classifies some requests more finely
 * than Chrome (sendBeacon is `beacon`, not `ping`; `<picture>`/srcset images
 * are `imageset`, not `image`), so a list written for Chrome would let those
 * through on Firefox. That is why block rules use `excludedResourceTypes`
 * (everything but frames) and only allow rules, which must name `main_frame`,
 * need these lists.
 */
export const RESOURCE_TYPES: Readonly<Record<DnrTarget, readonly DnrResourceType[]>> = {
  chrome: [...SHARED_TYPES, 'webtransport', 'webbundle'],
  firefox: [
    ...SHARED_TYPES,
    'beacon',
    'imageset',
    'object_subrequest',
    'speculative',
    'web_manifest',
    'xml_dtd',
    'xslt',
    'json',
  ],
};

export const FRAME_TYPES = ['main_frame', 'sub_frame'] as const satisfies readonly DnrResourceType[];

export type DnrActionType = 'redirect' | 'allow' | 'block' | 'allowAllRequests';

export interface DnrRedirect {
  regexSubstitution?: string;
  extensionPath?: string;
  url?: string;
}

export interface DnrRuleAction {
  type: DnrActionType;
  redirect?: DnrRedirect;
}

export interface DnrRuleCondition {
  /** Matches the listed hosts and all their subdomains. */
  requestDomains?: string[];
  excludedRequestDomains?: string[];
  /** RE2 in Chrome, JS RegExp in Firefox: write what both accept. */
  regexFilter?: string;
  urlFilter?: string;
  resourceTypes?: DnrResourceType[];
  excludedResourceTypes?: DnrResourceType[];
  isUrlFilterCaseSensitive?: boolean;
}

export interface DnrRule {
  id: number;
  priority: number;
  action: DnrRuleAction;
  condition: DnrRuleCondition;
}

export interface DnrLimits {
  dynamicRules: number;
  /** Redirect (and modifyHeaders) rules among the dynamic rules. */
  unsafeDynamicRules: number;
  sessionRules: number;
  /** Rules with a regexFilter, dynamic and session together. */
  regexRules: number;
}

/**
 * `declarativeNetRequest.MAX_NUMBER_OF_*`, measured. Firefox allows only
 * 5,000 dynamic rules where Chrome allows 30,000 (of which 5,000 unsafe);
 * Firefox has no separate unsafe cap.
 */
export const DNR_LIMITS: Readonly<Record<DnrTarget, DnrLimits>> = {
  chrome: { dynamicRules: 30_000, unsafeDynamicRules: 5_000, sessionRules: 5_000, regexRules: 1_000 },
  firefox: { dynamicRules: 5_000, unsafeDynamicRules: 5_000, sessionRules: 5_000, regexRules: 1_000 },
};

/** Exceptions are session rules, the rest dynamic rules (see src/background/rules.ts). */
const isSessionRule = (rule: DnrRule): boolean => rule.action.type === 'allow' || rule.action.type === 'allowAllRequests';

/** Every way the browser would refuse `rules` for its limits or duplicate IDs; empty when they fit. */
export function checkDnrLimits(rules: readonly DnrRule[], target: DnrTarget = 'chrome'): string[] {
  const limits = DNR_LIMITS[target];
  const problems: string[] = [];
  const dynamic = rules.filter((r) => !isSessionRule(r));
  const over = (count: number, what: string, name: string, limit: number): void => {
    if (count > limit) problems.push(`${count} ${what} exceed ${target}'s ${name} (${limit})`);
  };
  over(dynamic.length, 'dynamic rules', 'MAX_NUMBER_OF_DYNAMIC_RULES', limits.dynamicRules);
  over(dynamic.filter((r) => r.action.type === 'redirect').length, 'redirect rules', 'MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES', limits.unsafeDynamicRules);
  over(rules.length - dynamic.length, 'session (exception) rules', 'MAX_NUMBER_OF_SESSION_RULES', limits.sessionRules);
  over(rules.filter((r) => r.condition.regexFilter !== undefined).length, 'regex rules', 'MAX_NUMBER_OF_REGEX_RULES', limits.regexRules);
  const ids = new Set<number>();
  for (const rule of rules) {
    if (!Number.isInteger(rule.id) || rule.id < 1) problems.push(`rule id ${rule.id} is not a positive integer`);
    if (ids.has(rule.id)) problems.push(`rule id ${rule.id} is used twice`);
    ids.add(rule.id);
  }
  return problems;
}
