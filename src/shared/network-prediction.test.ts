import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRECONNECT_CHOICE,
  asPredictionReading,
  preconnectState,
  readPreconnectChoice,
  wantedPreconnectProtection,
  type LevelOfControl,
  type PreconnectState,
} from './network-prediction';

describe('readPreconnectChoice', () => {
  it('defaults to off when nothing is stored', () => {
    expect(readPreconnectChoice(undefined)).toEqual({ value: DEFAULT_PRECONNECT_CHOICE, recovered: null });
    expect(DEFAULT_PRECONNECT_CHOICE.preventPreconnect).toBe(false);
  });

  it('keeps a valid choice', () => {
    expect(readPreconnectChoice({ preventPreconnect: true }).value.preventPreconnect).toBe(true);
  });

  it.each([null, 'yes', 1, [], { preventPreconnect: 'true' }, { preventPreconnect: true, extra: 1 }, {}])(
    'falls back to off and says so for %j',
    (raw) => {
      const read = readPreconnectChoice(raw);
      expect(read.value.preventPreconnect).toBe(false);
      expect(read.recovered).toMatch(/^preconnect: /);
    },
  );
});

describe('wantedPreconnectProtection', () => {
  it("follows the person's choice when the administrator says nothing", () => {
    expect(wantedPreconnectProtection({ preventPreconnect: true }, undefined)).toEqual({ wanted: true, locked: false });
    expect(wantedPreconnectProtection({ preventPreconnect: false }, undefined)).toEqual({ wanted: false, locked: false });
  });

  it("lets the administrator's value win either way, and locks it", () => {
    expect(wantedPreconnectProtection({ preventPreconnect: false }, true)).toEqual({ wanted: true, locked: true });
    expect(wantedPreconnectProtection({ preventPreconnect: true }, false)).toEqual({ wanted: false, locked: true });
  });
});

describe('preconnectState', () => {
  const reading = (levelOfControl: LevelOfControl, value: boolean) => ({ levelOfControl, value });
  const wanted = { wanted: true, permission: true, failed: false };

  it('is off whenever the protection is not wanted, whatever the browser says', () => {
    expect(preconnectState({ ...wanted, wanted: false, reading: reading('controllable_by_this_extension', true) })).toBe('off');
    expect(preconnectState({ wanted: false, permission: false, reading: null, failed: true })).toBe('off');
  });

  it('needs the permission before anything else', () => {
    expect(preconnectState({ ...wanted, permission: false, reading: null })).toBe('needs-permission');
  });

  const cases: [LevelOfControl, boolean, PreconnectState][] = [
    ['controlled_by_this_extension', false, 'on'],
    // Chrome under NetworkPredictionOptions = 2; Firefox under NetworkPrediction = false (which locks only DNS prefetch).
    ['not_controllable', false, 'on-elsewhere'],
    ['controlled_by_other_extensions', false, 'on-elsewhere'],
    ['not_controllable', true, 'refused-policy'],
    ['controlled_by_other_extensions', true, 'refused-extension'],
    // Set, yet still predicting: the change did not take.
    ['controllable_by_this_extension', true, 'unavailable'],
    ['controlled_by_this_extension', true, 'unavailable'],
  ];
  it.each(cases)('reads %s with value %s as %s', (level, value, state) => {
    expect(preconnectState({ ...wanted, reading: reading(level, value) })).toBe(state);
  });

  it('is unavailable without a reading or after a failure', () => {
    expect(preconnectState({ ...wanted, reading: null })).toBe('unavailable');
    expect(preconnectState({ ...wanted, failed: true, reading: reading('controlled_by_this_extension', false) })).toBe('unavailable');
  });
});

describe('asPredictionReading', () => {
  it('accepts what both browsers return', () => {
    expect(asPredictionReading({ levelOfControl: 'controlled_by_this_extension', value: false })).toEqual({
      levelOfControl: 'controlled_by_this_extension',
      value: false,
    });
    // Chrome adds incognitoSpecific; extra fields are ignored.
    expect(asPredictionReading({ levelOfControl: 'not_controllable', value: true, incognitoSpecific: false })?.value).toBe(true);
  });

  it.each([undefined, null, 'x', {}, { levelOfControl: 'controlled_by_this_extension' }, { levelOfControl: 'owned', value: false }, { levelOfControl: 'not_controllable', value: 0 }])(
    'refuses %j',
    (raw) => expect(asPredictionReading(raw)).toBeNull(),
  );
});
