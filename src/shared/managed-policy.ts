/**
 * The administrator's policy, as read from `storage.managed` (Chrome: the
 * extension's `managed_schema` via the OS policy store; Firefox: policies.json
 * `3rdparty.Extensions`). Pure and zod-based; pages import its types only.
 *
 * Each field is checked on its own: a bad one is ignored and reported as
 * `field: message`, and the rest still applies. Chrome already drops values
 * whose JSON type does not match public/managed-schema.json (chrome://policy
 * shows those); Firefox passes the file through as written, so everything is
 * checked here as well.
 *
 * A key that restricts (a lock, a proceed turned off, a required reason)
 * fails closed: a value of the wrong type (`"false"`, `1`, `"yes"`) is read
 * as the stricter choice and reported, never as the permissive default.
 */
import { z } from 'zod';
import { readManagedOrganizations } from '../core/managed-organizations';
import type { PolicyBundle } from '../core/policy-schema';
import type { ManagedFallback } from './managed-read';
import { MANAGED_DEVICE_CONTEXTS } from '../core/device-context';
import { boundManagedValues, overLimitOf } from './managed-bounds';
import type { ManagedPolicy, ManagedReport } from './managed-types';
import { MAX_APPROVER_NAME, base64Decode } from '../core/exception-grant';

export type { ManagedPolicy, ManagedReport, PartialText, ApprovedAlternative } from './managed-types';

export const MAX_CUSTOM_MESSAGE = 1000;
export const MAX_ALTERNATIVE_LABEL = 80;

export const MAX_APPROVER_KEYS = 20;
export const MAX_REVOKED_EXCEPTIONS = 5000;

/** The SPKI of an uncompressed P-256 key: 91 bytes, always with this 26-byte head. */
const P256_SPKI_HEAD = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE';
function isP256Spki(text: string): boolean {
  const compact = text.replace(/\s/g, '');
  return compact.startsWith(P256_SPKI_HEAD) && base64Decode(compact)?.length === 91;
}

const Text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A string (both languages) or `{ "en": …, "ko": … }` with at least one of them. */
const PartialTextSchema = (max: number) =>
  z.union([
    Text(max).transform((text) => ({ en: text, ko: text })),
    z
      .strictObject({ en: Text(max).optional(), ko: Text(max).optional() })
      .refine((v) => v.en !== undefined || v.ko !== undefined, 'needs "en" or "ko"'),
  ]);

const FIELD_SCHEMAS = {
  // Read element by element below: one bad id must not drop the whole list.
  enabledProfiles: z.unknown(),
  lockProfiles: z.boolean(),
  allowProceedOnBlock: z.boolean(),
  allowProceedOnWarn: z.boolean(),
  proceedMinutes: z.number().int('must be a whole number').min(1).max(240),
  customMessage: PartialTextSchema(MAX_CUSTOM_MESSAGE),
  approvedAlternative: z.strictObject({
    // Only https: the link leads away from a warning page, to where the organization wants people.
    url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).max(2048),
    label: PartialTextSchema(MAX_ALTERNATIVE_LABEL).optional(),
  }),
  requireJustification: z.boolean(),
  activityLog: z.boolean(),
  preventPreconnect: z.boolean(),
  // Read by readManagedOrganizations, organization by organization.
  organizations: z.unknown(),
  deviceContext: z.enum(MANAGED_DEVICE_CONTEXTS, { error: 'must be "work" or "personal"' }),
  // Signed exceptions (src/core/exception-token.ts): who may sign, and what was taken back.
  exceptionApprovers: z
    .array(
      z.strictObject({
        name: Text(MAX_APPROVER_NAME).optional(),
        publicKey: z.string().refine(isP256Spki, 'must be the base64 public key that npm run exception:keygen prints'),
      }),
    )
    .max(MAX_APPROVER_KEYS),
  revokedExceptions: z.array(z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be token ids')).max(MAX_REVOKED_EXCEPTIONS),
} as const;

export type ManagedKey = keyof typeof FIELD_SCHEMAS;
export const MANAGED_KEYS = Object.keys(FIELD_SCHEMAS) as ManagedKey[];

