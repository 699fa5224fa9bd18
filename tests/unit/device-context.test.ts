/**
 * Where this browser is (work device, own device, not said) against every
 * scope, in the decider and in the DNR compiler alike: the page a person
 * sees and the rule that stops the page must tell the same story.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { createDecider } from '../../src/core/decide';
import type { Decision } from '../../src/core/decision-types';
import { DEVICE_CONTEXTS, asDeviceContext, ruleOnDevice, type DeviceContext } from '../../src/core/device-context';
import { compileDnrRules, interceptedServices } from '../../src/core/dnr';
import { LEVELS, ScopeSchema, type Level, type OrganizationPolicy, type PolicyBundle, type Scope } from '../../src/core/policy-schema';
import { buildVerdictView } from '../../src/core/verdict-view';
import { effectiveSettings } from '../../src/shared/effective-settings';
import { readManagedPolicy } from '../../src/shared/managed-policy';
import { DEFAULT_SETTINGS, readSettings } from '../../src/shared/settings';

const bundle = loadPolicyBundle();
const SCOPES = ScopeSchema.options;
const INTERSTITIAL = 'chrome-extension://abcdefghijklmnop/src/pages/interstitial/index.html';

/** The issue's table, written out: [level on a work device, own device, not said]; null = does not apply. */
type Row = Record<DeviceContext, { level: 'written' | 'notice'; applies: string } | null>;
const workplace: Row = {
  work: { level: 'written', applies: 'this-device' },
  personal: { level: 'notice', applies: 'elsewhere' },
  unsaid: { level: 'written', applies: 'unsaid' },
};
const everywhere: Row = {
  work: { level: 'written', applies: 'any-device' },
  personal: { level: 'written', applies: 'any-device' },
  unsaid: { level: 'written', applies: 'any-device' },
};
const TABLE: Record<Scope, Row> = {
  'company-network': workplace,
  'external-network': workplace,
  'office-devices': workplace,
  'government-devices': workplace,
  'personal-computers': {
    work: null,
    personal: { level: 'written', applies: 'this-device' },
    unsaid: { level: 'written', applies: 'unsaid' },
  },
  'work-tasks': everywhere,
  'app-markets': everywhere,
  unspecified: everywhere,
};

/** One organization with one DeepSeek rule of this scope and level. */
function oneRuleBundle(scope: Scope, level: Level): PolicyBundle {
  const template = bundle.organizations.find((o) => o.id === 'lg-uplus')!;
  const org: OrganizationPolicy = {
    ...template,
    id: 'test-org',
    rules: [{ target: { service: 'deepseek' }, scope, level, notice: template.notices[0]!.id }],
  };
  return { ...bundle, organizations: [org] };
}

const DEEPSEEK = 'https://chat.deepseek.com/';
const redirects = (b: PolicyBundle, enabled: string[], deviceContext: DeviceContext): boolean =>
  compileDnrRules({ bundle: b, enabledOrganizations: enabled, exceptions: [], now: 0, interstitialUrl: INTERSTITIAL, deviceContext }).some(
    (r) => r.action.type === 'redirect' && (r.condition.requestDomains ?? []).includes('deepseek.com'),
  );

describe('every scope × device context', () => {
  for (const scope of SCOPES) {
    for (const context of DEVICE_CONTEXTS) {
      for (const level of LEVELS) {
        const expected = TABLE[scope][context];
        it(`${scope} ${level} on ${context}: ${expected === null ? 'does not apply' : `${expected.level === 'written' ? level : 'notice'} (${expected.applies})`}`, () => {
          expect(ruleOnDevice(scope, level, context)).toEqual(
            expected === null ? null : { level: expected.level === 'written' ? level : 'notice', applies: expected.applies },
          );

          // The decider and the DNR compiler agree, through the real entry points.
          const b = oneRuleBundle(scope, level);
          const d = createDecider(b).decideForUrl(DEEPSEEK, { enabledOrganizations: ['test-org'], allowProceedOnBlock: true, deviceContext: context });
          const want = expected === null ? 'none' : expected.level === 'written' ? level : 'notice';
          expect(d.level).toBe(want);
          expect(d.citations).toHaveLength(expected === null ? 0 : 1);
          if (expected !== null) {
            const rule = d.citations[0]!.rules[0]!;
            expect(rule).toMatchObject({ level: want, writtenLevel: level, applies: expected.applies, scope });
          }
          const stops = want === 'warn' || want === 'block';
          expect(interceptedServices(b, ['test-org'], context).has('deepseek')).toBe(stops);
          expect(redirects(b, ['test-org'], context)).toBe(stops);
        });
      }
    }
  }

  it('absent context is "not said": the rules count as written', () => {
    const b = oneRuleBundle('company-network', 'block');
    expect(createDecider(b).decideForUrl(DEEPSEEK, { enabledOrganizations: ['test-org'], allowProceedOnBlock: false }).level).toBe('block');
    expect(interceptedServices(b, ['test-org']).get('deepseek')).toBe('block');
    expect(asDeviceContext('laptop')).toBe('unsaid');
    expect(asDeviceContext(undefined)).toBe('unsaid');
    expect(asDeviceContext('personal')).toBe('personal');
  });
});

