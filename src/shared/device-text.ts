/**
 * What the pages say about where a rule applies, for every scope and device
 * context: one wording for the interstitial, the popup and the page notes.
 * Pure: callers pass their own message lookup.
 */
import type { Applicability, DeviceContext } from '../core/device-context';
import type { Level, Scope } from '../core/policy-schema';

export type Translate = (key: string, substitutions?: string[]) => string;

/** Where a network or device scope applies, as a phrase ("on its company network"). */
const PLACE_KEYS: Partial<Record<Scope, string>> = {
  'company-network': 'devicePlaceCompanyNetwork',
  'external-network': 'devicePlaceExternalNetwork',
  'office-devices': 'devicePlaceOfficeDevices',
  'government-devices': 'devicePlaceGovernmentDevices',
};

export const DEVICE_CONTEXT_KEYS: Record<DeviceContext, string> = {
  work: 'deviceContextWork',
  personal: 'deviceContextPersonal',
  unsaid: 'deviceContextUnsaid',
};

/** "a work device" / "your own device" / "not said", for "This browser: …". */
export const DEVICE_CONTEXT_SHORT_KEYS: Record<DeviceContext, string> = {
  work: 'deviceShortWork',
  personal: 'deviceShortPersonal',
  unsaid: 'deviceShortUnsaid',
};

export interface RuleFacts {
  scope: Scope;
  writtenLevel: Level;
  applies: Applicability;
}

/**
 * The notice a network-scoped rule becomes on one's own device, naming where
 * it applies: "KB Financial Group blocks DeepSeek on its external network;
 * this is your own device." Only a block is called a block; a warning is a
 * restriction, and a caution or notice is "its rule", never more than the
 * organization said.
 */
export function elsewhereText(rule: RuleFacts, organization: string, service: string, t: Translate): string {
  const place = t(PLACE_KEYS[rule.scope] ?? 'devicePlaceWorkplace');
  const key =
    rule.writtenLevel === 'block' ? 'deviceElsewhereBlock' : rule.writtenLevel === 'warn' ? 'deviceElsewhereWarn' : 'deviceElsewhereOther';
  return t(key, [organization, service, place]);
}

/** Whether this rule's scope applies on this device, in one sentence. */
export function applicabilityText(rule: RuleFacts, organization: string, service: string, t: Translate): string {
  switch (rule.applies) {
    case 'elsewhere':
      return elsewhereText(rule, organization, service, t);
    case 'this-device':
      return t(rule.scope === 'personal-computers' ? 'deviceAppliesOwnDevice' : 'deviceAppliesWorkDevice');
    case 'unsaid':
      return rule.scope === 'personal-computers'
        ? t('deviceUnsaidOwnDevice')
        : t('deviceUnsaidWorkplace', [t(PLACE_KEYS[rule.scope] ?? 'devicePlaceWorkplace')]);
    case 'any-device':
      return t(rule.scope === 'work-tasks' ? 'deviceAnyDeviceWork' : 'deviceAnyDevice');
  }
}
