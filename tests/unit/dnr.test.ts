/**
 * compileDnrRules against the real policies/ bundle and small synthetic ones.
 * Rules are checked by simulating how the browser evaluates them (requestDomains,
 * resource types, regexFilter as a JS RegExp, priority, regexSubstitution),
 * not by snapshot. The same rules were checked in Chromium 156 and Firefox
 * ESR 153 with a throwaway extension (see the report of this change).
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import {
  DNR_LIMITS,
  MAX_EXACT_HOST_LABELS,
  catalogHostPatterns,
  trailingDotHostPatterns,
  checkDnrLimits,
  compileDnrRules,
  exactHostRegex,
  hostsForServices,
  interceptedServices,
  type CompileDnrRulesInput,
  type DnrRule,
  type DnrTarget,
} from '../../src/core/dnr';
import { RESOURCE_TYPES, type DnrResourceType } from '../../src/core/dnr-types';
import { RULE_PRIORITY, describeRuleId } from '../../src/core/rule-ids';
import type { Level, PolicyBundle } from '../../src/core/policy-schema';
import type { ProceedException } from '../../src/core/decision-types';

const INTERSTITIAL = 'chrome-extension://abcdefghijklmnop/src/pages/interstitial/index.html';
const NOW = Date.UTC(2025, 1, 10);
const bundle = loadPolicyBundle();

const compile = (over: Partial<CompileDnrRulesInput> = {}): DnrRule[] =>
  compileDnrRules({ bundle, enabledOrganizations: [], exceptions: [], now: NOW, interstitialUrl: INTERSTITIAL, ...over });
const exception = (serviceId: string, from = NOW - 60_000, to = NOW + 60_000): ProceedException => ({
  serviceId,
  createdAt: from,
  expiresAt: to,
  granted: { level: 'block', organizations: [] },
});

// ── a small model of the browser's matching ─────────────────────────────────
const ACTION_ORDER = ['allow', 'allowAllRequests', 'block', 'upgradeScheme', 'redirect'];
const inDomains = (host: string, domains: readonly string[] | undefined) =>
  (domains ?? []).some((d) => host === d || host.endsWith(`.${d}`));

function matches(rule: DnrRule, url: string, type: DnrResourceType): boolean {
  const c = rule.condition;
  // Chrome compares the host without its trailing dot (checked in Chromium 156).
  const host = new URL(url).hostname.replace(/\.$/, '');
  if (c.requestDomains && !inDomains(host, c.requestDomains)) return false;
  if (inDomains(host, c.excludedRequestDomains)) return false;
  if (c.resourceTypes ? !c.resourceTypes.includes(type) : (c.excludedResourceTypes ?? ['main_frame']).includes(type)) return false;
  return c.regexFilter === undefined || new RegExp(c.regexFilter, c.isUrlFilterCaseSensitive ? '' : 'i').test(url);
}

/** RE2's rewrite: `\0`…`\9` are groups; the whole match is replaced (Firefox replaces the whole URL). */
function substitute(rule: DnrRule, url: string): string {
  const re = new RegExp(rule.condition.regexFilter ?? '', rule.condition.isUrlFilterCaseSensitive ? '' : 'i');
  const m = re.exec(url);
  if (!m) throw new Error(`no match for ${url}`);
  const template = rule.action.redirect?.regexSubstitution ?? '';
  return template.replace(/\\(\d)/g, (_, g: string) => m[Number(g)] ?? '');
}

function outcome(rules: readonly DnrRule[], url: string, type: DnrResourceType = 'main_frame'): string {
  const hit = rules
    .filter((r) => matches(r, url, type))
    .sort((a, b) => b.priority - a.priority || ACTION_ORDER.indexOf(a.action.type) - ACTION_ORDER.indexOf(b.action.type))[0];
  if (!hit) return 'none';
  return hit.action.type === 'redirect' ? `redirect ${substitute(hit, url)}` : hit.action.type;
}
const redirected = (url: string) => `redirect ${INTERSTITIAL}#${url}`;

// ── a synthetic bundle ──────────────────────────────────────────────────────
function syntheticBundle(services: { id: string; hosts: [string, 'domain' | 'exact'][] }[], level: Level = 'warn'): PolicyBundle {
  const text = { en: 'x', ko: 'x' };
  return {
    sources: [],
    categories: [{ id: 'ai', name: text }],
    services: services.map((s) => ({
      id: s.id, name: s.id, vendor: s.id, category: 'ai',
      hosts: s.hosts.map(([host, match]) => ({ host, match, source: 'test' })),
    })),
    organizations: [{
      id: 'org', name: text, sector: 'company', country: 'KR',
      notices: [{ id: 'n', source: 's', quotes: [{ text: 'q' }], reasons: [], status: 'in-force' }],
      rules: [{ target: { category: 'ai' }, scope: 'work-tasks', level, notice: 'n' }],
    }],
  };
}

