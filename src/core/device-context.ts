/**
 * Where this browser is: a work device (the organization's computer or
 * network), the person's own device, or not said. The article scopes each
 * measure: LG U+ blocked DeepSeek "on the company's network" and only
 * "cautions workers against using DeepSeek on their personal computers"; a
 * bank's block on its external network does not reach an employee's home
 * laptop. A scope is therefore read against the device context before its
 * level counts. Pure: the decider and the DNR compiler both ask this module,
 * so the page a person sees and the rule that stops it never disagree.
 */
import type { Level, Scope } from './policy-schema';

export const DEVICE_CONTEXTS = ['work', 'personal', 'unsaid'] as const;
export type DeviceContext = (typeof DEVICE_CONTEXTS)[number];

/** What an administrator may set (and so lock): never "not said". */
export const MANAGED_DEVICE_CONTEXTS = ['work', 'personal'] as const;
export type ManagedDeviceContext = (typeof MANAGED_DEVICE_CONTEXTS)[number];

/**
 * Whether a rule's scope reaches this device:
 * - `this-device`: the scope names this kind of device (a network ban on a work device,
 *   a personal-computer caution on one's own device);
 * - `elsewhere`: it names the other kind; the rule is shown as a `notice` saying where it applies;
 * - `unsaid`: it depends on a device context the person has not given; the rule counts as written;
 * - `any-device`: the scope does not depend on the device (work tasks, app markets, unspecified).
 */
export type Applicability = 'this-device' | 'elsewhere' | 'unsaid' | 'any-device';

/** What kind of place a scope names. */
export type ScopeReach = 'workplace' | 'own-device' | 'work-use' | 'anywhere';

const REACH: Record<Scope, ScopeReach> = {
  'company-network': 'workplace',
  'external-network': 'workplace',
  'office-devices': 'workplace',
  'government-devices': 'workplace',
  'personal-computers': 'own-device',
  'work-tasks': 'work-use',
  'app-markets': 'anywhere',
  unspecified: 'anywhere',
};

export const scopeReach = (scope: Scope): ScopeReach => REACH[scope];

export interface RuleOnDevice {
  /** The level that counts on this device. */
  level: Level;
  applies: Applicability;
}

/**
 * A rule's level on this device, or null when its scope cannot apply here
 * (a caution about personal computers, on a work device).
 *
 * | scope                         | work        | personal            | unsaid     |
 * | network / office / government | as written  | notice (elsewhere)  | as written |
 * | personal-computers            | —           | as written          | as written |
 * | work-tasks                    | as written  | as written          | as written |
 * | app-markets, unspecified      | as written  | as written          | as written |
 */
export function ruleOnDevice(scope: Scope, level: Level, context: DeviceContext): RuleOnDevice | null {
  switch (REACH[scope]) {
    case 'workplace':
      if (context === 'work') return { level, applies: 'this-device' };
      if (context === 'personal') return { level: 'notice', applies: 'elsewhere' };
      return { level, applies: 'unsaid' };
    case 'own-device':
      if (context === 'work') return null;
      return { level, applies: context === 'personal' ? 'this-device' : 'unsaid' };
    case 'work-use':
    case 'anywhere':
      return { level, applies: 'any-device' };
  }
}

/** Anything stored or sent that is not a known context reads as "not said". */
export function asDeviceContext(value: unknown): DeviceContext {
  return value === 'work' || value === 'personal' ? value : 'unsaid';
}