/** The stricter value of each restricting switch: what a value of the wrong type is read as. */
export const STRICTER: Partial<Record<ManagedKey, boolean>> = {
  lockProfiles: true,
  allowProceedOnBlock: false,
  allowProceedOnWarn: false,
  requireJustification: true,
  preventPreconnect: true,
  // A log the administrator meant to set, on or off: on and locked keeps the proceed records.
  activityLog: true,
};

export const MIN_PROCEED_MINUTES = 1;
export const MAX_PROCEED_MINUTES = 240;

/**
 * proceedMinutes given as something other than a whole number in range
 * (Firefox passes `"5"` or `5.5` through): a number is read rounded down
 * into 1–240, anything else as the minimum, 1. Either way it stays locked.
 */
function readProceedMinutes(value: unknown, problems: string[]): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  const read = Number.isFinite(number)
    ? Math.min(MAX_PROCEED_MINUTES, Math.max(MIN_PROCEED_MINUTES, Math.floor(number)))
    : MIN_PROCEED_MINUTES;
  problems.push(`proceedMinutes: must be a whole number of minutes from 1 to 240, not ${shown(value)}; read as ${read}, the stricter choice`);
  return read;
}

export const MAX_FORCED_PROFILES = 500;

function issueText(key: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = [key, ...(issue?.path ?? []).map(String)].join('.');
  return `${path}: ${issue?.message ?? 'invalid'}`;
}

/**
 * Where the browser is. A value that is neither answer fails closed, like the
 * switches: a work device, where an organization's network bans apply as written.
 */
function readDeviceContext(value: unknown, problems: string[]): 'work' | 'personal' {
  const parsed = FIELD_SCHEMAS.deviceContext.safeParse(value);
  if (parsed.success) return parsed.data;
  problems.push(`deviceContext: must be "work" or "personal", not ${shown(value)}; read as "work", the stricter choice`);
  return 'work';
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? `the string ${JSON.stringify(value)}` : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Forced profile ids, matched case-insensitively. A list is expected; a
 * single string (a registry value, a hand-written policies.json) is read as
 * ids separated by commas or spaces, and reported, rather than dropped.
 */
function readEnabledProfiles(value: unknown, known: ReadonlySet<string>, problems: string[]): { ids: string[]; malformed: boolean } {
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') {
    items = value.split(/[\s,]+/).filter((id) => id.length > 0);
    problems.push('enabledProfiles: must be a list of profile ids; read as a list separated by commas');
  } else {
    problems.push(`enabledProfiles: must be a list of profile ids, not ${shown(value)}; every profile is locked as it stands, the stricter choice`);
    return { ids: [], malformed: true };
  }
  let malformed = false;
  if (items.length > MAX_FORCED_PROFILES) {
    problems.push(`enabledProfiles: only the first ${MAX_FORCED_PROFILES} ids are read`);
    items = items.slice(0, MAX_FORCED_PROFILES);
  }
  const kept = new Set<string>();
  items.forEach((item, i) => {
    if (typeof item !== 'string') {
      // What the administrator meant by it cannot be known: what stands, stays.
      problems.push(`enabledProfiles.${i}: must be a profile id, not ${shown(item)}; every profile is locked as it stands, the stricter choice`);
      malformed = true;
      return;
    }
    const id = item.trim().toLowerCase();
    if (!known.has(id)) problems.push(`enabledProfiles.${i}: unknown organization "${item.slice(0, 80)}" (ignored)`);
    else kept.add(id);
  });
  return { ids: [...kept].sort(), malformed };
}

/**
 * A value set aside before reading for its size or depth (managed-bounds.ts):
 * read as the stricter choice where the key restricts, as a wrong value of
 * that key is, and otherwise ignored; reported either way.
 */
function readOverLimit(key: ManagedKey, why: string, policy: ManagedPolicy, problems: string[]): void {
  const stricter = STRICTER[key];
  if (stricter !== undefined) {
    Object.assign(policy, { [key]: stricter });
    problems.push(`${key}: ${why}; read as ${stricter}, the stricter choice`);
  } else if (key === 'deviceContext') {
    policy.deviceContext = 'work';
    problems.push(`${key}: ${why}; read as "work", the stricter choice`);
  } else if (key === 'proceedMinutes') {
    policy.proceedMinutes = MIN_PROCEED_MINUTES;
    problems.push(`${key}: ${why}; read as ${MIN_PROCEED_MINUTES}, the stricter choice`);
  } else if (key === 'enabledProfiles') {
    problems.push(`${key}: ${why}; every profile is locked as it stands, the stricter choice`);
  } else {
    problems.push(`${key}: ${why} (ignored)`);
  }
}

