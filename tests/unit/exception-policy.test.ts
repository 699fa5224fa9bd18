/**
 * Exceptions follow the policy: a proceed granted under one decision ends as
 * soon as its service's decision is stricter (a new profile, a forced one, a
 * warning that became a block, proceeding turned off), is shortened by a lower
 * proceed time, and ends without a reason once one is required. Real policies/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { createDecider, type Decider } from '../../src/core/decide';
import type { Citation, DecideOptions, Decision, GrantedDecision, ProceedException } from '../../src/core/decision-types';
import { exceptionsUnderPolicy, grantedDecisionOf, isStricterThanGranted, type ExceptionLimits } from '../../src/core/exception-policy';
import type { PolicyBundle } from '../../src/core/policy-schema';

let bundle: PolicyBundle;
let decider: Decider;
beforeAll(() => {
  bundle = loadPolicyBundle();
  decider = createDecider(bundle);
});

const DEEPSEEK = 'https://chat.deepseek.com/';
const MIN = 60_000;
const now = 50 * MIN;
const LIMITS: ExceptionLimits = { proceedMinutes: 15, requireJustification: false };

const options = (enabledOrganizations: string[], over: Partial<DecideOptions> = {}): DecideOptions => ({
  enabledOrganizations,
  allowProceedOnBlock: true,
  allowProceedOnWarn: true,
  ...over,
});

/** An exception granted `ago` ms before `now` for 15 minutes, under the decision the given profiles made. */
function grantUnder(organizations: string[], url = DEEPSEEK, over: Partial<ProceedException> = {}, ago = MIN): ProceedException {
  const decision = decider.decideForUrl(url, options(organizations));
  const granted = grantedDecisionOf(decision);
  if (granted === null || decision.serviceId === null) throw new Error(`${organizations.join(',')} do not stop ${url}`);
  return { serviceId: decision.serviceId, createdAt: now - ago, expiresAt: now - ago + 15 * MIN, granted, statement: 'not-for-work', ...over };
}

const standing = (exceptions: ProceedException[], enabled: string[], over: Partial<DecideOptions> = {}, limits = LIMITS) =>
  exceptionsUnderPolicy(bundle, decider, exceptions, options(enabled, over), limits, now);

describe('grantedDecisionOf', () => {
  it('records the level and each organization that stopped the service', () => {
    expect(grantedDecisionOf(decider.decideForUrl(DEEPSEEK, options(['khnp'])))).toEqual({ level: 'warn', organizations: [{ id: 'khnp', level: 'warn' }] });
    expect(grantedDecisionOf(decider.decideForUrl(DEEPSEEK, options(['khnp', 'kb-financial-group', 'italy'])))).toEqual({
      level: 'block',
      organizations: [
        { id: 'kb-financial-group', level: 'block' },
        { id: 'khnp', level: 'warn' },
      ],
    });
  });

  it('has nothing to record where nothing stops the service', () => {
    expect(grantedDecisionOf(decider.decideForUrl(DEEPSEEK, options(['italy'])))).toBeNull();
    expect(grantedDecisionOf(decider.decideForUrl(DEEPSEEK, options([])))).toBeNull();
  });
});

describe('exceptionsUnderPolicy: a stricter decision ends the exception', () => {
  it('KHNP "not for work" on DeepSeek, then LG U+ turned on: ended (the reported bypass)', () => {
    const khnp = grantUnder(['khnp']);
    expect(standing([khnp], ['khnp'])).toEqual([khnp]);
    expect(standing([khnp], ['khnp', 'lg-uplus'])).toEqual([]);
  });

  it('the same profile forced on by an administrator ends it too (the decider sees one list)', () => {
    expect(standing([grantUnder(['khnp'])], ['lg-uplus', 'khnp'])).toEqual([]);
  });

  it('a new profile that warns at the same level ends it: its notice was never shown', () => {
    expect(standing([grantUnder(['khnp'])], ['khnp', 'kakao'])).toEqual([]);
  });

  it('a new profile that blocks where one already blocked ends it', () => {
    const kb = grantUnder(['kb-financial-group'], DEEPSEEK, { statement: 'responsibility' });
    expect(standing([kb], ['kb-financial-group'])).toEqual([kb]);
    expect(standing([kb], ['kb-financial-group', 'hana-financial-group'])).toEqual([]);
  });

  it('proceeding turned off for the level ends it', () => {
    expect(standing([grantUnder(['khnp'])], ['khnp'], { allowProceedOnWarn: false })).toEqual([]);
    expect(standing([grantUnder(['kb-financial-group'])], ['kb-financial-group'], { allowProceedOnBlock: false })).toEqual([]);
    // Proceeding off for the other level changes nothing.
    expect(standing([grantUnder(['khnp'])], ['khnp'], { allowProceedOnBlock: false })).toHaveLength(1);
  });

  it('a profile that only cautions or notes does not end it', () => {
    const khnp = grantUnder(['khnp']);
    expect(standing([khnp], ['khnp', 'italy', 'naver'])).toEqual([khnp]);
  });

  it('a profile turned off leaves it (not needed, not stricter); the same profile back on keeps it', () => {
    const both = grantUnder(['khnp', 'kb-financial-group']);
    expect(standing([both], [])).toEqual([both]);
    expect(standing([both], ['khnp'])).toEqual([both]);
    expect(standing([both], ['khnp', 'kb-financial-group'])).toEqual([both]);
  });

  it('ends only the exception whose service got stricter', () => {
    const deepseek = grantUnder(['khnp']);
    const chatgpt = grantUnder(['khnp'], 'https://chatgpt.com/');
    expect(standing([deepseek, chatgpt], ['khnp', 'lg-uplus'])).toEqual([chatgpt]);
  });

  it('drops exceptions for services the catalog no longer has', () => {
    expect(standing([{ ...grantUnder(['khnp']), serviceId: 'no-such-service' }], ['khnp'])).toEqual([]);
  });
});

