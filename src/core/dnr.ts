/**
 * Compiles the enabled profiles and the active proceed exceptions into
 * declarativeNetRequest rules, and the catalog into manifest host patterns.
 * Pure: the background applies the rules, vite.config.ts writes the patterns.
 *
 * Why DNR and not a content script: a rule acts before the request leaves the
 * browser, so a banned service never sees the page load, its cookies or any
 * data. Warned and blocked services get the same rules (the interstitial
 * decides what to offer); caution and notice get none (content script only).
 */
import type { ProceedException } from './decision-types';
import { ruleOnDevice, type DeviceContext } from './device-context';
import { levelRank, type Level } from './policy-enums';
import type { PolicyBundle } from './policy-schema';
import { FRAME_TYPES, RESOURCE_TYPES, checkDnrLimits, type DnrRule, type DnrRuleCondition, type DnrTarget } from './dnr-types';
import { RULE_PRIORITY, allocateRuleId, exceptionRuleIds } from './rule-ids';

export { DNR_LIMITS, checkDnrLimits, type DnrRule, type DnrTarget } from './dnr-types';

export interface CompileDnrRulesInput {
  bundle: PolicyBundle;
  enabledOrganizations: readonly string[];
  exceptions: readonly ProceedException[];
  /** Epoch milliseconds. */
  now: number;
  /** The interstitial page (runtime.getURL), without a fragment. */
  interstitialUrl: string;
  /** Which browser's resource types, limits and quirks to compile for. Default: chrome. */
  target?: DnrTarget;
  /** Where this browser is; absent means not said. Decides as decideForUrl does. */
  deviceContext?: DeviceContext;
}

