/**
 * Custom organization policies: the same OrganizationSchema as the shipped
 * files, every problem named by field, nothing stored lost on a bad file, and
 * a custom profile that really decides and compiles into DNR rules.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import {
  CUSTOM_FILE_KIND,
  EMPTY_CUSTOM_POLICIES,
  customPoliciesFile,
  mergeCustomPolicies,
  mergeIntoBundle,
  parseCustomPoliciesFile,
  readStoredCustomPolicies,
  removeCustomOrganization,
  type CustomPolicies,
} from '../../src/core/custom-organizations';
import { createDecider } from '../../src/core/decide';
import { compileDnrRules } from '../../src/core/dnr';
import { buildVerdictView } from '../../src/core/verdict-view';
import type { PolicyBundle } from '../../src/core/policy-schema';

let bundle: PolicyBundle;
beforeAll(() => {
  bundle = loadPolicyBundle();
});

function acme(overrides: Record<string, unknown> = {}) {
  return {
    id: 'acme-corp',
    name: { en: 'Acme Corp', ko: '애크미' },
    sector: 'company',
    country: 'KR',
    notices: [
      {
        id: 'ai-ban',
        source: 'acme-intranet-2025-03',
        title: { text: 'Use of external AI services' },
        date: { on: '2025-03-02', sourceSays: 'March 2' },
        quotes: [{ text: 'Do not use DeepSeek for any work.' }],
        reasons: [{ en: 'Data leaves the company', ko: '데이터 유출' }],
        status: 'in-force',
      },
    ],
    rules: [{ target: { service: 'deepseek' }, scope: 'work-tasks', level: 'block', notice: 'ai-ban' }],
    ...overrides,
  };
}

const SOURCE = {
  id: 'acme-intranet-2025-03',
  publisher: { en: 'Acme Corp intranet', ko: '애크미 사내망' },
  headline: 'Use of external AI services',
  date: '2025-03-02',
};

const file = (organizations: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: CUSTOM_FILE_KIND, version: 1, sources: [SOURCE], organizations, ...extra });

function parsed(text: string): CustomPolicies {
  const result = parseCustomPoliciesFile(text, bundle);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.policies;
}

describe('parseCustomPoliciesFile', () => {
  it('reads a valid file', () => {
    const policies = parsed(file([acme()]));
    expect(policies.organizations.map((o) => o.id)).toEqual(['acme-corp']);
    expect(policies.sources.map((s) => s.id)).toEqual(['acme-intranet-2025-03']);
  });

  it('lets a custom notice cite a shipped source', () => {
    const org = acme();
    org.notices[0]!.source = 'kjd-2025-02-06';
    expect(parsed(JSON.stringify({ kind: CUSTOM_FILE_KIND, version: 1, organizations: [org] })).sources).toEqual([]);
  });

  it.each([
    ['not JSON', '{"kind": ', /^\(root\): not JSON/],
    ['another file kind', JSON.stringify({ kind: 'something-else', version: 1, organizations: [acme()] }), /^kind: must be "ai-policy-guard\/custom-organizations"$/],
    ['an unknown service', file([acme({ rules: [{ target: { service: 'skynet' }, scope: 'work-tasks', level: 'block', notice: 'ai-ban' }] })]), /^organizations\.0\.rules\.0\.target\.service: unknown service "skynet"/],
    ['an unknown category', file([acme({ rules: [{ target: { category: 'robots' }, scope: 'work-tasks', level: 'block', notice: 'ai-ban' }] })]), /^organizations\.0\.rules\.0\.target\.category: unknown category "robots"$/],
    ['a rule naming a missing notice', file([acme({ rules: [{ target: { service: 'deepseek' }, scope: 'work-tasks', level: 'block', notice: 'nope' }] })]), /^organizations\.0\.rules\.0\.notice: no notice "nope"/],
    ['a built-in organization id', file([acme({ id: 'khnp' })]), /^organizations\.0\.id: "khnp" is a built-in organization/],
    ['a bad level', file([acme({ rules: [{ target: { service: 'deepseek' }, scope: 'work-tasks', level: 'ban', notice: 'ai-ban' }] })]), /^organizations\.0\.rules\.0\.level: /],
    ['a bad country', file([acme({ country: 'Korea' })]), /^organizations\.0\.country: must be an ISO 3166 code/],
    ['an unknown key', file([acme({ extra: 1 })]), /^organizations\.0: Unrecognized key/],
    ['no organizations', file([]), /^organizations: /],
  ])('names the field for %s', (_, text, expected) => {
    const result = parseCustomPoliciesFile(text, bundle);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(expected);
  });

  it('reports an unknown source, duplicates and built-in source ids', () => {
    const org = acme();
    org.notices[0]!.source = 'nowhere';
    let result = parseCustomPoliciesFile(file([org]), bundle);
    expect(!result.ok && result.errors).toEqual(['organizations.0.notices.0.source: unknown source "nowhere"']);
    result = parseCustomPoliciesFile(file([acme(), acme()]), bundle);
    expect(!result.ok && result.errors).toEqual(['organizations.1.id: duplicate organization id "acme-corp"']);
    result = parseCustomPoliciesFile(file([acme()], { sources: [SOURCE, { ...SOURCE, id: 'kjd-2025-02-06' }] }), bundle);
    expect(!result.ok && result.errors[0]).toMatch(/^sources\.1\.id: "kjd-2025-02-06" is a built-in source/);
  });

  it('accepts personal use, context and aliases, and personal use only in the notice’s own words', () => {
    const org = acme({ aliases: ['애크미코프'] });
    const notice = org.notices[0] as Record<string, unknown>;
    notice.quotes = [{ text: 'Do not use DeepSeek for any work. Personal use is fine.' }];
    notice.personalUse = { banned: false, sourceSays: 'Personal use is fine.' };
    notice.context = [{ text: 'A rival was hacked.', about: { en: 'A news report, not Acme’s words', ko: '애크미의 발표가 아닌 보도' } }];
    const ok = parsed(file([org]));
    expect(ok.organizations[0]?.aliases).toEqual(['애크미코프']);
    expect(ok.organizations[0]?.notices[0]?.personalUse?.sourceSays).toBe('Personal use is fine.');

    notice.personalUse = { banned: false, sourceSays: 'Personal use is allowed.' };
    const result = parseCustomPoliciesFile(file([org]), bundle);
    expect(!result.ok && result.errors).toEqual(["organizations.0.notices.0.personalUse.sourceSays: must be words of one of this notice's quotes"]);
  });

  it('refuses an absurdly large file before parsing it', () => {
    const result = parseCustomPoliciesFile(' '.repeat(1_000_001), bundle);
    expect(!result.ok && result.errors[0]).toMatch(/larger than/);
  });

  it('reads back exactly what it exports', () => {
    const policies = parsed(file([acme()]));
    expect(parsed(JSON.stringify(customPoliciesFile(policies)))).toEqual(policies);
  });
});

describe('stored custom policies', () => {
  it('adds, replaces and removes, keeping only the sources still cited', () => {
    const first = mergeCustomPolicies(EMPTY_CUSTOM_POLICIES, parsed(file([acme()])));
    expect(first).toMatchObject({ added: ['acme-corp'], replaced: [] });
    const second = mergeCustomPolicies(first.value, parsed(file([acme({ name: { en: 'Acme', ko: '애크미' } }), acme({ id: 'beta-inc' })])));
    expect(second).toMatchObject({ added: ['beta-inc'], replaced: ['acme-corp'] });
    expect(second.value.organizations.map((o) => [o.id, o.name.en])).toEqual([
      ['acme-corp', 'Acme'],
      ['beta-inc', 'Acme Corp'],
    ]);
    const removed = removeCustomOrganization(removeCustomOrganization(second.value, 'acme-corp'), 'beta-inc');
    expect(removed).toEqual(EMPTY_CUSTOM_POLICIES);
  });

  it('keeps what is stored when an import fails (the import is all or nothing)', () => {
    const stored = mergeCustomPolicies(EMPTY_CUSTOM_POLICIES, parsed(file([acme()]))).value;
    const bad = parseCustomPoliciesFile(file([acme({ id: 'beta-inc', country: 'nowhere' })]), bundle);
    expect(bad.ok).toBe(false);
    // Nothing to merge: the caller stores only after a successful parse.
    expect(stored.organizations.map((o) => o.id)).toEqual(['acme-corp']);
  });

  it('drops only the broken organizations of what was stored', () => {
    const good = parsed(file([acme()]));
    const broken = { ...acme({ id: 'old-org' }), rules: [{ target: { service: 'gone-service' }, scope: 'work-tasks', level: 'block', notice: 'ai-ban' }] };
    const { value, dropped } = readStoredCustomPolicies({ sources: good.sources, organizations: [...good.organizations, broken, 'garbage'] }, bundle);
    expect(value.organizations.map((o) => o.id)).toEqual(['acme-corp']);
    expect(dropped).toHaveLength(2);
    expect(readStoredCustomPolicies('garbage', bundle)).toEqual({ value: EMPTY_CUSTOM_POLICIES, dropped: ['custom policies: unreadable, all dropped'] });
    expect(readStoredCustomPolicies(undefined, bundle)).toEqual({ value: EMPTY_CUSTOM_POLICIES, dropped: [] });
  });
});

describe('a custom organization in force', () => {
  it('decides, cites its own notice and source, and compiles into DNR rules', () => {
    const merged = mergeIntoBundle(bundle, parsed(file([acme()])));
    expect(merged.organizations).toHaveLength(bundle.organizations.length + 1);
    const decision = createDecider(merged).decideForUrl('https://chat.deepseek.com/', { enabledOrganizations: ['acme-corp'], allowProceedOnBlock: false });
    expect(decision.level).toBe('block');
    expect(decision.citations.map((c) => c.organizationId)).toEqual(['acme-corp']);
    const view = buildVerdictView(merged, decision);
    expect(view.citations[0]?.rules[0]?.source.publisher.en).toBe('Acme Corp intranet');
    expect(view.citations[0]?.rules[0]?.source.weekday).toBe('Sunday');

    const rules = compileDnrRules({
      bundle: merged,
      enabledOrganizations: ['acme-corp'],
      exceptions: [],
      now: 0,
      interstitialUrl: 'chrome-extension://x/src/pages/interstitial/index.html',
      target: 'chrome',
    });
    expect(JSON.stringify(rules)).toContain('deepseek.com');
    const none = compileDnrRules({ bundle: merged, enabledOrganizations: [], exceptions: [], now: 0, interstitialUrl: 'chrome-extension://x/i.html', target: 'chrome' });
    expect(JSON.stringify(none)).not.toContain('deepseek.com');
  });

  it('leaves the shipped bundle untouched when there is nothing custom', () => {
    expect(mergeIntoBundle(bundle, EMPTY_CUSTOM_POLICIES)).toBe(bundle);
  });
});
