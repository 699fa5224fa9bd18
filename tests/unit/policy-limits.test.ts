/**
 * Caps on what enters: field lengths, notices and rules per organization,
 * organizations per import, total stored custom data, and the same for the
 * managed `organizations`. Over a cap: an error naming the field and the
 * limit, and nothing changes. The managed caps admit an organization's whole
 * list (1,000 organizations), and everything stored fits Chrome's quota.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import {
  CUSTOM_FILE_KIND,
  customPoliciesOverLimit,
  mergeCustomPolicies,
  parseCustomPoliciesFile,
  type CustomPolicies,
} from '../../src/core/custom-organizations';
import { measureJson } from '../../src/core/json-size';
import { readManagedOrganizations } from '../../src/core/managed-organizations';
import { COUNT_LIMITS, CUSTOM_LIMITS, FIELD_LIMITS, MANAGED_LIMITS, STORAGE_BUDGET } from '../../src/core/policy-limits';
import { MANAGED_KEYS } from '../../src/shared/managed-policy';

const bundle = loadPolicyBundle();

const SOURCE = { id: 'acme-intranet', publisher: { en: 'Acme intranet', ko: '애크미 사내망' }, headline: 'External AI services', date: '2025-03-02' };

function notice(id = 'ai-ban', changes: Record<string, unknown> = {}) {
  return {
    id,
    source: SOURCE.id,
    quotes: [{ text: 'Acme staff must not use DeepSeek for any work.' }],
    reasons: [{ en: 'Customer data could leave the company.', ko: '고객 정보가 회사 밖으로 나갈 수 있습니다.' }],
    status: 'in-force',
    ...changes,
  };
}

function organization(id = 'acme-corp', changes: Record<string, unknown> = {}) {
  return {
    id,
    name: { en: 'Acme Corp', ko: '애크미' },
    sector: 'company',
    country: 'KR',
    notices: [notice()],
    rules: [{ target: { category: 'generative-ai' }, scope: 'work-tasks', level: 'block', notice: 'ai-ban' }],
    ...changes,
  };
}

const file = (organizations: unknown[]) => ({ kind: CUSTOM_FILE_KIND, version: 1, sources: [SOURCE], organizations });
const importErrors = (organizations: unknown[]) => {
  const parsed = parseCustomPoliciesFile(JSON.stringify(file(organizations)), bundle);
  return parsed.ok ? [] : parsed.errors;
};

/** One change over each cap, the field it names, and the words of the limit. */
const OVER: [string, Record<string, unknown>, string][] = [
  ['a quote', { notices: [notice('ai-ban', { quotes: [{ text: 'q'.repeat(FIELD_LIMITS.quote + 1) }] })] }, 'organizations.0.notices.0.quotes.0.text: must be at most 5,000 characters'],
  ['a translation', { notices: [notice('ai-ban', { quotes: [{ text: 'q', ko: '번'.repeat(FIELD_LIMITS.quote + 1) }] })] }, 'organizations.0.notices.0.quotes.0.ko: must be at most 5,000 characters'],
  ['a title', { notices: [notice('ai-ban', { title: { text: 't'.repeat(FIELD_LIMITS.headline + 1) } })] }, 'organizations.0.notices.0.title.text: must be at most 500 characters'],
  ['a reason', { notices: [notice('ai-ban', { reasons: [{ en: 'r'.repeat(FIELD_LIMITS.reason + 1), ko: '이유' }] })] }, 'organizations.0.notices.0.reasons.0.en: must be at most 1,000 characters'],
  ['a name', { name: { en: 'Acme', ko: '애'.repeat(FIELD_LIMITS.name + 1) } }, 'organizations.0.name.ko: must be at most 200 characters'],
  ['an id', { id: 'a'.repeat(FIELD_LIMITS.id + 1) }, 'organizations.0.id: must be at most 100 characters'],
  ['an alias', { aliases: ['a'.repeat(FIELD_LIMITS.alias + 1)] }, 'organizations.0.aliases.0: must be at most 100 characters'],
  ['quotes per notice', { notices: [notice('ai-ban', { quotes: Array.from({ length: COUNT_LIMITS.quotesPerNotice + 1 }, () => ({ text: 'q' })) })] }, 'organizations.0.notices.0.quotes: must have at most 20 items'],
  ['reasons per notice', { notices: [notice('ai-ban', { reasons: Array.from({ length: COUNT_LIMITS.reasonsPerNotice + 1 }, () => ({ en: 'r', ko: '이' })) })] }, 'organizations.0.notices.0.reasons: must have at most 20 items'],
  ['notices per organization', { notices: Array.from({ length: COUNT_LIMITS.noticesPerOrganization + 1 }, (_, i) => notice(i === 0 ? 'ai-ban' : `n-${i}`)) }, 'organizations.0.notices: must have at most 50 items'],
  ['rules per organization', { rules: Array.from({ length: COUNT_LIMITS.rulesPerOrganization + 1 }, () => ({ target: { service: 'deepseek' }, scope: 'work-tasks', level: 'block', notice: 'ai-ban' })) }, 'organizations.0.rules: must have at most 1,000 items'],
];

