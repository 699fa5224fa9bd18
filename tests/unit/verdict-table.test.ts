/**
 * The verdict table the interstitial reads instead of waking the background
 * must say exactly what the background would: for every profile set, device
 * context and proceed setting, and every address a rule stops, the looked-up
 * verdict equals the decider's own, and it has one wherever the rules stop.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { createDecider } from '../../src/core/decide';
import type { DecideOptions } from '../../src/core/decision-types';
import { DEVICE_CONTEXTS } from '../../src/core/device-context';
import { compileDnrRules, interceptedServices } from '../../src/core/dnr';
import { lookupVerdict, VERDICT_KEY_PARAM, type VerdictTable } from '../../src/core/verdict-table';
import { buildVerdictTable, canonicalJson, digest, verdictTableFits } from '../../src/core/verdict-table-build';
import { mergeIntoBundle } from '../../src/core/custom-organizations';
import type { OrganizationPolicy } from '../../src/core/policy-schema';
import { buildVerdictView } from '../../src/core/verdict-view';

const bundle = loadPolicyBundle();
const decider = createDecider(bundle);
const PAGE = { proceedMinutes: 10, customMessage: null, note: 'the same for every service' };
const organizations = bundle.organizations.map((o) => o.id);

function table(options: DecideOptions, excepted: string[] = [], page: object = PAGE): VerdictTable<object> {
  return buildVerdictTable({ bundle, decider, options, page, excepted: new Set(excepted) });
}

/** Every form of every catalog host a person could type or a page could link. */
function addresses(): string[] {
  const out: string[] = [];
  for (const service of bundle.services) {
    for (const { host, match } of service.hosts) {
      out.push(`https://${host}/`, `http://${host.toUpperCase()}:8080/path?q=1#frag`, `https://${host}./`, `https://user:pw@${host}/x`);
      if (match === 'domain') out.push(`https://deep.sub.${host}/chat`);
      else out.push(`https://sub.${host}/`);
    }
  }
  out.push('https://unrelated.example/', 'https://chat.deepseek.com@evil.example/', 'https://deepseek.com.evil.example/', 'not a url', '', 'blob:https://chat.deepseek.com/x', 'ftp://deepseek.com/');
  return out;
}

const OPTION_SETS: DecideOptions[] = [
  ...organizations.map((id) => ({ enabledOrganizations: [id], allowProceedOnBlock: false })),
  { enabledOrganizations: organizations, allowProceedOnBlock: true, allowProceedOnWarn: false },
  ...DEVICE_CONTEXTS.flatMap((deviceContext) => [
    { enabledOrganizations: organizations, allowProceedOnBlock: false, deviceContext },
    { enabledOrganizations: organizations.slice(0, 5), allowProceedOnBlock: true, deviceContext },
  ]),
  { enabledOrganizations: [], allowProceedOnBlock: false },
];