/** Sorted, deduplicated catalog hosts of some services, by how they match. */
export interface ServiceHosts {
  /** A registrable domain and all its subdomains. */
  domain: string[];
  /** That one host only. */
  exact: string[];
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort(byCodeUnit);

/** Appends in place: catalogs can be large, so no copying per element. */
function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Services that enabled organizations warn about or block on this device,
 * with the strictest level over those organizations. A category rule reaches
 * every service of the category. Unknown organization ids are ignored. Each
 * rule's level is the one its scope has on this device, exactly as the
 * decider reads it: on one's own device a network ban is a notice, not a stop.
 */
export function interceptedServices(
  bundle: PolicyBundle,
  enabledOrganizations: readonly string[],
  deviceContext: DeviceContext = 'unsaid',
): Map<string, Level> {
  const enabled = new Set(enabledOrganizations);
  const byCategory = new Map<string, string[]>();
  for (const service of bundle.services) {
    addTo(byCategory, service.category, service.id);
  }
  const levels = new Map<string, Level>();
  for (const organization of bundle.organizations) {
    if (!enabled.has(organization.id)) continue;
    for (const rule of organization.rules) {
      const level = ruleOnDevice(rule.scope, rule.level, deviceContext)?.level;
      if (level === undefined || levelRank(level) < levelRank('warn')) continue;
      const ids = 'service' in rule.target ? [rule.target.service] : (byCategory.get(rule.target.category) ?? []);
      for (const id of ids) {
        const current = levels.get(id);
        if (current === undefined || levelRank(level) > levelRank(current)) levels.set(id, level);
      }
    }
  }
  return levels;
}

export function hostsForServices(bundle: PolicyBundle, serviceIds: Iterable<string>): ServiceHosts {
  const wanted = new Set(serviceIds);
  const hosts = bundle.services.filter((s) => wanted.has(s.id)).flatMap((s) => s.hosts);
  return {
    domain: sortedUnique(hosts.filter((h) => h.match === 'domain').map((h) => h.host)),
    exact: sortedUnique(hosts.filter((h) => h.match === 'exact').map((h) => h.host)),
  };
}

/**
 * Match patterns for `host_permissions` and `content_scripts.matches`: the
 * extension needs host access to the hosts it redirects (Firefox silently
 * skips a redirect without it) and nothing more.
 */
export function catalogHostPatterns(bundle: PolicyBundle): string[] {
  const { domain, exact } = hostsForServices(bundle, bundle.services.map((s) => s.id));
  return sortedUnique([
    ...domain.flatMap((host) => [`*://${host}/*`, `*://*.${host}/*`]),
    ...exact.map((host) => `*://${host}/*`),
  ]);
}

/**
 * Firefox only: the same patterns for the trailing-dot form of each host
 * (`*://*.deepseek.com./*`). Firefox keeps the dot in the URL's host and
 * matches it against host permissions literally, and a redirect rule acts
 * only on URLs the extension has host permission for. Chrome drops the dot
 * before matching, so it needs none of these.
 */
export function trailingDotHostPatterns(patterns: readonly string[]): string[] {
  return patterns.map((pattern) => pattern.replace(/\/\*$/, './*'));
}

// ── regex filters ───────────────────────────────────────────────────────────
// Chrome compiles regexFilter with RE2 under a 2 KB memory budget. Measured in
// Chromium 156 (isRegexSupported): an alternation of six catalog hosts (171
// characters) is already "memoryLimitExceeded", so naming hosts in regexes
// does not scale. Hosts go in `requestDomains` (indexed; 40,000 accepted in
// one rule) and the regex checks only how many labels the host has: "one of
// these k-label hosts or a subdomain" AND "exactly k labels" is exactly those
// hosts. Firefox evaluates the same pattern as a JS RegExp.
//
// Firefox replaces the WHOLE URL with the substitution (Chrome only the
// match), so every redirect regex matches the whole URL and `\0` is all of it.

/** Matches any URL in full, for rules whose hosts come from `requestDomains`. */
export const WHOLE_URL_REGEX = '^.*$';

/** Label counts whose regex Chromium 156 accepted (9 was refused). */
export const MAX_EXACT_HOST_LABELS = 8;

// ASCII classes only: both browsers hand DNR an ASCII URL (punycode host,
// the rest percent-encoded), and RE2 compiles a negated class to a UTF-8
// automaton several times larger.
const SCHEME = '[a-z0-9+.-]+';
/** Printable ASCII except / ? # @. */
const USERINFO = '(?:[\\x21\\x22\\x24-\\x2e\\x30-\\x3e\\x41-\\x7e]*@)?';
const LABEL = '[a-z0-9_-]+';
const PORT_AND_REST = '(?::[0-9]*)?(?:[/?#].*)?$';

export const hostLabelCount = (host: string): number => host.split('.').length;

/** A whole URL whose host has exactly `labels` labels; userinfo, trailing dot and port allowed. */
export function exactHostRegex(labels: number): string {
  if (!Number.isInteger(labels) || labels < 2 || labels > MAX_EXACT_HOST_LABELS) {
    throw new RangeError(`exact hosts must have 2 to ${MAX_EXACT_HOST_LABELS} labels (Chrome's regex memory limit), not ${labels}`);
  }
  return `^${SCHEME}://${USERINFO}${LABEL}(?:\\.${LABEL}){${labels - 1}}\\.?${PORT_AND_REST}`;
}

/**
 * Firefox only: a whole URL whose host is one of these hosts WITH a trailing
 * dot. Firefox's `requestDomains` never matches `deepseek.com.` (measured,
 * even when listed so), while Chrome strips the dot. Names hosts, which is
 * fine for Firefox's JS RegExp (no RE2 memory budget there).
 */
export function trailingDotRegex(hosts: ServiceHosts): string {
  const escape = (host: string): string => host.replace(/\./g, '\\.');
  const terms = [...hosts.domain.map((h) => `(?:${LABEL}\\.)*${escape(h)}`), ...hosts.exact.map(escape)];
  return `^${SCHEME}://${USERINFO}(?:${terms.join('|')})\\.${PORT_AND_REST}`;
}

// ── rules ───────────────────────────────────────────────────────────────────

/** `\0` is the whole URL (see above); the page reads it raw from the fragment. */
function redirectRule(id: number, condition: DnrRuleCondition, interstitialUrl: string): DnrRule {
  return {
    id,
    priority: RULE_PRIORITY.redirect,
    action: { type: 'redirect', redirect: { regexSubstitution: `${interstitialUrl}#\\0` } },
    // sub_frame too: a main_frame-only rule leaves the service usable inside an iframe.
    condition: { ...condition, resourceTypes: [...FRAME_TYPES], isUrlFilterCaseSensitive: false },
  };
}

/**
 * Everything but frames: scripts, XHR, beacons, websockets… so a page
 * elsewhere cannot send data to the service either. Excluding frames instead
 * of listing types covers each browser's own extra types (Firefox `beacon`,
 * `imageset`, `speculative`; Chrome `webtransport`) and any added later.
 */
function blockRule(id: number, condition: DnrRuleCondition): DnrRule {
  return {
    id,
    priority: RULE_PRIORITY.block,
    action: { type: 'block' },
    condition: { ...condition, excludedResourceTypes: [...FRAME_TYPES] },
  };
}

/**
 * For each intercepted service, the hosts of OTHER intercepted services that
 * lie inside its hosts (gemini.google.com inside a hypothetical google.com).
 * Walks each host's parents, so it stays linear in the number of hosts.
 */
function hostsInsideOtherServices(bundle: PolicyBundle, intercepted: ReadonlyMap<string, Level>): Map<string, string[]> {
  const owner = new Map<string, string>();
  for (const service of bundle.services) {
    if (intercepted.has(service.id)) for (const { host } of service.hosts) owner.set(host, service.id);
  }
  const inside = new Map<string, string[]>();
  for (const [host, service] of owner) {
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const parent = owner.get(host.slice(dot + 1));
      if (parent !== undefined && parent !== service) addTo(inside, parent, host);
    }
  }
  return inside;
}

