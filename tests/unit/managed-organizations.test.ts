/**
 * The managed key `organizations`: a whole custom organizations file from the
 * administrator, as an object or as the same JSON in a string; each
 * organization checked on its own; the policy locks that hold it in place.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { readManagedOrganizations } from '../../src/core/managed-organizations';
import { readManagedPolicy } from '../../src/shared/managed-policy';
import { effectiveSettings } from '../../src/shared/effective-settings';
import { heldByPolicy, logHeldByPolicy, profilesKeptOnReset } from '../../src/shared/policy-locks';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

const bundle = loadPolicyBundle();
const knownOrganizations = new Set(bundle.organizations.map((o) => o.id));

const acme = (id = 'acme-corp', changes: Record<string, unknown> = {}) => ({
  id,
  name: { en: 'Acme Corp', ko: '애크미' },
  sector: 'company',
  country: 'KR',
  notices: [
    {
      id: 'ai-ban',
      source: 'acme-intranet',
      quotes: [{ text: 'Acme staff must not use DeepSeek on any device that holds company data.' }],
      reasons: [{ en: 'Customer data could leave the company.', ko: '고객 정보가 회사 밖으로 나갈 수 있습니다.' }],
      status: 'in-force',
      url: 'https://intranet.acme.example/notices/ai',
    },
  ],
  rules: [{ target: { service: 'deepseek' }, scope: 'office-devices', level: 'block', notice: 'ai-ban' }],
  ...changes,
});

const file = (organizations: unknown[]) => ({
  kind: 'ai-policy-guard/custom-organizations',
  version: 1,
  sources: [{ id: 'acme-intranet', publisher: { en: 'Acme intranet', ko: '애크미 사내망' }, headline: 'External AI services', date: '2025-03-02' }],
  organizations,
});

describe('readManagedOrganizations', () => {
  it('reads the object form and the same JSON in a string (REG_SZ) alike', () => {
    const object = readManagedOrganizations(file([acme()]), bundle);
    expect(object.problems).toEqual([]);
    expect(object.policies.organizations.map((o) => o.id)).toEqual(['acme-corp']);
    expect(object.policies.organizations[0]?.notices[0]?.url).toBe('https://intranet.acme.example/notices/ai');
    expect(object.policies.sources.map((s) => s.id)).toEqual(['acme-intranet']);
    expect(readManagedOrganizations(JSON.stringify(file([acme()])), bundle)).toEqual(object);
  });

  it('ignores one bad organization, reports it by field, and applies the good one', () => {
    const bad = acme('beta-inc', { rules: [{ target: { service: 'skynet' }, scope: 'work-tasks', level: 'warn', notice: 'ai-ban' }] });
    const read = readManagedOrganizations(file([bad, acme()]), bundle);
    expect(read.policies.organizations.map((o) => o.id)).toEqual(['acme-corp']);
    expect(read.problems).toEqual(['organizations.0.rules.0.target.service: unknown service "skynet" (not in the extension\'s catalog) (ignored)']);
  });

  it('reports schema errors by field, one organization at a time', () => {
    const read = readManagedOrganizations(file([acme('x', { country: 'Korea' }), { id: 'nameless' }, acme()]), bundle);
    expect(read.policies.organizations.map((o) => o.id)).toEqual(['acme-corp']);
    expect(read.problems).toContain('organizations.0.country: must be an ISO 3166 code such as KR or US-TX (ignored)');
    expect(read.problems.some((p) => p.startsWith('organizations.1.name: '))).toBe(true);
  });

  it('refuses a notice link that is not https', () => {
    const notices = [{ ...acme().notices[0], url: 'http://intranet.acme.example/' }];
    const read = readManagedOrganizations(file([acme('acme-corp', { notices })]), bundle);
    expect(read.policies.organizations).toEqual([]);
    expect(read.problems).toEqual(['organizations.0.notices.0.url: must be an https:// URL (ignored)']);
  });

  it('refuses ids of the shipped profiles and duplicates', () => {
    const read = readManagedOrganizations(file([acme('khnp'), acme(), acme()]), bundle);
    expect(read.policies.organizations.map((o) => o.id)).toEqual(['acme-corp']);
    expect(read.problems).toEqual([
      'organizations.0.id: "khnp" is a built-in organization; a custom one needs its own id (ignored)',
      'organizations.2.id: duplicate organization id "acme-corp" (ignored)',
    ]);
  });

  it('ignores the whole key when the wrapper is wrong or the string is not JSON', () => {
    expect(readManagedOrganizations({ organizations: [acme()] }, bundle).problems).toEqual([
      expect.stringMatching(/^organizations: kind: must be "ai-policy-guard\/custom-organizations"; .*\(ignored\)$/),
    ]);
    expect(readManagedOrganizations('{not json', bundle).problems).toEqual([expect.stringMatching(/^organizations: not JSON \(.*\) \(ignored\)$/)]);
    expect(readManagedOrganizations(42, bundle).policies.organizations).toEqual([]);
  });
});

describe('readManagedPolicy with organizations', () => {
  it('lets enabledProfiles name the organization it brings, in any case', () => {
    const report = readManagedPolicy({ organizations: file([acme()]), enabledProfiles: ['ACME-CORP', 'khnp'] }, { bundle, knownOrganizations });
    expect(report.problems).toEqual([]);
    expect(report.policy.enabledProfiles).toEqual(['acme-corp', 'khnp']);
    expect(report.policy.organizations?.organizations.map((o) => o.id)).toEqual(['acme-corp']);
  });

  it('reports a forced id whose organization was ignored', () => {
    const bad = acme('acme-corp', { sector: 'spaceship' });
    const report = readManagedPolicy({ organizations: file([bad]), enabledProfiles: ['acme-corp'] }, { bundle, knownOrganizations });
    expect(report.policy.enabledProfiles).toEqual([]);
    expect(report.policy.organizations).toBeUndefined();
    expect(report.problems).toEqual([
      expect.stringMatching(/^organizations\.0\.sector: .*\(ignored\)$/),
      'enabledProfiles.0: unknown organization "acme-corp" (ignored)',
    ]);
  });
});

describe('policy locks', () => {
  const managed = readManagedPolicy({ enabledProfiles: ['khnp'], requireJustification: true }, { bundle, knownOrganizations }).policy;
  const user = { ...DEFAULT_SETTINGS, enabledOrganizations: ['kakao', 'my-own'] };

  it('holds forced profiles and the organization\'s own; leaves the rest to the user', () => {
    const effective = effectiveSettings(user, managed);
    expect(heldByPolicy(effective, ['acme-corp'], 'acme-corp')).toBe("comes from your organization's policy");
    expect(heldByPolicy(effective, [], 'khnp')).toBe('is turned on by your organization');
    expect(heldByPolicy(effective, [], 'my-own')).toBeNull();
    expect(profilesKeptOnReset(effective)).toEqual(new Set(['khnp']));
  });

  it('with every profile locked, holds every profile that is on', () => {
    const effective = effectiveSettings(user, { ...managed, lockProfiles: true });
    expect(heldByPolicy(effective, [], 'my-own')).toBe('is locked on by your organization');
    expect(heldByPolicy(effective, [], 'naver')).toBeNull();
    expect(profilesKeptOnReset(effective)).toEqual(new Set(['kakao', 'khnp', 'my-own']));
  });

  it('keeps the log while a reason is required or the log is set on; not when set off or unset', () => {
    expect(logHeldByPolicy(effectiveSettings(user, { requireJustification: true }))).toBe(true);
    expect(logHeldByPolicy(effectiveSettings(user, { activityLog: true }))).toBe(true);
    expect(logHeldByPolicy(effectiveSettings(user, { activityLog: false }))).toBe(false);
    expect(logHeldByPolicy(effectiveSettings(user, {}))).toBe(false);
  });
});
