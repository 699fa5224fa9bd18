/**
 * Deeply nested or huge managed values are bounded before any processing:
 * before the last-seen comparison (JSON.stringify), the copy kept in
 * storage.local and zod. A restricting switch so bounded is read as its
 * stricter choice; everything else is ignored and reported; the rest applies.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { boundManagedValue, boundManagedValues, OVER_LIMIT_MARKER, overLimitOf } from '../../src/shared/managed-bounds';
import { readManagedPolicy } from '../../src/shared/managed-policy';
import { applyManagedChanges, resolveManagedAnswer } from '../../src/shared/managed-read';

const bundle = loadPolicyBundle();
const context = { bundle, knownOrganizations: new Set(bundle.organizations.map((o) => o.id)) };

function deep(levels: number): unknown {
  let value: unknown = true;
  for (let i = 0; i < levels; i += 1) value = { v: value };
  return value;
}

const DEEP = deep(10_000);

describe('managed values are bounded before anything reads them', () => {
  it('replaces a value past its depth or size by a marker saying why; leaves the others as they are', () => {
    const enabledProfiles = ['kb-financial-group'];
    const values = {
      enabledProfiles,
      lockProfiles: DEEP,
      customMessage: { en: 'x'.repeat(70_000) },
      organizations: 'y'.repeat(3_000_001),
    };
    // What the background did with such a policy before: JSON.stringify threw, and the state failed to load.
    expect(() => JSON.stringify(values)).toThrow(RangeError);
    const bounded = boundManagedValues(values);
    expect(bounded.enabledProfiles).toBe(enabledProfiles);
    expect(bounded.lockProfiles).toEqual({ [OVER_LIMIT_MARKER]: 'nested deeper than 32 levels' });
    expect(bounded.customMessage).toEqual({ [OVER_LIMIT_MARKER]: 'larger than 64,000 bytes' });
    expect(bounded.organizations).toEqual({ [OVER_LIMIT_MARKER]: 'larger than 3,000,000 bytes' });
    // Now it can be compared and stored as the last policy seen.
    expect(() => resolveManagedAnswer({ kind: 'values', values: bounded }, null, 1)).not.toThrow();
    expect(JSON.stringify(bounded).length).toBeLessThan(300);
  });

  it('keeps "__proto__" a plain key', () => {
    const values = JSON.parse('{"__proto__": {"polluted": true}, "lockProfiles": true}') as Record<string, unknown>;
    const bounded = boundManagedValues(values);
    expect(Object.keys(bounded)).toEqual(['__proto__', 'lockProfiles']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a bounded restricting switch as its stricter choice, reports every bounded value, and applies the rest', () => {
    const report = readManagedPolicy(
      {
        enabledProfiles: ['kb-financial-group'],
        lockProfiles: DEEP,
        allowProceedOnBlock: deep(40),
        deviceContext: deep(40),
        customMessage: DEEP,
        organizations: DEEP,
        requireJustification: true,
      },
      context,
    );
    expect(report.policy).toEqual({
      enabledProfiles: ['kb-financial-group'],
      lockProfiles: true,
      allowProceedOnBlock: false,
      deviceContext: 'work',
      requireJustification: true,
    });
    expect(report.problems).toEqual([
      'lockProfiles: nested deeper than 32 levels; read as true, the stricter choice',
      'allowProceedOnBlock: nested deeper than 32 levels; read as false, the stricter choice',
      'deviceContext: nested deeper than 32 levels; read as "work", the stricter choice',
      'customMessage: nested deeper than 32 levels (ignored)',
      'organizations: nested deeper than 32 levels (ignored)',
    ]);
  });

  it('reads a bounded list of forced profiles as a malformed one (every profile locked as it stands), and a bounded proceed time as the shortest', () => {
    const report = readManagedPolicy({ enabledProfiles: DEEP, lockProfiles: false, proceedMinutes: DEEP }, context);
    expect(report.policy).toMatchObject({ enabledProfiles: [], lockProfiles: true, proceedMinutes: 1 });
    expect(report.problems).toEqual([
      'enabledProfiles: nested deeper than 32 levels; every profile is locked as it stands, the stricter choice',
      'proceedMinutes: nested deeper than 32 levels; read as 1, the stricter choice',
    ]);
  });

  it('bounds a change the browser reports the same way', () => {
    const next = applyManagedChanges(null, { organizations: { newValue: boundManagedValue('organizations', DEEP) } }, 5);
    expect(overLimitOf(next?.values.organizations)).toBe('nested deeper than 32 levels');
  });

  it('a marker is only a marker with its one key', () => {
    expect(overLimitOf({ [OVER_LIMIT_MARKER]: 'why' })).toBe('why');
    expect(overLimitOf({ [OVER_LIMIT_MARKER]: 'why', other: 1 })).toBeNull();
    expect(overLimitOf([OVER_LIMIT_MARKER])).toBeNull();
    expect(overLimitOf(null)).toBeNull();
  });
});