describe('the article’s organizations on each kind of device', () => {
  const decider = createDecider(bundle);
  const decide = (orgs: string[], deviceContext: DeviceContext, url = DEEPSEEK): Decision =>
    decider.decideForUrl(url, { enabledOrganizations: orgs, allowProceedOnBlock: true, deviceContext });
  const rulesOf = (d: Decision) => d.citations.flatMap((c) => c.rules.map((r) => [r.scope, r.level, r.applies]));

  it('LG U+ on my own device: its caution, and its network ban as a notice; nothing stopped', () => {
    const d = decide(['lg-uplus'], 'personal');
    expect(d.level).toBe('caution');
    expect(rulesOf(d)).toEqual([
      ['personal-computers', 'caution', 'this-device'],
      ['company-network', 'notice', 'elsewhere'],
    ]);
    expect(d.proceedAllowed).toBe(false);
    expect(redirects(bundle, ['lg-uplus'], 'personal')).toBe(false);
    expect(interceptedServices(bundle, ['lg-uplus'], 'personal').size).toBe(0);
  });

  it('LG U+ on a work device: blocked on the company network; the personal-computer caution does not apply', () => {
    const d = decide(['lg-uplus'], 'work');
    expect(d.level).toBe('block');
    expect(rulesOf(d)).toEqual([['company-network', 'block', 'this-device']]);
    expect(redirects(bundle, ['lg-uplus'], 'work')).toBe(true);
  });

  it('LG U+ with the device not said: as written, both rules marked as depending on the device', () => {
    const d = decide(['lg-uplus'], 'unsaid');
    expect(d.level).toBe('block');
    expect(rulesOf(d)).toEqual([
      ['company-network', 'block', 'unsaid'],
      ['personal-computers', 'caution', 'unsaid'],
    ]);
    expect(redirects(bundle, ['lg-uplus'], 'unsaid')).toBe(true);
  });

  it('KB’s external-network block reaches a work device only', () => {
    expect(decide(['kb-financial-group'], 'work').level).toBe('block');
    const home = decide(['kb-financial-group'], 'personal');
    expect(home.level).toBe('notice');
    expect(home.citations[0]!.rules.every((r) => r.applies === 'elsewhere' && r.writtenLevel === 'block')).toBe(true);
    expect(redirects(bundle, ['kb-financial-group'], 'personal')).toBe(false);
  });

  it('a work-tasks ban (KHNP) is a warning on every device', () => {
    for (const context of DEVICE_CONTEXTS) {
      const d = decide(['khnp'], context, 'https://chatgpt.com/');
      expect(d.level, context).toBe('warn');
      expect(d.citations[0]!.rules.every((r) => r.applies === 'any-device')).toBe(true);
      expect(interceptedServices(bundle, ['khnp'], context).get('chatgpt'), context).toBe('warn');
    }
  });

  it('on my own device a stricter organization still wins where its scope applies', () => {
    const d = decide(['lg-uplus', 'kakao'], 'personal');
    expect(d.level).toBe('warn');
    expect(d.citations.map((c) => [c.organizationId, c.level])).toEqual([
      ['kakao', 'warn'],
      ['lg-uplus', 'caution'],
    ]);
  });

  it('the verdict view carries each rule’s written level and whether it applies here', () => {
    const view = buildVerdictView(bundle, decide(['lg-uplus'], 'personal'));
    expect(view.citations[0]!.rules.map((r) => [r.scope, r.level, r.writtenLevel, r.applies])).toEqual([
      ['personal-computers', 'caution', 'caution', 'this-device'],
      ['company-network', 'notice', 'block', 'elsewhere'],
    ]);
  });
});

describe('the setting and the managed key', () => {
  const known = new Set(bundle.organizations.map((o) => o.id));

  it('a stored answer is kept; an absent one is "not said"; a bad one resets the settings and says so', () => {
    expect(readSettings({ ...DEFAULT_SETTINGS, deviceContext: 'personal' }, known).value.deviceContext).toBe('personal');
    expect(readSettings(DEFAULT_SETTINGS, known).value.deviceContext).toBeUndefined();
    const bad = readSettings({ ...DEFAULT_SETTINGS, deviceContext: 'home' }, known);
    expect(bad.recovered).toMatch(/^settings\.deviceContext: /);
  });

  it('managed deviceContext: "work" or "personal" locks it; anything else fails closed to "work", with a reason', () => {
    const read = (raw: unknown) => readManagedPolicy(raw, { bundle, knownOrganizations: known });
    expect(read({ deviceContext: 'personal' }).policy.deviceContext).toBe('personal');
    expect(read({ deviceContext: 'work' })).toMatchObject({ policy: { deviceContext: 'work' }, problems: [] });
    const bad = read({ deviceContext: 'unsaid', lockProfiles: true });
    expect(bad.policy).toEqual({ lockProfiles: true, deviceContext: 'work' });
    expect(bad.problems).toEqual(['deviceContext: must be "work" or "personal", not the string "unsaid"; read as "work", the stricter choice']);

    const user = { ...DEFAULT_SETTINGS, deviceContext: 'personal' as const };
    expect(effectiveSettings(user, { deviceContext: 'work' })).toMatchObject({ deviceContext: 'work', deviceContextLocked: true });
    expect(effectiveSettings(user, {})).toMatchObject({ deviceContext: 'personal', deviceContextLocked: false });
    expect(effectiveSettings(DEFAULT_SETTINGS, {})).toMatchObject({ deviceContext: 'unsaid', deviceContextLocked: false });
  });
});
