/**
 * What the pages say about where a rule applies, for every scope and device
 * context: one wording for the interstitial, the popup and the page notes.
 * Pure: callers pass their own message lookup.
 */
import type { Applicability, DeviceContext } from '../core/device-context';
import type { Level, NoticeStatus, Scope } from '../core/policy-schema';
import { ruleStance } from '../core/stance';

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
  notice: { status: NoticeStatus };
  /** Whether the rule names the service or only its category (Samsung's "non-approved external programs"). */
  target?: 'service' | 'category';
}

const placeText = (scope: Scope, t: Translate): string => t(PLACE_KEYS[scope] ?? 'devicePlaceWorkplace');

/**
 * The notice a network-scoped rule becomes on one's own device: the rule is
 * for another place. "KB Financial Group and KB Kookmin Bank: DeepSeek is
 * blocked on its external network; this is your own device." Only a block in
 * force is called blocked; "limited or will limit" says so; a warning is a
 * restriction; a caution or a note is "the reported rule", which names no
 * service (Samsung's rule is about its company PCs, not about ChatGPT).
 */
export function elsewhereText(rule: RuleFacts, organization: string, service: string, t: Translate): string {
  const place = placeText(rule.scope, t);
  const stance = ruleStance(rule.writtenLevel, rule.notice.status);
  const key =
    stance === 'block'
      ? 'deviceElsewhereBlock'
      : stance === 'limit'
        ? 'deviceElsewhereLimit'
        : stance === 'work-ban'
          ? 'deviceElsewhereWarn'
          : 'deviceElsewhereOther';
  return t(key, [organization, service, place]);
}

/** Whether this rule's scope applies on this device, in one sentence. A note never "applies". */
export function applicabilityText(rule: RuleFacts, organization: string, service: string, t: Translate): string {
  const note = ruleStance(rule.writtenLevel, rule.notice.status) === 'note';
  switch (rule.applies) {
    case 'elsewhere':
      return elsewhereText(rule, organization, service, t);
    case 'this-device':
    case 'unsaid':
      if (note) return rule.scope === 'personal-computers' ? t('deviceNoteOwnDevice') : t('deviceNoteWorkplace', [placeText(rule.scope, t)]);
      if (rule.applies === 'this-device') {
        return t(rule.scope === 'personal-computers' ? 'deviceAppliesOwnDevice' : 'deviceAppliesWorkDevice');
      }
      return rule.scope === 'personal-computers' ? t('deviceUnsaidOwnDevice') : t('deviceUnsaidWorkplace', [placeText(rule.scope, t)]);
    case 'any-device':
      if (rule.scope === 'work-tasks') return t(note ? 'deviceAnyDeviceWorkNote' : 'deviceAnyDeviceWork');
      return t('deviceAnyDevice');
  }
}

/**
 * A rule on a whole category that is no ban of it names no service: Samsung's
 * company PCs "block access for non-approved external programs", the Interior
 * Ministry's guideline "did not specify any particular services by name". Say
 * that whether this service is covered is not known. Null where the rule names
 * the service or bans the category outright (KHNP's generative AI ban).
 */
export function categoryText(rule: RuleFacts, service: string, t: Translate): string | null {
  if (rule.target !== 'category') return null;
  const stance = ruleStance(rule.writtenLevel, rule.notice.status);
  return stance === 'caution' || stance === 'note' ? t('deviceCategoryNoService', [service]) : null;
}