export interface ManagedReadContext {
  /** The shipped policies: an administrator's organization may not reuse their ids. */
  bundle: PolicyBundle;
  /** The profile ids a policy may force on, besides the administrator's own organizations. */
  knownOrganizations: ReadonlySet<string>;
  /** Set when the browser's answer was not used and the last policy seen applies. */
  fallback?: ManagedFallback | null;
}

/** Reads the managed area's values (`undefined` when nothing is managed). */
export function readManagedPolicy(raw: unknown, context: ManagedReadContext): ManagedReport {
  const fallback = context.fallback ?? null;
  const policy: ManagedPolicy = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { present: false, policy, problems, fallback };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { present: true, policy, problems: ['(root): must be an object of policy settings'], fallback };
  }
  // Bounded first, whoever calls (the background bounds what it stores, too).
  const values = boundManagedValues(raw as Record<string, unknown>);
  const entries = Object.entries(values);
  // Values set aside before reading, for their size or depth (managed-bounds.ts).
  const overLimit = new Set<string>();
  for (const [key, value] of entries) {
    // Own keys only: "__proto__" or "toString" in a policy file are unknown settings, not lookups.
    if (!Object.hasOwn(FIELD_SCHEMAS, key)) {
      problems.push(`${key}: not a setting this extension knows (ignored)`);
      continue;
    }
    const over = overLimitOf(value);
    if (over !== null) {
      overLimit.add(key);
      readOverLimit(key as ManagedKey, over, policy, problems);
      continue;
    }
    if (key === 'enabledProfiles' || key === 'organizations' || key === 'deviceContext') continue;
    if (key === 'proceedMinutes' && !FIELD_SCHEMAS.proceedMinutes.safeParse(value).success) {
      policy.proceedMinutes = readProceedMinutes(value, problems);
      continue;
    }
    const parsed = FIELD_SCHEMAS[key as ManagedKey].safeParse(value);
    if (!parsed.success) {
      const stricter = STRICTER[key as ManagedKey];
      if (stricter !== undefined) {
        problems.push(`${key}: must be true or false, not ${shown(value)}; read as ${stricter}, the stricter choice`);
        Object.assign(policy, { [key]: stricter });
      } else {
        problems.push(`${issueText(key, parsed.error)} (ignored)`);
      }
      continue;
    }
    Object.assign(policy, { [key]: parsed.data });
  }

  if (Object.hasOwn(values, 'deviceContext') && !overLimit.has('deviceContext')) policy.deviceContext = readDeviceContext(values.deviceContext, problems);

  // The administrator's own organizations first: enabledProfiles may name them.
  const known = new Set(context.knownOrganizations);
  if (Object.hasOwn(values, 'organizations') && !overLimit.has('organizations')) {
    const read = readManagedOrganizations(values.organizations, context.bundle);
    problems.push(...read.problems);
    if (read.policies.organizations.length > 0) {
      policy.organizations = read.policies;
      for (const org of read.policies.organizations) known.add(org.id);
    }
  }
  if (overLimit.has('enabledProfiles')) {
    // What the administrator meant by it cannot be known: what stands, stays (as for a malformed list).
    policy.enabledProfiles = [];
    policy.lockProfiles = true;
  } else if (Object.hasOwn(values, 'enabledProfiles')) {
    const read = readEnabledProfiles(values.enabledProfiles, known, problems);
    policy.enabledProfiles = read.ids;
    if (read.malformed) policy.lockProfiles = true;
  }
  // A reason asked for and then thrown away would be theatre: the log keeps it.
  if (policy.requireJustification === true && policy.activityLog === false) {
    problems.push('activityLog: false conflicts with requireJustification: true; the log stays on (ignored)');
    delete policy.activityLog;
  }
  return { present: entries.length > 0, policy, problems, fallback };
}