describe('caps on an import', () => {
  it.each(OVER)('%s over its cap: refused, naming the field and the limit', (_what, changes, error) => {
    expect(importErrors([organization('acme-corp', changes)])).toContain(error);
  });

  it('accepts everything at its cap', () => {
    const atCaps = organization('acme-corp', {
      id: 'a'.repeat(FIELD_LIMITS.id),
      name: { en: 'n'.repeat(FIELD_LIMITS.name), ko: '애'.repeat(FIELD_LIMITS.name) },
      notices: [notice('ai-ban', { quotes: Array.from({ length: COUNT_LIMITS.quotesPerNotice }, () => ({ text: 'q'.repeat(FIELD_LIMITS.quote) })) })],
    });
    expect(importErrors([atCaps])).toEqual([]);
  });

  it('refuses more organizations in one file than it keeps', () => {
    const many = Array.from({ length: CUSTOM_LIMITS.organizations + 1 }, (_, i) => organization(`acme-${i}`));
    expect(importErrors(many)).toContain('organizations: must have at most 100 items');
  });

  it('refuses an import that would make the stored custom data larger than its cap, and says so; a smaller one is kept', () => {
    // 9 organizations of about 110 KB each (10 notices of 20 quotes of 550 characters).
    const big = (id: string) =>
      organization(id, {
        notices: Array.from({ length: 10 }, (_, n) => notice(n === 0 ? 'ai-ban' : `n-${n}`, { quotes: Array.from({ length: 20 }, () => ({ text: 'q'.repeat(550) })) })),
      });
    const first = parseCustomPoliciesFile(JSON.stringify(file(Array.from({ length: 8 }, (_, i) => big(`acme-${i}`)))), bundle);
    expect(first.ok).toBe(true);
    const stored: CustomPolicies = mergeCustomPolicies({ sources: [], organizations: [] }, first.ok ? first.policies : { sources: [], organizations: [] }).value;
    expect(customPoliciesOverLimit(stored)).toBeNull();

    const more = parseCustomPoliciesFile(JSON.stringify(file([big('acme-8'), big('acme-9')])), bundle);
    expect(more.ok, 'each file is within the caps on its own').toBe(true);
    const merged = mergeCustomPolicies(stored, more.ok ? more.policies : { sources: [], organizations: [] }).value;
    expect(measureJson(merged, { maxBytes: Infinity, maxDepth: 64 })).toMatchObject({ ok: true });
    expect(customPoliciesOverLimit(merged)).toBe(
      'organizations: custom organizations can take at most 1,000,000 bytes in all, and this import would make more; remove some first',
    );
    // Replacing the same organizations keeps the size: accepted.
    expect(customPoliciesOverLimit(mergeCustomPolicies(stored, { sources: [SOURCE], organizations: stored.organizations.slice(0, 2) } as CustomPolicies).value)).toBeNull();
  });

  it('counts organizations kept across imports', () => {
    const stored = { sources: [SOURCE], organizations: Array.from({ length: 100 }, (_, i) => organization(`acme-${i}`)) } as CustomPolicies;
    expect(customPoliciesOverLimit(stored)).toBeNull();
    const one = { sources: [SOURCE], organizations: [organization('acme-new')] } as CustomPolicies;
    expect(customPoliciesOverLimit(mergeCustomPolicies(stored, one).value)).toBe(
      'organizations: at most 100 custom organizations can be kept, and this import would make 101',
    );
  });

  it('the shipped policies are within every cap (they are read with the same schema)', () => {
    expect(bundle.organizations.length).toBeGreaterThan(30);
  });
});