/**
 * One `allow` rule per excepted service, above the redirect and block rules,
 * for every resource type. `requestDomains` alone is enough even for exact
 * hosts (their subdomains are blocked by nothing else), so it costs no regex.
 * Other intercepted services' hosts inside this one's are excluded, so an
 * exception never unblocks a different service.
 */
function exceptionRule(id: number, hosts: readonly string[], inside: readonly string[], target: DnrTarget): DnrRule {
  return {
    id,
    priority: RULE_PRIORITY.exceptionAllow,
    // `allow`, not `allowAllRequests`: the latter would also let the allowed
    // page load other banned services.
    action: { type: 'allow' },
    condition: {
      requestDomains: sortedUnique(hosts),
      ...(inside.length > 0 ? { excludedRequestDomains: sortedUnique(inside) } : {}),
      // Allow rules must list types to include main_frame, so they need the target's names.
      resourceTypes: [...RESOURCE_TYPES[target]],
    },
  };
}

function isActive(exception: ProceedException, now: number): boolean {
  return exception.createdAt <= now && now < exception.expiresAt;
}

/**
 * The complete rule set for this state, sorted by id. Same input in any
 * order gives the same output. Throws when the browser would refuse it.
 */
export function compileDnrRules(input: CompileDnrRulesInput): DnrRule[] {
  const { bundle, interstitialUrl, now } = input;
  const target = input.target ?? 'chrome';
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^#\\]+$/i.test(interstitialUrl)) {
    // A '#' would cut the original URL short; a backslash is a substitution escape.
    throw new Error(`compileDnrRules: interstitialUrl must be an absolute URL without '#' or '\\': ${interstitialUrl}`);
  }
  const intercepted = interceptedServices(bundle, input.enabledOrganizations, input.deviceContext);
  const hosts = hostsForServices(bundle, intercepted.keys());
  const rules: DnrRule[] = [];

  if (hosts.domain.length > 0) {
    // One rule for any number of domain hosts; the trivial regex is there
    // because a substitution needs a regexFilter.
    const condition = { requestDomains: hosts.domain };
    rules.push(redirectRule(allocateRuleId('redirect-domain-hosts'), { ...condition, regexFilter: WHOLE_URL_REGEX }, interstitialUrl));
    rules.push(blockRule(allocateRuleId('block-domain-hosts'), condition));
  }
  // `requestDomains` alone would also match subdomains of an exact host
  // (x.gemini.google.com), which the core does not treat as the service.
  const exactByLabels = new Map<number, string[]>();
  for (const host of hosts.exact) addTo(exactByLabels, hostLabelCount(host), host);
  for (const [labels, requestDomains] of [...exactByLabels].sort(([a], [b]) => a - b)) {
    const condition = { requestDomains, regexFilter: exactHostRegex(labels), isUrlFilterCaseSensitive: false };
    rules.push(redirectRule(allocateRuleId('redirect-exact-hosts', labels), condition, interstitialUrl));
    rules.push(blockRule(allocateRuleId('block-exact-hosts', labels), condition));
  }
  if (target === 'firefox' && hosts.domain.length + hosts.exact.length > 0) {
    // Redirected like the other forms, so the person sees the notice, not an
    // error page. Firefox needs host permission for the trailing-dot form
    // itself (without it the redirect is skipped and the request goes
    // through): the Firefox manifest lists those patterns too
    // (trailingDotHostPatterns).
    const condition = { regexFilter: trailingDotRegex(hosts), isUrlFilterCaseSensitive: false };
    rules.push(redirectRule(allocateRuleId('redirect-trailing-dot-hosts'), condition, interstitialUrl));
    rules.push(blockRule(allocateRuleId('block-trailing-dot-hosts'), condition));
  }

  const exceptionIds = exceptionRuleIds(bundle.services.map((s) => s.id));
  const services = new Map(bundle.services.map((s) => [s.id, s]));
  const inside = hostsInsideOtherServices(bundle, intercepted);
  const excepted = input.exceptions.filter((e) => isActive(e, now) && intercepted.has(e.serviceId)).map((e) => e.serviceId);
  for (const serviceId of sortedUnique(excepted)) {
    const id = exceptionIds.get(serviceId);
    const service = services.get(serviceId);
    if (id === undefined || service === undefined) continue;
    rules.push(exceptionRule(id, service.hosts.map((h) => h.host), inside.get(serviceId) ?? [], target));
  }

  rules.sort((a, b) => a.id - b.id);
  const problems = checkDnrLimits(rules, target);
  if (problems.length > 0) {
    throw new Error(`compileDnrRules: the rules would exceed declarativeNetRequest limits: ${problems.join('; ')}`);
  }
  return rules;
}
