/**
 * The one gate for every path that lowers a decision (src/core/lowering-gate.ts),
 * on the real policies/: KB Financial Group blocks DeepSeek on its external
 * network (a device-scoped block), KHNP bans generative AI for work tasks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { createDecider, decideForService, type Decider } from '../../src/core/decide';
import type { DecideOptions } from '../../src/core/decision-types';
import {
  deviceAnswerHeld,
  gateLowering,
  loweredStops,
  requiredStatement,
  restrictsProceeding,
  type GatePolicy,
  type LoweredStop,
} from '../../src/core/lowering-gate';
import type { PolicyBundle } from '../../src/core/policy-schema';
import { DEFAULT_SETTINGS } from '../../src/shared/stored-fast';
import { effectiveSettings } from '../../src/shared/effective-settings';

let bundle: PolicyBundle;
let decider: Decider;
beforeAll(() => {
  bundle = loadPolicyBundle();
  decider = createDecider(bundle);
});

const DEEPSEEK = 'http://chat.deepseek.com/';
const KB = 'kb-financial-group';
const KHNP = 'khnp';

const options = (enabledOrganizations: string[], over: Partial<DecideOptions> = {}): DecideOptions => ({
  enabledOrganizations,
  allowProceedOnBlock: true,
  allowProceedOnWarn: true,
  ...over,
});

/** The machine policy: KB forced and locked, no way past a block, a reason required, no device answer. */
const ADMIN: GatePolicy = {
  allowProceedOnBlock: false,
  allowProceedOnWarn: true,
  requireJustification: true,
  deviceContextManaged: false,
  heldOrganizations: [KB],
};
const OPEN: GatePolicy = { allowProceedOnBlock: true, allowProceedOnWarn: true, requireJustification: false, deviceContextManaged: false, heldOrganizations: [] };

function lowered(before: DecideOptions, after: DecideOptions): LoweredStop[] {
  const services = new Map(bundle.services.map((s) => [s.id, s]));
  return loweredStops(
    bundle.services.map((s) => s.id),
    (id) => decideForService(decider, services.get(id), before),
    (id) => decideForService(decider, services.get(id), after),
  );
}

describe('restrictsProceeding and deviceAnswerHeld', () => {
  it('a policy limits proceeding when it turns it off (block or warn) or asks for a reason', () => {
    expect(restrictsProceeding(OPEN)).toBe(false);
    expect(restrictsProceeding({ ...OPEN, allowProceedOnBlock: false })).toBe(true);
    expect(restrictsProceeding({ ...OPEN, allowProceedOnWarn: false })).toBe(true);
    expect(restrictsProceeding({ ...OPEN, requireJustification: true })).toBe(true);
  });
  it('holds the device answer at "not said" only while the administrator has not answered it', () => {
    expect(deviceAnswerHeld(ADMIN)).toBe(true);
    expect(deviceAnswerHeld({ ...ADMIN, deviceContextManaged: true })).toBe(false);
    expect(deviceAnswerHeld(OPEN)).toBe(false);
  });
});

describe('effectiveSettings under a policy that limits proceeding', () => {
  it('reads the device as not said and locks it, whatever the person answered before', () => {
    const user = { ...DEFAULT_SETTINGS, deviceContext: 'personal' as const };
    const held = effectiveSettings(user, { enabledProfiles: [KB], lockProfiles: true, allowProceedOnBlock: false, requireJustification: true });
    expect(held).toMatchObject({ deviceContext: 'unsaid', deviceContextLocked: true, deviceContextHeld: true });
    for (const managed of [{ allowProceedOnWarn: false }, { requireJustification: true }, { allowProceedOnBlock: false }]) {
      expect(effectiveSettings(user, managed)).toMatchObject({ deviceContext: 'unsaid', deviceContextHeld: true });
    }
  });
  it("keeps the administrator's answer, and the person's own when nothing limits proceeding", () => {
    const user = { ...DEFAULT_SETTINGS, deviceContext: 'personal' as const };
    expect(effectiveSettings(user, { allowProceedOnBlock: false, deviceContext: 'personal' })).toMatchObject({
      deviceContext: 'personal',
      deviceContextLocked: true,
      deviceContextHeld: false,
    });
    expect(effectiveSettings(user, { enabledProfiles: [KB] })).toMatchObject({ deviceContext: 'personal', deviceContextLocked: false, deviceContextHeld: false });
  });
});

