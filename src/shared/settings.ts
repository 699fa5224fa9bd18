/**
 * Every stored key, its schema, its default and its migrations live here.
 * Corrupt data falls back to defaults and is reported, never thrown.
 */
import { z } from 'zod';
import type { ProceedException } from '../core/decision-types';

export const SETTINGS_VERSION = 1;
export const DEFAULT_PROCEED_MINUTES = 15;

export const SettingsSchema = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  enabledOrganizations: z.array(z.string().regex(/^[a-z0-9-]{1,80}$/)).max(500),
  proceedMinutes: z.number().int().min(1).max(240),
  /** True once the welcome page has been shown. */
  onboarded: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  enabledOrganizations: [],
  proceedMinutes: DEFAULT_PROCEED_MINUTES,
  onboarded: false,
};

export { EXCEPTIONS_KEY, SETTINGS_KEY, STORAGE_NOTICE_KEY } from './storage-keys';

export const ProceedExceptionSchema = z.strictObject({
  serviceId: z.string().min(1).max(80),
  createdAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
});
const ExceptionsSchema = z.array(ProceedExceptionSchema).max(1000);

export interface Loaded<T> {
  value: T;
  /** Set when the stored value was present but unusable and was replaced. */
  recovered: string | null;
}

/** Reads stored settings; unknown organization ids are dropped, garbage resets. */
export function readSettings(raw: unknown, knownOrganizations: ReadonlySet<string>): Loaded<Settings> {
  if (raw === undefined) return { value: DEFAULT_SETTINGS, recovered: null };
  const parsed = SettingsSchema.safeParse(raw);
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
