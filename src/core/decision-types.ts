/** Shapes shared by the decision core, the DNR compiler and the pages. */
import type { Applicability, DeviceContext } from './device-context';
import type { Level, NoticeStatus, Rule, Scope } from './policy-schema';

/** What the core made of a URL string. Only http(s) and ws(s) are checked. */
export interface NormalizedUrl {
  /** The URL as the WHATWG parser serializes it (userinfo kept as given). */
  href: string;
  scheme: 'http' | 'https' | 'ws' | 'wss';
  /** Lower-case ASCII (punycode), without trailing dot or port. */
  host: string;
}

/** One rule of one organization that matched the URL. */
export interface MatchedRule {
  organizationId: string;
  /** Index of the rule in the organization's `rules` array. */
  ruleIndex: number;
  rule: Rule;
  /** The level that counts on this device (see device-context.ts). */
  level: Level;
  /** The level the organization's rule is written with. */
  writtenLevel: Level;
  /** Whether the rule's scope reaches this device. */
  applies: Applicability;
  scope: Scope;
  serviceId: string;
  noticeId: string;
  noticeStatus: NoticeStatus;
}

/** Every matching rule of one organization, strictest first. */
export interface Citation {
  organizationId: string;
  /** The strictest level among `rules`. */
  level: Level;
  rules: MatchedRule[];
}

export type DecisionLevel = Level | 'none';

export interface Decision {
  /** The input as given (possibly truncated for display by the caller). */
  input: string;
  url: NormalizedUrl | null;
  /** The service the host belongs to, if any. */
  serviceId: string | null;
  /** Catalog host entry that matched (`deepseek.com`, `gemini.google.com`). */
  matchedHost: string | null;
  /** Strictest level over all citations; `none` when nothing applies. */
  level: DecisionLevel;
  /** One per organization, strictest first, then in bundle order. */
  citations: Citation[];
  /** Whether the interstitial may offer a deliberate way forward. */
  proceedAllowed: boolean;
}

export interface DecideOptions {
  /** Organizations whose profiles are enabled. Unknown ids are ignored. */
  enabledOrganizations: readonly string[];
  /** An administrator may turn proceeding off for `block`; only `true` allows it. */
  allowProceedOnBlock: boolean;
  /**
   * An administrator may turn proceeding off for `warn` too. Absent means
   * allowed: a work-only ban leaves personal use open unless told otherwise.
   */
  allowProceedOnWarn?: boolean;
  /** Where this browser is; absent means not said (every rule counts as written). */
  deviceContext?: DeviceContext;
}

/** The statement ticked before proceeding (interstitialAckNotForWork / interstitialAckResponsibility). */
export type ProceedStatement = 'not-for-work' | 'responsibility';

/**
 * The decision an exception was granted under: how strict it was and which
 * organizations stopped the service, each at its own level. The exception
 * holds only while the service's decision is no stricter than this.
 */
export interface GrantedDecision {
  level: 'warn' | 'block';
  organizations: { id: string; level: 'warn' | 'block' }[];
}

/** A time-limited permission to use one service despite a warn/block decision. */
export interface ProceedException {
  serviceId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
  granted: GrantedDecision;
  /** What the person confirmed on the interstitial. */
  statement?: ProceedStatement;
  /** The reason they gave, where one was asked for or offered. */
  justification?: string;
  /**
   * Set on an approver's signed exception (src/background/signed-exceptions.ts):
   * who approved it. Those are derived from the stored tokens, never stored as this.
   */
  approvedBy?: string;
}