describe('requiredStatement: the strictest stopping rule decides', () => {
  it('KHNP alone (a work ban): "not for work"', () => {
    expect(requiredStatement(decider.decideForUrl(DEEPSEEK, options([KHNP])))).toBe('not-for-work');
  });
  it('KB alone (a block on its network): responsibility', () => {
    expect(requiredStatement(decider.decideForUrl(DEEPSEEK, options([KB])))).toBe('responsibility');
  });
  it('KB and KHNP together: still responsibility, never the milder "not for work"', () => {
    const decision = decider.decideForUrl(DEEPSEEK, options([KB, KHNP]));
    expect(decision.level).toBe('block');
    expect(requiredStatement(decision)).toBe('responsibility');
  });
  it('a block that is only for work tasks asks "not for work"; caution and notice rules count for nothing', () => {
    const rule = (level: 'block' | 'warn' | 'caution' | 'notice', scope: 'work-tasks' | 'external-network') => ({ level, scope });
    expect(requiredStatement({ citations: [{ rules: [rule('block', 'work-tasks'), rule('caution', 'external-network')] }] })).toBe('not-for-work');
    expect(requiredStatement({ citations: [{ rules: [rule('warn', 'work-tasks')] }, { rules: [rule('warn', 'external-network')] }] })).toBe('responsibility');
    expect(requiredStatement({ citations: [{ rules: [rule('notice', 'external-network')] }] })).toBeNull();
    expect(requiredStatement({ citations: [] })).toBeNull();
  });
  it('on one’s own device KB’s network block is a note: KHNP’s work ban alone asks', () => {
    expect(requiredStatement(decider.decideForUrl(DEEPSEEK, options([KB, KHNP], { deviceContext: 'personal' })))).toBe('not-for-work');
  });
});

describe('gateLowering: proceeding', () => {
  const proceed = (enabled: string[], over: Partial<DecideOptions> = {}) => decider.decideForUrl(DEEPSEEK, options(enabled, over));

  it('refuses a milder statement than the strictest stop asks, and records the one required', () => {
    const decision = proceed([KB, KHNP]);
    expect(gateLowering({ path: 'proceed', decision, statement: 'not-for-work' }, OPEN)).toMatchObject({ ok: false, error: expect.stringMatching(/take responsibility/) });
    expect(gateLowering({ path: 'proceed', decision }, OPEN)).toMatchObject({ ok: false });
    expect(gateLowering({ path: 'proceed', decision, statement: 'responsibility' }, OPEN)).toEqual({
      ok: true,
      statement: 'responsibility',
      justification: null,
      unblocked: ['deepseek'],
    });
  });
  it('refuses "I take responsibility" where the ban is only on work use (the statement must be the true one)', () => {
    expect(gateLowering({ path: 'proceed', decision: proceed([KHNP]), statement: 'responsibility' }, OPEN)).toMatchObject({ ok: false });
    expect(gateLowering({ path: 'proceed', decision: proceed([KHNP]), statement: 'not-for-work' }, OPEN)).toMatchObject({ ok: true, statement: 'not-for-work' });
  });
  it('refuses when proceeding is turned off, and without a required reason', () => {
    const off = proceed([KB], { allowProceedOnBlock: false });
    expect(gateLowering({ path: 'proceed', decision: off, statement: 'responsibility', justification: 'x' }, ADMIN)).toEqual({
      ok: false,
      error: 'proceeding is turned off for this site',
    });
    const warn = proceed([KHNP]);
    const policy = { ...OPEN, requireJustification: true };
    expect(gateLowering({ path: 'proceed', decision: warn, statement: 'not-for-work', justification: '   ' }, policy)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/requires a reason/),
    });
    expect(gateLowering({ path: 'proceed', decision: warn, statement: 'not-for-work', justification: ' checking ' }, policy)).toMatchObject({
      ok: true,
      justification: 'checking',
    });
  });
  it("lets an approver's signed exception past what the person may not proceed past, with the approver's reason", () => {
    const locked = { ...ADMIN, allowProceedOnBlock: false, allowProceedOnWarn: false, requireJustification: true };
    expect(gateLowering({ path: 'signed-exception', services: ['deepseek', 'deepseek'], reason: ' Pilot ' }, locked)).toEqual({
      ok: true,
      statement: null,
      justification: 'Pilot',
      unblocked: ['deepseek'],
    });
    expect(gateLowering({ path: 'signed-exception', services: [], reason: 'Pilot' }, locked)).toMatchObject({ ok: false });
    expect(gateLowering({ path: 'signed-exception', services: ['deepseek'], reason: ' ' }, locked)).toMatchObject({ ok: false });
  });

  it('refuses what stops nothing', () => {
    expect(gateLowering({ path: 'proceed', decision: proceed([]), statement: 'responsibility' }, OPEN)).toMatchObject({ ok: false });
    expect(gateLowering({ path: 'proceed', decision: decider.decideForUrl('https://example.test/', options([KB])) }, OPEN)).toMatchObject({ ok: false });
  });
});

