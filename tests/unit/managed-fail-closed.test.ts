/**
 * Failing closed: only the browser's own "nothing is managed" answer lifts
 * the administrator's policy; an empty read after a policy was seen, or any
 * other error, keeps the last policy seen until storage.onChanged says it
 * changed. And restricting keys of the wrong type read as the stricter choice.
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import {
  answerNeedsLastSeen,
  applyManagedChanges,
  isNoManagedStorageError,
  readLastSeenPolicy,
  resolveManagedAnswer,
  resolvePresentValues,
  RESTRICTIVE_READING,
  type LastSeenPolicy,
} from '../../src/shared/managed-read';
import { readManagedPolicy, STRICTER } from '../../src/shared/managed-policy';
import { effectiveSettings } from '../../src/shared/effective-settings';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

const POLICY = { enabledProfiles: ['khnp'], lockProfiles: true, allowProceedOnBlock: false };
const seen: LastSeenPolicy = { values: POLICY, seenAt: 1_000 };
const FIREFOX_NONE = 'Managed storage manifest not found';
const bundleForRead = loadPolicyBundle();
const read = (raw: Record<string, unknown>) =>
  readManagedPolicy(raw, { bundle: bundleForRead, knownOrganizations: new Set(bundleForRead.organizations.map((o) => o.id)) });

describe('resolveManagedAnswer', () => {
  it('applies and remembers a policy the browser hands over', () => {
    expect(resolveManagedAnswer({ kind: 'values', values: POLICY }, null, 5)).toEqual({
      values: POLICY,
      fallback: null,
      remember: { values: POLICY, seenAt: 5 },
    });
    // The same policy again is not written again.
    expect(resolveManagedAnswer({ kind: 'values', values: { ...POLICY } }, seen, 5).remember).toBeUndefined();
  });

  it("takes Chrome's {} as unmanaged when no policy was ever seen", () => {
    expect(resolveManagedAnswer({ kind: 'values', values: {} }, null, 5)).toEqual({ values: undefined, fallback: null, remember: undefined });
  });

  it("takes Firefox's \"manifest not found\" as unmanaged, and forgets the last policy seen", () => {
    expect(isNoManagedStorageError(FIREFOX_NONE)).toBe(true);
    expect(resolveManagedAnswer({ kind: 'error', message: FIREFOX_NONE }, seen, 5)).toEqual({ values: undefined, fallback: null, remember: null });
    expect(resolveManagedAnswer({ kind: 'error', message: FIREFOX_NONE }, null, 5).remember).toBeUndefined();
  });

  it('keeps the last policy seen when a read comes back empty (Chrome before its policy store is ready)', () => {
    expect(resolveManagedAnswer({ kind: 'values', values: {} }, seen, 5)).toEqual({
      values: POLICY,
      fallback: { reason: 'empty-read', detail: null, seenAt: 1_000 },
      remember: undefined,
    });
  });

  it('installed by policy, an empty area is a policy that did not arrive: the last policy seen applies', () => {
    expect(resolveManagedAnswer({ kind: 'values', values: {} }, seen, 5, true)).toEqual({
      values: POLICY,
      fallback: { reason: 'admin-empty', detail: null, seenAt: 1_000 },
      remember: undefined,
    });
  });

  it('installed by policy, with no policy ever seen, an empty area reads as the restrictive policy, and says so', () => {
    const resolution = resolveManagedAnswer({ kind: 'values', values: {} }, null, 5, true);
    expect(resolution).toEqual({
      values: RESTRICTIVE_READING,
      fallback: { reason: 'admin-empty', detail: null, seenAt: 5, restrictive: true },
      remember: undefined,
    });
    // What it means: every profile locked, no way past a block, a reason before a proceed, the log kept, a work device.
    const effective = effectiveSettings({ ...DEFAULT_SETTINGS, activityLog: false, deviceContext: 'personal' }, read(resolution.values ?? {}).policy);
    expect(effective).toMatchObject({ profilesLocked: true, allowProceedOnBlock: false, requireJustification: true, activityLog: true, activityLogLocked: true, deviceContext: 'work' });
    expect(read(resolution.values ?? {}).problems).toEqual([]);
  });

  it('installed by policy, a policy that arrives applies as usual; "manifest not found" (Firefox) stays final', () => {
    expect(resolveManagedAnswer({ kind: 'values', values: POLICY }, null, 5, true).values).toEqual(POLICY);
    expect(resolveManagedAnswer({ kind: 'error', message: FIREFOX_NONE }, null, 5, true).values).toBeUndefined();
  });

  it('keeps the last policy seen on any other error, and says which', () => {
    for (const message of ['An unexpected error occurred', 'Extension context invalidated.', 'storage.managed is not available', '']) {
      const resolution = resolveManagedAnswer({ kind: 'error', message }, seen, 5);
      expect(resolution.values, message).toEqual(POLICY);
      expect(resolution.fallback, message).toEqual({ reason: 'read-failed', detail: message, seenAt: 1_000 });
      expect(resolution.remember, message).toBeUndefined();
    }
  });

  it('has nothing to keep when an error comes before any policy was seen', () => {
    expect(resolveManagedAnswer({ kind: 'error', message: 'boom' }, null, 5)).toEqual({ values: undefined, fallback: null, remember: undefined });
  });
});

describe('a policy with values, resolved from whether it is the one seen last (the stored digest)', () => {
  it('needs the whole copy only when the answer has no values of its own', () => {
    expect(answerNeedsLastSeen({ kind: 'values', values: POLICY })).toBe(false);
    expect(answerNeedsLastSeen({ kind: 'values', values: {} })).toBe(true);
    expect(answerNeedsLastSeen({ kind: 'error', message: FIREFOX_NONE })).toBe(true);
    expect(answerNeedsLastSeen({ kind: 'error', message: 'IO error' })).toBe(true);
  });

  it('reads as resolveManagedAnswer does with the copy in hand: the same policy is not stored again, another one is', () => {
    const other = { ...POLICY, lockProfiles: false };
    expect(resolvePresentValues(POLICY, true, 9)).toEqual(resolveManagedAnswer({ kind: 'values', values: POLICY }, seen, 9));
    expect(resolvePresentValues(other, false, 9)).toEqual(resolveManagedAnswer({ kind: 'values', values: other }, seen, 9));
    expect(resolvePresentValues(other, false, 9).remember).toEqual({ values: other, seenAt: 9 });
    expect(resolvePresentValues(POLICY, true, 9).remember).toBeUndefined();
  });
});

describe('applyManagedChanges (storage.onChanged for the managed area)', () => {
  it('lets the browser lift a key, or the whole policy, so the next empty read is believed', () => {
    const lifted = applyManagedChanges(seen, { lockProfiles: { oldValue: true } }, 9);
    expect(lifted).toEqual({ values: { enabledProfiles: ['khnp'], allowProceedOnBlock: false }, seenAt: 9 });
    const gone = applyManagedChanges(
      seen,
      { enabledProfiles: { oldValue: ['khnp'] }, lockProfiles: { oldValue: true }, allowProceedOnBlock: { oldValue: false } },
      9,
    );
    expect(gone).toBeNull();
    expect(resolveManagedAnswer({ kind: 'values', values: {} }, gone, 10).values).toBeUndefined();
  });

  it('records new and changed keys, also when none was seen before', () => {
    expect(applyManagedChanges(null, { lockProfiles: { newValue: true } }, 9)).toEqual({ values: { lockProfiles: true }, seenAt: 9 });
    expect(applyManagedChanges(seen, { lockProfiles: { oldValue: true, newValue: false } }, 9)?.values.lockProfiles).toBe(false);
  });
});

describe('readLastSeenPolicy', () => {
  it('reads what was stored and takes anything else as "none seen"', () => {
    expect(readLastSeenPolicy(seen)).toEqual(seen);
    for (const bad of [undefined, null, 1, 'x', [], { values: [] }, { values: {}, seenAt: 'today' }, { seenAt: 1 }]) {
      expect(readLastSeenPolicy(bad)).toBeNull();
    }
  });
});

describe('restricting keys of the wrong type read as the stricter choice', () => {
  const bundle = loadPolicyBundle();
  const knownOrganizations = new Set(bundle.organizations.map((o) => o.id));
  const read = (raw: Record<string, unknown>) => readManagedPolicy(raw, { bundle, knownOrganizations });

  it('Firefox "allowProceedOnBlock": "false" turns proceeding off, and is reported', () => {
    const report = read({ allowProceedOnBlock: 'false' });
    expect(report.policy.allowProceedOnBlock).toBe(false);
    expect(report.problems).toEqual(['allowProceedOnBlock: must be true or false, not the string "false"; read as false, the stricter choice']);
    expect(effectiveSettings(DEFAULT_SETTINGS, report.policy).allowProceedOnBlock).toBe(false);
  });

  it('"lockProfiles": 1 locks', () => {
    const report = read({ lockProfiles: 1 });
    expect(report.policy.lockProfiles).toBe(true);
    expect(report.problems).toEqual(['lockProfiles: must be true or false, not 1; read as true, the stricter choice']);
  });

  it('every restricting key, whatever wrong value it holds, reads toward the stricter side', () => {
    expect(STRICTER).toEqual({
      lockProfiles: true,
      allowProceedOnBlock: false,
      allowProceedOnWarn: false,
      requireJustification: true,
      preventPreconnect: true,
      activityLog: true,
    });
    for (const [key, stricter] of Object.entries(STRICTER)) {
      for (const wrong of ['true', 'false', 'yes', 0, 1, null, [], {}, '']) {
        const report = read({ [key]: wrong });
        expect(report.policy[key as keyof typeof report.policy], `${key}: ${JSON.stringify(wrong)}`).toBe(stricter);
        expect(report.problems).toHaveLength(1);
      }
      // A real boolean is taken as written.
      expect(read({ [key]: !stricter }).policy[key as keyof typeof report.policy]).toBe(!stricter);
    }
    const report = read({});
    expect(report.policy).toEqual({});
  });

  it('matches enabledProfiles ids case-insensitively and reads each element on its own', () => {
    const report = read({ enabledProfiles: ['KHNP', ' Kakao ', 'no-such-org', 'khnp'] });
    expect(report.policy).toEqual({ enabledProfiles: ['kakao', 'khnp'] });
    expect(report.problems).toEqual(['enabledProfiles.2: unknown organization "no-such-org" (ignored)']);
  });

  it('a list holding something other than ids forces the ids it has and locks every profile as it stands', () => {
    const report = read({ enabledProfiles: ['kb-financial-group', 7] });
    expect(report.policy).toEqual({ enabledProfiles: ['kb-financial-group'], lockProfiles: true });
    expect(report.problems).toEqual(['enabledProfiles.1: must be a profile id, not 7; every profile is locked as it stands, the stricter choice']);
  });

  it('enabledProfiles that is not a list (nor a string of ids) locks every profile as it stands', () => {
    for (const wrong of [7, true, null, { 'kb-financial-group': true }]) {
      const report = read({ enabledProfiles: wrong });
      expect(report.policy, JSON.stringify(wrong)).toEqual({ enabledProfiles: [], lockProfiles: true });
      expect(report.problems[0]).toMatch(/^enabledProfiles: must be a list of profile ids, not .*; every profile is locked as it stands, the stricter choice$/);
    }
    // An explicit lockProfiles: false does not undo it: the stricter reading wins.
    expect(read({ lockProfiles: false, enabledProfiles: 7 }).policy.lockProfiles).toBe(true);
  });

  it('"activityLog" of the wrong type keeps the log on and locked, whatever requireJustification says', () => {
    for (const wrong of ['false', 0, 'off']) {
      const report = read({ activityLog: wrong });
      expect(report.policy.activityLog).toBe(true);
      expect(effectiveSettings({ ...DEFAULT_SETTINGS, activityLog: false }, report.policy).activityLog).toBe(true);
      expect(report.problems).toEqual([`activityLog: must be true or false, not ${JSON.stringify(wrong) === '"false"' || JSON.stringify(wrong) === '"off"' ? `the string ${JSON.stringify(wrong)}` : JSON.stringify(wrong)}; read as true, the stricter choice`]);
    }
  });

  it('reads a single string of ids (a registry value) as a list, and reports it', () => {
    const report = read({ enabledProfiles: 'KHNP, kakao' });
    expect(report.policy.enabledProfiles).toEqual(['kakao', 'khnp']);
    expect(report.problems).toEqual(['enabledProfiles: must be a list of profile ids; read as a list separated by commas']);
  });
});