describe('isStricterThanGranted', () => {
  const granted: GrantedDecision = { level: 'block', organizations: [{ id: 'a', level: 'block' }, { id: 'b', level: 'warn' }] };
  const citation = (organizationId: string, level: Citation['level']): Citation => ({ organizationId, level, rules: [] });
  const decision = (citations: Citation[], proceedAllowed = true): Decision => ({
    input: DEEPSEEK,
    url: null,
    serviceId: 'deepseek',
    matchedHost: 'deepseek.com',
    level: citations[0]?.level ?? 'none',
    citations,
    proceedAllowed,
  });

  it('sees an organization whose own level rose, even when the overall level did not', () => {
    expect(isStricterThanGranted(granted, decision([citation('a', 'block'), citation('b', 'warn')]))).toBe(false);
    expect(isStricterThanGranted(granted, decision([citation('a', 'block'), citation('b', 'block')]))).toBe(true);
  });

  it('does not count an organization that dropped out or softened', () => {
    expect(isStricterThanGranted(granted, decision([citation('a', 'block')]))).toBe(false);
    expect(isStricterThanGranted(granted, decision([citation('a', 'warn'), citation('b', 'caution')]))).toBe(false);
  });

  it('counts a decision with no way forward, and never one that stops nothing', () => {
    expect(isStricterThanGranted(granted, decision([citation('a', 'block')], false))).toBe(true);
    expect(isStricterThanGranted(granted, decision([citation('c', 'caution')], false))).toBe(false);
  });
});

describe('exceptionsUnderPolicy: the proceed time and a required reason', () => {
  it('a lower proceed time shortens a running exception, and ends one that has run past it', () => {
    const e = grantUnder(['khnp'], DEEPSEEK, {}, 10 * MIN); // created 10 min ago, 5 min left
    expect(standing([e], ['khnp'], {}, { ...LIMITS, proceedMinutes: 12 })).toEqual([{ ...e, expiresAt: e.createdAt + 12 * MIN }]);
    expect(standing([e], ['khnp'], {}, { ...LIMITS, proceedMinutes: 10 })).toEqual([]);
    expect(standing([e], ['khnp'], {}, { ...LIMITS, proceedMinutes: 1 })).toEqual([]);
  });

  it('a higher proceed time never lengthens one', () => {
    const e = grantUnder(['khnp']);
    expect(standing([e], ['khnp'], {}, { ...LIMITS, proceedMinutes: 240 })).toEqual([e]);
  });

  it('a reason required later ends the exceptions granted without one', () => {
    const without = grantUnder(['khnp']);
    const blank = grantUnder(['khnp'], 'https://chatgpt.com/', { justification: '   ' });
    const withReason = grantUnder(['kb-financial-group'], DEEPSEEK, { serviceId: 'deepseek', justification: 'Customer demo on a personal device' });
    const required = { ...LIMITS, requireJustification: true };
    expect(standing([without, blank], ['khnp'], {}, required)).toEqual([]);
    expect(standing([withReason], ['kb-financial-group'], {}, required)).toEqual([withReason]);
  });

  it('drops what has already expired', () => {
    expect(standing([grantUnder(['khnp'], DEEPSEEK, {}, 20 * MIN)], ['khnp'])).toEqual([]);
  });
});