describe('loweredStops', () => {
  it("names every service KB stops on its network that one's own device would lift", () => {
    const stops = lowered(options([KB]), options([KB], { deviceContext: 'personal' }));
    expect(stops.map((s) => s.serviceId)).toContain('deepseek');
    expect(stops.find((s) => s.serviceId === 'deepseek')).toEqual({ serviceId: 'deepseek', from: 'block', to: 'notice', organizations: [KB] });
  });
  it('a work device lowers nothing KB or KHNP stops; adding a profile lowers nothing', () => {
    expect(lowered(options([KB, KHNP]), options([KB, KHNP], { deviceContext: 'work' }))).toEqual([]);
    expect(lowered(options([KB]), options([KB, KHNP]))).toEqual([]);
  });
  it('turning a profile off lowers the stops it made, even where another profile still stops at the same level', () => {
    const stops = lowered(options([KB, KHNP]), options([KB]));
    // KB still blocks DeepSeek, but KHNP's work ban on generative AI is gone.
    expect(stops.find((s) => s.serviceId === 'deepseek')).toEqual({ serviceId: 'deepseek', from: 'block', to: 'block', organizations: [KHNP] });
  });
});

describe('gateLowering: answers and settings', () => {
  it("the issue's case: under the admin's policy the device answer is refused, whatever it is", () => {
    const personal = lowered(options([KB], { allowProceedOnBlock: false }), options([KB], { allowProceedOnBlock: false, deviceContext: 'personal' }));
    expect(personal.length).toBeGreaterThan(0);
    expect(gateLowering({ path: 'device-context', lowered: personal }, ADMIN)).toMatchObject({ ok: false, error: expect.stringMatching(/only your organization can change this/) });
    expect(gateLowering({ path: 'device-context', lowered: [] }, ADMIN)).toMatchObject({ ok: false });
  });
  it('with the device set by the administrator, the gate judges the stops: a held block past which proceeding is off stays', () => {
    const policy = { ...ADMIN, deviceContextManaged: true, requireJustification: false };
    const stops = [{ serviceId: 'deepseek', from: 'block' as const, to: 'notice' as const, organizations: [KB] }];
    expect(gateLowering({ path: 'profile', lowered: stops }, policy)).toMatchObject({ ok: false, error: expect.stringMatching(/deepseek/) });
    // The person's own profile, which the policy does not hold, is theirs to lower.
    expect(gateLowering({ path: 'profile', lowered: [{ ...stops[0]!, organizations: [KHNP] }] }, policy)).toEqual({
      ok: true,
      statement: null,
      justification: null,
      unblocked: ['deepseek'],
    });
  });
  it('a held warning needs a reason when one is required, and passes when proceeding past it is open', () => {
    const stops = [{ serviceId: 'deepseek', from: 'warn' as const, to: 'none' as const, organizations: [KHNP] }];
    const held = { ...OPEN, heldOrganizations: [KHNP], deviceContextManaged: true };
    expect(gateLowering({ path: 'reset', lowered: stops }, held)).toMatchObject({ ok: true });
    expect(gateLowering({ path: 'reset', lowered: stops }, { ...held, requireJustification: true })).toMatchObject({ ok: false });
    expect(gateLowering({ path: 'import', lowered: stops }, { ...held, allowProceedOnWarn: false })).toMatchObject({ ok: false });
  });
  it('with nothing limited, the one-click device answer stays open', () => {
    const stops = lowered(options([KB]), options([KB], { deviceContext: 'personal' }));
    expect(gateLowering({ path: 'device-context', lowered: stops }, { ...OPEN, heldOrganizations: [KB] })).toMatchObject({ ok: true });
  });
});
