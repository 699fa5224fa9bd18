/**
 * Zod-free readers for the stored values the background reads on every start
 * (settings, proceed exceptions, activity-log entries). Each accepts exactly
 * the current, well-formed shape that settings.ts describes with zod, and
 * answers null for anything else: the caller then takes the full zod reader,
 * which migrates old versions and reports what it had to replace. The
 * service worker stays free of the schema library until something unusual is
 * actually stored. tests/unit/stored-fast.test.ts holds both readers to the
 * same answers.
 */
import type { ActivityEntry } from './activity-log';
import { MAX_JUSTIFICATION } from './activity-log';
import type { ProceedException } from '../core/decision-types';
import { isStoppingLevel } from '../core/policy-enums';
import { UI_LANGUAGE_SETTINGS } from './i18n';
import type { Settings } from './settings';

export const SETTINGS_VERSION = 2;
export const DEFAULT_PROCEED_MINUTES = 15;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  enabledOrganizations: [],
  proceedMinutes: DEFAULT_PROCEED_MINUTES,
  onboarded: false,
  activityLog: true,
  uiLanguage: 'browser',
};

const ORG_ID = /^[a-z0-9-]{1,80}$/;

/** A plain object (not an array, not a class instance) with exactly `required` keys, plus any of `optional`. */
function hasKeys(raw: unknown, required: readonly string[], optional: readonly string[] = []): raw is Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const proto = Object.getPrototypeOf(raw) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(raw);
  let present = 0;
  for (const key of keys) {
    if (required.includes(key)) present += 1;
    else if (!optional.includes(key)) return false;
  }
  return present === required.length;
}

const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const isText = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= min && v.length <= max;

const SETTINGS_KEYS = ['version', 'enabledOrganizations', 'proceedMinutes', 'onboarded', 'activityLog', 'uiLanguage'] as const;

/**
 * Current-version settings as readSettings (settings.ts) would return them, or
 * null when `raw` needs the full reader (an old version, garbage).
 */
export function readCurrentSettings(raw: unknown, knownOrganizations: ReadonlySet<string>): Settings | null {
  if (!hasKeys(raw, SETTINGS_KEYS)) return null;
  const { version, enabledOrganizations: ids, proceedMinutes, onboarded, activityLog, uiLanguage } = raw;
  if (version !== SETTINGS_VERSION || !isInt(proceedMinutes, 1, 240)) return null;
  if (typeof onboarded !== 'boolean' || typeof activityLog !== 'boolean') return null;
  if (!(UI_LANGUAGE_SETTINGS as readonly unknown[]).includes(uiLanguage)) return null;
  if (!Array.isArray(ids) || ids.length > 500 || !ids.every((id) => typeof id === 'string' && ORG_ID.test(id))) return null;
  const enabled = [...new Set(ids as string[])].filter((id) => knownOrganizations.has(id)).sort();
  return { version, enabledOrganizations: enabled, proceedMinutes, onboarded, activityLog, uiLanguage: uiLanguage as Settings['uiLanguage'] };
}

/** The decision an exception was granted under (GrantedDecision). */
function isGranted(raw: unknown): boolean {
  if (!hasKeys(raw, ['level', 'organizations']) || !isStoppingLevel(raw.level)) return false;
  const orgs = raw.organizations;
  return (
    Array.isArray(orgs) &&
    orgs.length <= 500 &&
    orgs.every((o) => hasKeys(o, ['id', 'level']) && isText(o.id, 1, 80) && isStoppingLevel(o.level))
  );
}

function isProceedException(raw: unknown): raw is ProceedException {
  return (
    hasKeys(raw, ['serviceId', 'createdAt', 'expiresAt', 'granted'], ['statement', 'justification']) &&
    isText(raw.serviceId, 1, 80) &&
    isInt(raw.createdAt, 0) &&
    isInt(raw.expiresAt, 0) &&
    isGranted(raw.granted) &&
    (raw.statement === undefined || raw.statement === 'not-for-work' || raw.statement === 'responsibility') &&
    (raw.justification === undefined || isText(raw.justification, 0, MAX_JUSTIFICATION))
  );
}

/** The stored exceptions active at `now` (as readExceptions), or null when the list needs the full reader. */
export function readExceptionsFast(raw: unknown, now: number): ProceedException[] | null {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > 1000 || !raw.every(isProceedException)) return null;
  return (raw as ProceedException[]).filter((e) => e.expiresAt > now && e.createdAt <= now);
}

const ENTRY_KEYS = ['at', 'event', 'serviceId', 'host', 'level', 'organizations'] as const;

function isActivityEntry(raw: unknown): raw is ActivityEntry {
  if (!hasKeys(raw, ENTRY_KEYS, ['statement', 'justification', 'approver', 'until', 'tokenId', 'noticeId', 'noticeVersion', 'initiator', 'openedByPage', 'count', 'lastAt'])) return false;
  const { at, event, serviceId, host, level, organizations, statement, justification } = raw;
  return (
    isInt(at, 0) &&
    (event === 'warning-shown' || event === 'proceeded' || event === 'exception-granted' || event === 'notice-acknowledged') &&
    isText(serviceId, 1, 80) &&
    isText(host, 1, 253) &&
    (level === 'block' || level === 'warn' || level === 'none') &&
    (!('approver' in raw) || isText(raw.approver, 0, 120)) &&
    (!('until' in raw) || isInt(raw.until, 0)) &&
    (!('tokenId' in raw) || isText(raw.tokenId, 0, 64)) &&
    (!('noticeId' in raw) || isText(raw.noticeId, 0, 80)) &&
    (!('noticeVersion' in raw) || isText(raw.noticeVersion, 0, 40)) &&
    (!('initiator' in raw) || isText(raw.initiator, 0, 300)) &&
    (!('openedByPage' in raw) || raw.openedByPage === true) &&
    (!('count' in raw) || isInt(raw.count, 2)) &&
    (!('lastAt' in raw) || isInt(raw.lastAt, 0)) &&
    Array.isArray(organizations) &&
    organizations.length <= 500 &&
    organizations.every((o) => isText(o, 1, 80)) &&
    (!('statement' in raw) || statement === 'not-for-work' || statement === 'responsibility') &&
    (!('justification' in raw) || (typeof justification === 'string' && justification.length <= MAX_JUSTIFICATION))
  );
}

/** The stored log when every entry is well-formed (capped as readActivityLog caps it), else null. */
export function readActivityLogFast(raw: unknown, cap: number): ActivityEntry[] | null {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || !raw.every(isActivityEntry)) return null;
  return (raw as ActivityEntry[]).slice(-cap);
}
