/**
 * Every stored key, its schema, its default and its migrations live here.
 * Corrupt data falls back to defaults and is reported, never thrown.
 *
 *   storage.local   settings          Settings (below)
 *                   storageNotice     string, set when stored data was replaced by defaults
 *                   customPolicies    CustomPolicies (src/core/custom-organizations.ts)
 *                   activityLog       ActivityEntry[] (src/shared/activity-log.ts), capped
 *                   preconnect        PreconnectChoice (src/shared/network-prediction.ts)
 *                   managedLastSeen   LastSeenPolicy (src/shared/managed-read.ts), the last managed policy seen
 *                   deviceCode        string XXXX-XXXX, this install's device code (src/background/signed-exceptions.ts)
 *                   signedExceptions  StoredGrant[], the signed exceptions pasted here, re-checked on every read
 *                   noticeRecords     NoticeRecords (src/core/notice-lifecycle.ts), notice versions seen and acknowledged
 *   storage.session proceedExceptions ProceedException[]
 *                   profileHintShown  string[], services the pre-profile note was shown for
 *                   warningsSeen      WarningsSeen (src/shared/warning-dedupe.ts), read leniently
 *   storage.managed                   the administrator's policy (src/shared/managed-policy.ts), read-only
 */
import { z } from 'zod';
import type { ProceedException } from '../core/decision-types';
import { DEVICE_CONTEXTS } from '../core/device-context';
import { ACTIVITY_LOG_CAP, MAX_JUSTIFICATION, type ActivityEntry } from './activity-log';
import { UI_LANGUAGE_SETTINGS } from './i18n';
import { MAX_APPROVER_NAME } from '../core/exception-grant';

import { DEFAULT_PROCEED_MINUTES, DEFAULT_SETTINGS, SETTINGS_VERSION } from './stored-fast';

export { DEFAULT_PROCEED_MINUTES, DEFAULT_SETTINGS, SETTINGS_VERSION };

const OrganizationIds = z.array(z.string().regex(/^[a-z0-9-]{1,80}$/)).max(500);

/** Version 1 (before the activity log and the language override). */
const SettingsV1Schema = z.strictObject({
  version: z.literal(1),
  enabledOrganizations: OrganizationIds,
  proceedMinutes: z.number().int().min(1).max(240),
  onboarded: z.boolean(),
});

export const SettingsSchema = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  enabledOrganizations: OrganizationIds,
  proceedMinutes: z.number().int().min(1).max(240),
  /** True once the welcome page has been shown. */
  onboarded: z.boolean(),
  /** The local activity log; on by default, kept on this device only. */
  activityLog: z.boolean(),
  /** `browser` follows the browser's language. */
  uiLanguage: z.enum(UI_LANGUAGE_SETTINGS),
  /**
   * Where this browser is (work device, own device). Added after version 2
   * without a version step: absent reads as "not said", which is what every
   * earlier install meant.
   */
  deviceContext: z.enum(DEVICE_CONTEXTS).optional(),
  /** The person picked "Don't show this again" on the note shown before any profile is chosen. */
  profileHintOff: z.boolean().optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;


export {
  ACTIVITY_LOG_KEY,
  CUSTOM_POLICIES_KEY,
  EXCEPTIONS_KEY,
  SETTINGS_KEY,
  STORAGE_NOTICE_KEY,
} from './storage-keys';

const StoppingLevel = z.enum(['warn', 'block']);
/**
 * An exception without the decision it was granted under (written by a
 * version before exceptions followed the policy) does not parse and is
 * dropped with the rest: storage.session is emptied on update anyway.
 */
export const ProceedExceptionSchema = z.strictObject({
  serviceId: z.string().min(1).max(80),
  createdAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
  granted: z.strictObject({
    level: StoppingLevel,
    organizations: z.array(z.strictObject({ id: z.string().min(1).max(80), level: StoppingLevel })).max(500),
  }),
  statement: z.enum(['not-for-work', 'responsibility']).optional(),
  justification: z.string().max(MAX_JUSTIFICATION).optional(),
});
const ExceptionsSchema = z.array(ProceedExceptionSchema).max(1000);

export interface Loaded<T> {
  value: T;
  /** Set when the stored value was present but unusable and was replaced. */
  recovered: string | null;
}

/** Each migration takes the previous version's data to the next version. */
function migrateV1(v1: z.infer<typeof SettingsV1Schema>): Settings {
  return { ...v1, version: 2, activityLog: DEFAULT_SETTINGS.activityLog, uiLanguage: DEFAULT_SETTINGS.uiLanguage };
}

/** Reads stored settings; unknown organization ids are dropped, garbage resets. */
export function readSettings(raw: unknown, knownOrganizations: ReadonlySet<string>): Loaded<Settings> {
  if (raw === undefined) return { value: DEFAULT_SETTINGS, recovered: null };
  const old = SettingsV1Schema.safeParse(raw);
  const parsed = old.success ? { success: true as const, data: migrateV1(old.data) } : SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      value: DEFAULT_SETTINGS,
      recovered: `settings.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unreadable'}`,
    };
  }
  const enabled = [...new Set(parsed.data.enabledOrganizations)].filter((id) => knownOrganizations.has(id)).sort();
  return { value: { ...parsed.data, enabledOrganizations: enabled }, recovered: null };
}

export function readExceptions(raw: unknown, now: number): Loaded<ProceedException[]> {
  if (raw === undefined) return { value: [], recovered: null };
  const parsed = ExceptionsSchema.safeParse(raw);
  if (!parsed.success) return { value: [], recovered: 'proceed exceptions were unreadable' };
  return { value: parsed.data.filter((e) => e.expiresAt > now && e.createdAt <= now), recovered: null };
}

const IdString = z.string().min(1).max(80);
export const ActivityEntrySchema = z.strictObject({
  at: z.number().int().nonnegative(),
  event: z.enum(['warning-shown', 'proceeded', 'exception-granted', 'notice-acknowledged']),
  serviceId: IdString,
  host: z.string().min(1).max(253),
  level: z.enum(['block', 'warn', 'none']),
  organizations: z.array(IdString).max(500),
  statement: z.enum(['not-for-work', 'responsibility']).optional(),
  justification: z.string().max(MAX_JUSTIFICATION).optional(),
  approver: z.string().max(MAX_APPROVER_NAME).optional(),
  until: z.number().int().nonnegative().optional(),
  tokenId: z.string().max(64).optional(),
  noticeId: z.string().max(80).optional(),
  noticeVersion: z.string().max(40).optional(),
  initiator: z.string().max(300).optional(),
  openedByPage: z.literal(true).optional(),
  count: z.number().int().min(2).optional(),
  lastAt: z.number().int().nonnegative().optional(),
});

/** Reads the stored log: unreadable entries are dropped one by one, the rest kept in order. */
export function readActivityLog(raw: unknown): Loaded<ActivityEntry[]> {
  if (raw === undefined) return { value: [], recovered: null };
  if (!Array.isArray(raw)) return { value: [], recovered: 'activityLog: unreadable, cleared' };
  const value: ActivityEntry[] = [];
  let dropped = 0;
  for (const candidate of raw) {
    const entry = ActivityEntrySchema.safeParse(candidate);
    if (entry.success) value.push(entry.data);
    else dropped += 1;
  }
  const kept = value.slice(-ACTIVITY_LOG_CAP);
  return { value: kept, recovered: dropped > 0 ? `activityLog: ${dropped} unreadable entries dropped` : null };
}
