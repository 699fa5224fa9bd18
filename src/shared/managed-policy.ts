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
 */
import { z } from 'zod';
import type { ManagedPolicy, ManagedReport } from './managed-types';

export type { ManagedPolicy, ManagedReport, PartialText, ApprovedAlternative } from './managed-types';

export const MAX_CUSTOM_MESSAGE = 1000;
export const MAX_ALTERNATIVE_LABEL = 80;

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
  enabledProfiles: z.array(z.string().max(80)).max(500),
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
} as const;

export type ManagedKey = keyof typeof FIELD_SCHEMAS;
export const MANAGED_KEYS = Object.keys(FIELD_SCHEMAS) as ManagedKey[];

function issueText(key: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = [key, ...(issue?.path ?? []).map(String)].join('.');
  return `${path}: ${issue?.message ?? 'invalid'}`;
}

/** Reads the managed area. `knownOrganizations` are the profile ids a policy may force on. */
export function readManagedPolicy(raw: unknown, knownOrganizations: ReadonlySet<string>): ManagedReport {
  const policy: ManagedPolicy = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { present: false, policy, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { present: true, policy, problems: ['(root): must be an object of policy settings'] };
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  for (const [key, value] of entries) {
    // Own keys only: "__proto__" or "toString" in a policy file are unknown settings, not lookups.
    if (!Object.hasOwn(FIELD_SCHEMAS, key)) {
      problems.push(`${key}: not a setting this extension knows (ignored)`);
      continue;
    }
    const parsed = FIELD_SCHEMAS[key as ManagedKey].safeParse(value);
    if (!parsed.success) {
      problems.push(`${issueText(key, parsed.error)} (ignored)`);
      continue;
    }
    Object.assign(policy, { [key]: parsed.data });
  }

  if (policy.enabledProfiles) {
    const kept: string[] = [];
    policy.enabledProfiles.forEach((id, i) => {
      if (!knownOrganizations.has(id)) problems.push(`enabledProfiles.${i}: unknown organization "${id}" (ignored)`);
      else if (!kept.includes(id)) kept.push(id);
    });
    policy.enabledProfiles = kept.sort();
  }
  // A reason asked for and then thrown away would be theatre: the log keeps it.
  if (policy.requireJustification === true && policy.activityLog === false) {
    problems.push('activityLog: false conflicts with requireJustification: true; the log stays on (ignored)');
    delete policy.activityLog;
  }
  return { present: entries.length > 0, policy, problems };
}
