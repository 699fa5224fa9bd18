/**
 * Shapes of the administrator's policy, kept free of zod so pages can use
 * them; managed-policy.ts reads and checks the stored values.
 */
import type { CustomPolicies } from '../core/custom-organizations';
import type { ManagedFallback } from './managed-read';

export type { ManagedFallback };

/** Text an administrator wrote, in one or both UI languages. */
export interface PartialText {
  en?: string;
  ko?: string;
}

export interface ApprovedAlternative {
  /** Always https (checked when read). */
  url: string;
  label?: PartialText;
}

/** The managed settings that were valid; an absent key was not set (or was ignored). */
export interface ManagedPolicy {
  /** Profiles turned on for everyone; shown locked. */
  enabledProfiles?: string[];
  /** When true, no profile can be changed by the user (forced ones are always locked). */
  lockProfiles?: boolean;
  /** Proceeding past a `block` page (default: allowed). */
  allowProceedOnBlock?: boolean;
  /** Proceeding past a `warn` page (default: allowed). */
  allowProceedOnWarn?: boolean;
  /** How long a proceed lasts; the user can no longer change it. */
  proceedMinutes?: number;
  customMessage?: PartialText;
  approvedAlternative?: ApprovedAlternative;
  /** A short reason before proceeding, kept in the local activity log. */
  requireJustification?: boolean;
  /** Turns the local activity log on or off, and locks the choice. */
  activityLog?: boolean;
  /** Keeps the browser's network prediction off (no pre-connects to banned hosts), and locks the choice. */
  preventPreconnect?: boolean;
  /**
   * The administrator's own organizations (the valid ones), cited like the
   * shipped ones and shown as "From your organization".
   */
  organizations?: CustomPolicies;
  /** Where this browser is: the organization's device, or a person's own; locks the choice. */
  deviceContext?: 'work' | 'personal';
  /** Public keys whose signed exceptions this browser accepts (src/core/exception-token.ts). */
  exceptionApprovers?: ApproverKey[];
  /** Token ids of signed exceptions that end now. */
  revokedExceptions?: string[];
}

export interface ApproverKey {
  name?: string;
  /** Base64 SPKI of an ECDSA P-256 key. */
  publicKey: string;
}

export interface ManagedReport {
  /** True when the managed area held anything at all. */
  present: boolean;
  policy: ManagedPolicy;
  /** `field: message` for every value that was ignored. */
  problems: string[];
  /** Set when this is the last policy seen, kept because the browser's answer could not be trusted. */
  fallback: ManagedFallback | null;
}

/** The administrator's text in the UI language, else in the other one. */
export function pickPartialText(text: PartialText | undefined | null, lang: 'en' | 'ko'): string | null {
  if (!text) return null;
  return (lang === 'ko' ? (text.ko ?? text.en) : (text.en ?? text.ko)) ?? null;
}