describe('compileDnrRules with the real bundle', () => {
  it('compiles nothing when no organization is enabled, or only caution/notice ones', () => {
    for (const target of ['chrome', 'firefox'] as const) {
      expect(compile({ target })).toEqual([]);
      expect(compile({ target, enabledOrganizations: ['samsung-electronics'] })).toEqual([]);
      expect(compile({ target, enabledOrganizations: ['naver'] })).toEqual([]);
      expect(compile({ target, enabledOrganizations: ['no-such-org'], exceptions: [exception('deepseek')] })).toEqual([]);
    }
  });

  it('KB Financial Group: redirects DeepSeek frames and blocks everything else to it', () => {
    const rules = compile({ enabledOrganizations: ['kb-financial-group'] });
    const redirect = rules.find((r) => r.action.type === 'redirect');
    expect(redirect?.condition.requestDomains).toEqual(['deepseek.com']);
    expect(redirect?.condition.resourceTypes).toEqual(['main_frame', 'sub_frame']);
    expect(redirect?.action.redirect?.regexSubstitution?.startsWith(`${INTERSTITIAL}#`)).toBe(true);
    const block = rules.find((r) => r.action.type === 'block');
    expect(block?.condition).toMatchObject({ requestDomains: ['deepseek.com'], excludedResourceTypes: ['main_frame', 'sub_frame'] });
    expect(block?.condition.resourceTypes).toBeUndefined(); // i.e. every other type, in either browser
    expect(rules).toHaveLength(2);

    for (const url of ['https://deepseek.com/', 'https://chat.deepseek.com/a/b?c=%23d#e', 'http://u:p@deepseek.com.:8080/x']) {
      expect(outcome(rules, url)).toBe(redirected(url));
      expect(outcome(rules, url, 'sub_frame')).toBe(redirected(url));
    }
    for (const type of ['xmlhttprequest', 'script', 'image', 'websocket', 'ping', 'other'] as const) {
      expect(outcome(rules, 'https://api.deepseek.com/v1', type)).toBe('block');
    }
    for (const url of ['https://example.com/?u=https://deepseek.com/', 'https://deepseek.com.evil.example/', 'https://notdeepseek.com/']) {
      expect(outcome(rules, url)).toBe('none');
    }
  });

  it('KHNP: redirects every generative AI service, exact hosts without their subdomains', () => {
    const rules = compile({ enabledOrganizations: ['khnp'] });
    const redirects = rules.filter((r) => r.action.type === 'redirect');
    const domains = redirects.flatMap((r) => r.condition.requestDomains ?? []);
    expect(domains).toEqual(expect.arrayContaining(['chatgpt.com', 'claude.ai', 'deepseek.com', 'gemini.google.com', 'chat.openai.com']));

    const exactRule = redirects.find((r) => r.condition.requestDomains?.includes('gemini.google.com'));
    const regex = new RegExp(exactRule?.condition.regexFilter ?? '(?!)', 'i');
    // The regex alone refuses other label counts; requestDomains supplies the host names.
    for (const url of ['https://google.com/', 'https://x.gemini.google.com/', 'https://a.b.gemini.google.com/']) {
      expect(regex.test(url)).toBe(false);
    }
    for (const url of [
      'https://gemini.google.com:443/app?q=1#frag',
      'http://user:pw@gemini.google.com./x',
      'https://GEMINI.google.com/',
      'wss://bard.google.com/socket',
      'https://chat.openai.com',
    ]) {
      expect(regex.test(url)).toBe(true);
    }
    for (const url of ['https://gemini.google.com:443/app?q=1#frag', 'http://user:pw@gemini.google.com./x', 'https://chatgpt.com/c/1', 'https://www.claude.ai/']) {
      expect(outcome(rules, url)).toBe(redirected(url));
    }
    for (const url of [
      'https://google.com/', 'https://x.gemini.google.com/', 'https://gemini.google.com.evil.example/',
      'https://gemini.google.com@evil.example/', 'https://evil.example/#https://gemini.google.com/', 'https://openai.com/',
    ]) {
      expect(outcome(rules, url)).toBe('none');
    }
    expect(outcome(rules, 'https://cdn.oaistatic.com/app.js', 'script')).toBe('block');
    expect(outcome(rules, 'https://x.cdn.oaistatic.com/app.js', 'script')).toBe('none');
  });

  it('takes the strictest level over enabled organizations and category rules', () => {
    expect(interceptedServices(bundle, ['lg-uplus']).get('deepseek')).toBe('block');
    const khnp = interceptedServices(bundle, ['khnp', 'kb-financial-group']);
    expect(khnp.get('deepseek')).toBe('block');
    expect(khnp.get('gemini')).toBe('warn');
    expect(interceptedServices(bundle, ['samsung-electronics', 'naver']).size).toBe(0);
  });

  it('every catalog exact host fits the label-count regexes, for both browsers', () => {
    const all = bundle.organizations.map((o) => o.id);
    for (const target of ['chrome', 'firefox'] as const) {
      expect(() => compile({ target, enabledOrganizations: all })).not.toThrow();
    }
    const { exact } = hostsForServices(bundle, bundle.services.map((s) => s.id));
    expect(Math.max(...exact.map((h) => h.split('.').length))).toBeLessThanOrEqual(MAX_EXACT_HOST_LABELS);
  });

  it('writes regexes that RE2 accepts: no lookaround, no backreferences', () => {
    const rules = compile({ enabledOrganizations: ['khnp'], target: 'firefox', exceptions: [exception('gemini')] });
    const regexes = [...rules.flatMap((r) => r.condition.regexFilter ?? []), ...[2, 3, 4, 5, 6, 7, 8].map(exactHostRegex)];
    for (const re of regexes) {
      expect(re).not.toMatch(/\(\?[=!<]|\\[1-9]/);
      expect(() => new RegExp(re)).not.toThrow();
    }
    expect(() => exactHostRegex(MAX_EXACT_HOST_LABELS + 1)).toThrow(/labels/);
  });
});

describe('proceed exceptions', () => {
  const khnp = ['khnp'];

  it('an active exception adds one allow rule above every other rule', () => {
    const rules = compile({ enabledOrganizations: khnp, exceptions: [exception('gemini')] });
    const allows = rules.filter((r) => r.action.type === 'allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]?.condition.requestDomains).toEqual(['bard.google.com', 'gemini.google.com']);
    expect(allows[0]?.condition.resourceTypes).toEqual(expect.arrayContaining(['main_frame', 'sub_frame', 'xmlhttprequest', 'websocket']));
    expect(Math.min(...allows.map((r) => r.priority))).toBeGreaterThan(Math.max(...rules.filter((r) => r.action.type !== 'allow').map((r) => r.priority)));
    expect(outcome(rules, 'https://gemini.google.com/app')).toBe('allow');
    expect(outcome(rules, 'https://bard.google.com/x', 'xmlhttprequest')).toBe('allow');
    expect(outcome(rules, 'https://chatgpt.com/')).toBe(redirected('https://chatgpt.com/'));
  });

  it('ignores expired, not yet started, unknown and not intercepted exceptions; merges duplicates', () => {
    const base = compile({ enabledOrganizations: khnp });
    expect(compile({ enabledOrganizations: khnp, exceptions: [exception('gemini', NOW - 120_000, NOW)] })).toEqual(base);
    expect(compile({ enabledOrganizations: khnp, exceptions: [exception('gemini', NOW + 1, NOW + 60_000)] })).toEqual(base);
    expect(compile({ enabledOrganizations: khnp, exceptions: [exception('no-such-service')] })).toEqual(base);
    const kb = ['kb-financial-group'];
    expect(compile({ enabledOrganizations: kb, exceptions: [exception('chatgpt')] })).toEqual(compile({ enabledOrganizations: kb }));
    const twice = compile({ enabledOrganizations: khnp, exceptions: [exception('claude'), exception('claude', NOW - 5, NOW + 5)] });
    expect(twice.filter((r) => r.action.type === 'allow')).toHaveLength(1);
  });

  it('lists only the resource types each browser accepts', () => {
    const allowFor = (target: DnrTarget) =>
      compile({ target, enabledOrganizations: khnp, exceptions: [exception('deepseek')] }).find((r) => r.action.type === 'allow');
    expect(allowFor('chrome')?.condition.resourceTypes).toEqual(RESOURCE_TYPES.chrome);
    expect(allowFor('firefox')?.condition.resourceTypes).toEqual(RESOURCE_TYPES.firefox);
    expect(RESOURCE_TYPES.firefox).not.toContain('webtransport');
    expect(RESOURCE_TYPES.firefox).toEqual(expect.arrayContaining(['beacon', 'imageset', 'speculative']));
  });

  it('never unblocks another service whose host lies inside the excepted one', () => {
    const nested = syntheticBundle([
      { id: 'outer', hosts: [['example.com', 'domain']] },
      { id: 'inner', hosts: [['chat.example.com', 'exact']] },
    ]);
    const rules = compile({ bundle: nested, enabledOrganizations: ['org'], exceptions: [exception('outer')] });
    expect(rules.find((r) => r.action.type === 'allow')?.condition.excludedRequestDomains).toEqual(['chat.example.com']);
    expect(outcome(rules, 'https://www.example.com/')).toBe('allow');
    expect(outcome(rules, 'https://chat.example.com/')).toBe(redirected('https://chat.example.com/'));
  });
});

describe('Firefox trailing-dot hosts', () => {
  // Firefox's requestDomains never matches `deepseek.com.` (checked in Firefox ESR 153).
  it('redirects frames and blocks the rest on the trailing-dot form, only for Firefox', () => {
    const chrome = compile({ enabledOrganizations: ['khnp'] });
    const firefox = compile({ enabledOrganizations: ['khnp'], target: 'firefox' });
    expect(firefox.length).toBe(chrome.length + 2);
    const redirect = firefox.find((r) => describeRuleId(r.id)?.kind === 'redirect-trailing-dot-hosts');
    const rule = firefox.find((r) => describeRuleId(r.id)?.kind === 'block-trailing-dot-hosts');
    expect(redirect?.condition.resourceTypes).toEqual(['main_frame', 'sub_frame']);
    expect(redirect?.action.redirect?.regexSubstitution).toBe(`${INTERSTITIAL}#\\0`);
    expect(redirect?.condition.regexFilter).toBe(rule?.condition.regexFilter);
    expect(rule?.condition.excludedResourceTypes).toEqual(['main_frame', 'sub_frame']);
    expect(substitute(redirect!, 'http://chat.deepseek.com./c/1?q=%23')).toBe(`${INTERSTITIAL}#http://chat.deepseek.com./c/1?q=%23`);
    const re = new RegExp(rule?.condition.regexFilter ?? '(?!)', 'i');
    for (const url of ['https://deepseek.com./', 'https://a.b.deepseek.com./x', 'http://u@gemini.google.com.:8080/?q', 'wss://chatgpt.com./ws']) {
      expect(re.test(url)).toBe(true);
    }
    for (const url of ['https://deepseek.com/', 'https://x.gemini.google.com./', 'https://deepseek.com.evil.example./', 'https://google.com./']) {
      expect(re.test(url)).toBe(false);
    }
  });
});

describe('rule ids and determinism', () => {
  const orgs = ['khnp', 'kb-financial-group', 'lg-uplus', 'naver'];
  const exceptions = [exception('gemini'), exception('deepseek'), exception('chatgpt'), exception('claude', NOW - 9, NOW + 9)];

  it('gives identical output for shuffled and repeated input', () => {
    const a = compile({ enabledOrganizations: orgs, exceptions });
    const b = compile({ enabledOrganizations: [...orgs].reverse().concat('khnp'), exceptions: [...exceptions].reverse() });
    expect(b).toEqual(a);
  });

  it('uses unique ids in ascending order, each from its documented range', () => {
    for (const target of ['chrome', 'firefox'] as const) {
      const rules = compile({ target, enabledOrganizations: orgs, exceptions });
      const ids = rules.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((x, y) => x - y)).toEqual(ids);
      for (const rule of rules) {
        const kind = describeRuleId(rule.id)?.kind;
        expect(kind === 'exception' ? RULE_PRIORITY.exceptionAllow : kind?.startsWith('redirect') ? RULE_PRIORITY.redirect : RULE_PRIORITY.block).toBe(rule.priority);
      }
      expect(checkDnrLimits(rules, target)).toEqual([]);
    }
  });

  it('keeps a service’s exception id whatever other exceptions exist', () => {
    const alone = compile({ enabledOrganizations: orgs, exceptions: [exception('gemini')] }).find((r) => r.action.type === 'allow');
    const among = compile({ enabledOrganizations: orgs, exceptions }).find((r) => r.condition.requestDomains?.includes('gemini.google.com') && r.action.type === 'allow');
    expect(among?.id).toBe(alone?.id);
  });

  it('rejects an interstitial URL that would break the fragment', () => {
    expect(() => compile({ enabledOrganizations: orgs, interstitialUrl: `${INTERSTITIAL}#x` })).toThrow(/interstitialUrl/);
  });
});

describe('limits', () => {
  const rule = (id: number, type: DnrRule['action']['type'], regexFilter?: string): DnrRule => ({
    id, priority: 1, action: { type }, condition: { requestDomains: ['a.test'], ...(regexFilter ? { regexFilter } : {}) },
  });
  const many = (n: number, make: (i: number) => DnrRule) => Array.from({ length: n }, (_, i) => make(i + 1));

  it('checkDnrLimits names each limit that is exceeded', () => {
    expect(checkDnrLimits(many(5_001, (i) => rule(i, 'redirect')))).toEqual([expect.stringMatching(/MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES \(5000\)/)]);
    expect(checkDnrLimits(many(30_001, (i) => rule(i, 'block')))).toEqual([expect.stringMatching(/MAX_NUMBER_OF_DYNAMIC_RULES \(30000\)/)]);
    expect(checkDnrLimits(many(5_001, (i) => rule(i, 'block')), 'firefox')).toEqual([expect.stringMatching(/firefox's MAX_NUMBER_OF_DYNAMIC_RULES/)]);
    expect(checkDnrLimits(many(5_001, (i) => rule(i, 'allow')))).toEqual([expect.stringMatching(/MAX_NUMBER_OF_SESSION_RULES/)]);
    expect(checkDnrLimits(many(1_001, (i) => rule(i, 'block', '^a')))).toEqual([expect.stringMatching(/MAX_NUMBER_OF_REGEX_RULES \(1000\)/)]);
    expect(checkDnrLimits([rule(7, 'block'), rule(7, 'allow')])).toEqual(['rule id 7 is used twice']);
    expect(DNR_LIMITS.chrome).toEqual({ dynamicRules: 30_000, unsafeDynamicRules: 5_000, sessionRules: 5_000, regexRules: 1_000 });
  });

  it('a 40,000-host catalog compiles to a handful of rules; 40,000 exceptions are refused', () => {
    const big = syntheticBundle(Array.from({ length: 40_000 }, (_, i) => ({
      id: `s${i}`, hosts: [[i % 2 ? `svc${i}.example` : `chat.svc${i}.example`, i % 2 ? 'domain' : 'exact']],
    })));
    const rules = compile({ bundle: big, enabledOrganizations: ['org'], target: 'firefox' });
    expect(rules.map((r) => describeRuleId(r.id)?.kind)).toEqual([
      'redirect-domain-hosts', 'block-domain-hosts', 'block-trailing-dot-hosts', 'redirect-trailing-dot-hosts', 'redirect-exact-hosts', 'block-exact-hosts',
    ]);
    expect(rules[0]?.condition.requestDomains).toHaveLength(20_000);
    const all = big.services.map((s) => exception(s.id));
    expect(() => compile({ bundle: big, enabledOrganizations: ['org'], exceptions: all })).toThrow(/MAX_NUMBER_OF_SESSION_RULES \(5000\)/);
  });

  it('refuses an exact host with more labels than Chrome can match', () => {
    const deep = syntheticBundle([{ id: 'deep', hosts: [['a.b.c.d.e.f.g.h.example', 'exact']] }]);
    expect(() => compile({ bundle: deep, enabledOrganizations: ['org'] })).toThrow(/2 to 8 labels/);
  });
});

describe('catalogHostPatterns', () => {
  it('asks for the catalog hosts and nothing broader', () => {
    const patterns = catalogHostPatterns(bundle);
    expect(patterns).toEqual(expect.arrayContaining(['*://deepseek.com/*', '*://*.deepseek.com/*', '*://gemini.google.com/*']));
    for (const broad of ['<all_urls>', '*://*/*', '*://*.google.com/*', '*://*.gemini.google.com/*', '*://google.com/*']) {
      expect(patterns).not.toContain(broad);
    }
    expect([...new Set(patterns)].sort()).toEqual(patterns);
    for (const p of patterns) expect(p).toMatch(/^\*:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/\*$/);
  });

  it('has a trailing-dot twin of each pattern for Firefox, covering nothing more', () => {
    expect(trailingDotHostPatterns(['*://deepseek.com/*', '*://*.deepseek.com/*'])).toEqual(['*://deepseek.com./*', '*://*.deepseek.com./*']);
  });
});