describe('verdict table', () => {
  it('answers every address exactly as the decider does, and wherever the decider stops it', () => {
    let stopped = 0;
    for (const options of OPTION_SETS) {
      const t = table(options);
      for (const address of addresses()) {
        const decision = decider.decideForUrl(address, options);
        const found = lookupVerdict(t, address);
        const stops = decision.level === 'warn' || decision.level === 'block';
        if (!stops) {
          expect(found, `${address} with ${options.enabledOrganizations.join(',')}`).toBeNull();
          continue;
        }
        stopped += 1;
        expect(found, `${address}: the table has no verdict where the decider stops it`).not.toBeNull();
        expect(found).toEqual({ ...PAGE, verdict: buildVerdictView(bundle, decision) });
      }
    }
    // The corpus did reach stopped addresses in every shape.
    expect(stopped).toBeGreaterThan(500);
  });

  it('holds a verdict for exactly the services the rules intercept', () => {
    for (const options of OPTION_SETS) {
      const intercepted = interceptedServices(bundle, options.enabledOrganizations, options.deviceContext);
      expect(Object.keys(table(options).verdicts).sort()).toEqual([...intercepted.keys()].sort());
    }
  });

  it('leaves a service with a standing proceed exception to the background', () => {
    const options = { enabledOrganizations: organizations, allowProceedOnBlock: false };
    const t = table(options, ['deepseek']);
    expect(t.verdicts).not.toHaveProperty('deepseek');
    expect(lookupVerdict(t, 'https://chat.deepseek.com/')).toBeNull();
    expect(lookupVerdict(table(options), 'https://chat.deepseek.com/')).not.toBeNull();
  });

  it('has one key per content: the same state in any order gives the same key, any change another', () => {
    const all = { enabledOrganizations: organizations, allowProceedOnBlock: false };
    const reversed = { enabledOrganizations: [...organizations].reverse(), allowProceedOnBlock: false };
    expect(table(all).key).toBe(table(reversed).key);
    const keys = new Set([
      table(all).key,
      table({ ...all, allowProceedOnBlock: true }).key,
      table({ ...all, deviceContext: 'personal' }).key,
      table({ ...all, enabledOrganizations: organizations.slice(1) }).key,
      table(all, ['deepseek']).key,
      table(all, [], { ...PAGE, proceedMinutes: 5 }).key,
    ]);
    expect(keys.size).toBe(6);
    expect(table(all).key).toMatch(/^[0-9a-z]{14}$/);
  });

  it('is found from the address the compiled redirect sends the page to', () => {
    const options = { enabledOrganizations: ['kb-financial-group'], allowProceedOnBlock: false };
    const t = table(options);
    const base = 'chrome-extension://abcdefghijklmnop/src/pages/interstitial/index.html';
    const rules = compileDnrRules({ bundle, ...options, exceptions: [], now: 0, interstitialUrl: `${base}?${VERDICT_KEY_PARAM}=${t.key}` });
    const redirect = rules.find((r) => r.action.type === 'redirect');
    const substitution = redirect?.action.redirect?.regexSubstitution ?? '';
    // The browser puts the whole blocked URL where \0 is.
    const landed = new URL(substitution.replace('\\0', 'https://chat.deepseek.com/a?b=c'));
    expect(landed.searchParams.get(VERDICT_KEY_PARAM)).toBe(t.key);
    expect(lookupVerdict(t, landed.hash.slice(1))?.verdict.service?.id).toBe('deepseek');
  });

  it('never throws, whatever the address or a damaged table', () => {
    const t = table({ enabledOrganizations: organizations, allowProceedOnBlock: false });
    const damaged = [
      { ...t, services: [{ id: 'x' }] },
      { ...t, services: null },
      { ...t, verdicts: { deepseek: null } },
      { ...t, verdicts: Object.create({ deepseek: t.verdicts.deepseek }) as object },
    ] as unknown as VerdictTable<object>[];
    for (const bad of damaged) expect(() => lookupVerdict(bad, 'https://chat.deepseek.com/')).not.toThrow();
    expect(lookupVerdict(damaged[3]!, 'https://chat.deepseek.com/')).toBeNull();
    for (const odd of ['https://%', 'https://[::1]/', `https://${'a.'.repeat(200)}com/`, 'https://xn--/', '\u0000']) {
      expect(() => lookupVerdict(t, odd)).not.toThrow();
    }
  });

  it('digests text into a stable key that tells near texts apart', () => {
    expect(digest('abc')).toBe(digest('abc'));
    expect(digest('abc')).not.toBe(digest('abd'));
    expect(digest('')).not.toBe(digest('\u0000'));
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });

  it('stores each organization, notice and source once, however many services cite them', () => {
    const t = table({ enabledOrganizations: organizations, allowProceedOnBlock: false });
    const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
    expect(new Set(ids(t.organizations)).size).toBe(t.organizations.length);
    expect(new Set(ids(t.sources)).size).toBe(t.sources.length);
    const noticeKeys = t.notices.map((n) => JSON.stringify(n.notice));
    expect(new Set(noticeKeys).size).toBe(noticeKeys.length);
    // Referred to by index, and every index resolves.
    const citationKeys = t.citations.map((c) => JSON.stringify(c));
    expect(new Set(citationKeys).size).toBe(citationKeys.length);
    const refs = [
      ...Object.values(t.verdicts).flatMap((v) => v.citations),
      ...t.citations.flatMap((c) => [c.organization, ...c.rules.map((r) => r.notice)]),
    ];
    expect(refs.every((i) => Number.isInteger(i))).toBe(true);
    // Fewer citations stored than cited: the same organization's citation serves several services.
    expect(t.citations.length).toBeLessThan(Object.values(t.verdicts).reduce((n, v) => n + v.citations.length, 0));
    expect(Object.keys(t.verdicts).length).toBeGreaterThan(10);
  });

  it('grows with a large notice once, not once per service its category rule stops', () => {
    const quote = 'Acme staff must not use generative AI for any work. '.repeat(90);
    const acme: OrganizationPolicy = {
      id: 'acme-corp',
      name: { en: 'Acme Corp', ko: '애크미' },
      sector: 'company',
      country: 'KR',
      notices: Array.from({ length: 10 }, (_, i) => ({ id: `n-${i}`, source: bundle.sources[0]!.id, quotes: Array.from({ length: 20 }, () => ({ text: quote })), reasons: [], status: 'in-force' as const })),
      rules: Array.from({ length: 10 }, (_, i) => ({ target: { category: 'generative-ai' }, scope: 'work-tasks' as const, level: 'block' as const, notice: `n-${i}` })),
    };
    const merged = mergeIntoBundle(bundle, { sources: [], organizations: [acme] });
    const t = buildVerdictTable({ bundle: merged, decider: createDecider(merged), options: { enabledOrganizations: ['acme-corp'], allowProceedOnBlock: false }, page: PAGE, excepted: new Set() });
    const organizationBytes = JSON.stringify(acme).length;
    const tableBytes = JSON.stringify(t).length;
    expect(Object.keys(t.verdicts).length).toBeGreaterThanOrEqual(10);
    expect(organizationBytes).toBeGreaterThan(900_000);
    expect(tableBytes).toBeLessThan(1.1 * organizationBytes);
    expect(verdictTableFits(t)).toBe(true);
    // Every service's warning still cites all ten notices, in full.
    const found = lookupVerdict(t, 'https://chat.deepseek.com/');
    expect(found?.verdict.citations[0]?.rules.map((r) => r.notice.quotes.length)).toEqual(Array(10).fill(20));
  });

  it('is not stored past its size bound', () => {
    const small = table({ enabledOrganizations: organizations, allowProceedOnBlock: false });
    expect(verdictTableFits(small)).toBe(true);
    expect(verdictTableFits(table({ enabledOrganizations: organizations, allowProceedOnBlock: false }, [], { note: 'x'.repeat(3_000_000) }))).toBe(false);
  });

  it('answers null for a reference the table does not hold', () => {
    const t = table({ enabledOrganizations: ['kb-financial-group'], allowProceedOnBlock: false });
    expect(lookupVerdict(t, 'https://chat.deepseek.com/')).not.toBeNull();
    for (const damaged of [
      { ...t, notices: [] },
      { ...t, organizations: [] },
      { ...t, sources: [] },
      { ...t, citations: [] },
      { ...t, notices: null },
      { ...t, notices: t.notices.map((n) => ({ ...n, source: 'zero' })) },
    ] as unknown as VerdictTable<object>[]) {
      expect(lookupVerdict(damaged, 'https://chat.deepseek.com/')).toBeNull();
    }
  });

  it('fits the scale an organization pushes: 1,000 organizations, each its own notice, all on', () => {
    const rules = bundle.services.slice(0, 10).map((s) => ({ target: { service: s.id }, scope: 'office-devices' as const, level: 'block' as const, notice: 'ai-ban' }));
    const many: OrganizationPolicy[] = Array.from({ length: 1_000 }, (_, i) => ({
      id: `org-${i}`,
      name: { en: `Organization ${i}`, ko: `기관 ${i}` },
      sector: 'company',
      country: 'KR',
      notices: [{ id: 'ai-ban', source: bundle.sources[0]!.id, quotes: [{ text: `Organization ${i} staff must not use these AI services for any work.` }], reasons: [], status: 'in-force' as const }],
      rules,
    }));
    const merged = mergeIntoBundle(bundle, { sources: [], organizations: many });
    const started = performance.now();
    const t = buildVerdictTable({ bundle: merged, decider: createDecider(merged), options: { enabledOrganizations: many.map((o) => o.id), allowProceedOnBlock: false }, page: PAGE, excepted: new Set() });
    const ms = performance.now() - started;
    const bytes = Buffer.byteLength(JSON.stringify(t));
    console.log(`[verdict table] 1,000 organizations x 10 services: ${bytes} bytes, built in ${ms.toFixed(0)} ms`);
    expect(t.notices).toHaveLength(1_000);
    expect(verdictTableFits(t)).toBe(true);
    expect(lookupVerdict(t, 'https://chat.deepseek.com/')?.verdict.citations).toHaveLength(1_000);
  });
});