describe('caps on the managed organizations', () => {
  it('admits 1,000 organizations with 10 rules each, as one object or one string', () => {
    const rules = bundle.services.slice(0, 10).map((s) => ({ target: { service: s.id }, scope: 'office-devices', level: 'block', notice: 'ai-ban' }));
    const thousand = file(Array.from({ length: 1_000 }, (_, i) => organization(`org-${i}`, { rules })));
    for (const value of [thousand, JSON.stringify(thousand)]) {
      const read = readManagedOrganizations(value, bundle);
      expect(read.problems).toEqual([]);
      expect(read.policies.organizations).toHaveLength(1_000);
    }
    expect(Buffer.byteLength(JSON.stringify(thousand))).toBeLessThan(MANAGED_LIMITS.organizationsBytes);
  });

  it('ignores the one organization over a cap, by field and limit, and applies the others', () => {
    const read = readManagedOrganizations(
      file([organization('acme-huge', { notices: [notice('ai-ban', { quotes: [{ text: 'q'.repeat(720_000) }] })] }), organization('acme-fine')]),
      bundle,
    );
    expect(read.problems).toEqual(['organizations.0.notices.0.quotes.0.text: must be at most 5,000 characters (ignored)']);
    expect(read.policies.organizations.map((o) => o.id)).toEqual(['acme-fine']);
  });

  it('ignores more organizations than its cap, and a value larger or deeper than its cap, before reading any', () => {
    const tooMany = file(Array.from({ length: MANAGED_LIMITS.organizations + 1 }, (_, i) => ({ id: `o-${i}` })));
    expect(readManagedOrganizations(tooMany, bundle).problems[0]).toBe(
      'organizations: organizations: must have at most 2,000 items; a whole custom organizations file is expected (ignored)',
    );
    const huge = file([organization('acme-corp', { padding: 'x'.repeat(MANAGED_LIMITS.organizationsBytes) })]);
    expect(readManagedOrganizations(huge, bundle).problems).toEqual(['organizations: larger than 3,000,000 bytes (ignored)']);
    expect(readManagedOrganizations(JSON.stringify(huge), bundle).problems).toEqual(['organizations: larger than 3,000,000 bytes (ignored)']);
    let deep: unknown = organization();
    for (let i = 0; i < 100_000; i += 1) deep = { notices: deep };
    expect(readManagedOrganizations(file([deep]), bundle).problems).toEqual(['organizations: nested deeper than 32 levels (ignored)']);
    const deepText = `{"kind":"${CUSTOM_FILE_KIND}","version":1,"organizations":[${'['.repeat(50_000)}${']'.repeat(50_000)}]}`;
    expect(readManagedOrganizations(deepText, bundle).problems).toEqual(['organizations: nested deeper than 32 levels (ignored)']);
  });
});

describe('the storage budget', () => {
  it('what the caps let in, and the table bound, fit in Chrome storage.local with room to spare', () => {
    const otherManagedValues = (MANAGED_KEYS.length - 1) * MANAGED_LIMITS.valueBytes;
    const bounded = CUSTOM_LIMITS.storedBytes + MANAGED_LIMITS.organizationsBytes + otherManagedValues + STORAGE_BUDGET.verdictTableBytes;
    // Settings, exceptions, the activity log and the notices share the rest.
    expect(STORAGE_BUDGET.quotaBytes - bounded).toBeGreaterThan(2_000_000);
    expect(STORAGE_BUDGET.quotaBytes).toBe(10 * 1024 * 1024);
  });
});
