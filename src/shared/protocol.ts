/**
 * The one typed message map between the extension's contexts. Every request
 * is a zod schema the background `safeParse`s; every reply is
 * `{ ok: true, data } | { ok: false, error }` so errors cross the boundary.
 */
import { z } from 'zod';
import type { OrganizationSummary, VerdictView } from '../core/verdict-view';
import type { LocalizedText, OrganizationPolicy, Source } from '../core/policy-schema';
import type { CustomPoliciesFile } from '../core/custom-organizations';
import type { NoticeLifecycleView } from '../core/notice-lifecycle';
import type { Settings } from './settings';
import type { EnforcementStatus } from './enforcement-status';
import type { ActivityDrops, ActivityEntry, ProceedStatement } from './activity-log';
import type { ApprovedAlternative, ManagedReport, PartialText } from './managed-types';
import type { PreconnectStatus } from './network-prediction';
import { MAX_JUSTIFICATION } from './activity-log';
import { UI_LANGUAGE_SETTINGS } from './i18n';
import { DEVICE_CONTEXTS, MANAGED_DEVICE_CONTEXTS, type DeviceContext } from '../core/device-context';

import { MAX_URL_LENGTH } from './limits';
import { MAX_TOKEN_LENGTH, type RefusalReason } from '../core/exception-grant';

export { MAX_URL_LENGTH };
const UrlString = z.string().max(MAX_URL_LENGTH);
const OrgId = z.string().regex(/^[a-z0-9-]{1,80}$/);

export const requestSchemas = {
  /** Decision and its rendering data for a URL (interstitial, popup, content script). */
  getVerdict: z.strictObject({ url: UrlString }),
  /**
   * A deliberate, acknowledged proceed from the interstitial: which statement
   * was ticked and, where an administrator requires one, the reason given.
   */
  proceedAnyway: z.strictObject({
    url: UrlString,
    acknowledged: z.literal(true),
    statement: z.enum(['not-for-work', 'responsibility']).optional(),
    justification: z.string().max(MAX_JUSTIFICATION).optional(),
    /** Where the navigation came from, as the interstitial was told (document.referrer); the log keeps its origin. */
    initiator: z.string().max(2048).optional(),
  }),
  /** The interstitial showed a warning (for the local activity log); `initiator` as for proceedAnyway. */
  recordWarningShown: z.strictObject({ url: UrlString, initiator: z.string().max(2048).optional() }),
  /** Profiles for the popup, options and welcome pages. */
  getProfiles: z.strictObject({}),
  setProfileEnabled: z.strictObject({ organizationId: OrgId, enabled: z.boolean() }),
  getSettings: z.strictObject({}),
  updateSettings: z.strictObject({
    proceedMinutes: z.number().int().min(1).max(240).optional(),
    activityLog: z.boolean().optional(),
    uiLanguage: z.enum(UI_LANGUAGE_SETTINGS).optional(),
    deviceContext: z.enum(DEVICE_CONTEXTS).optional(),
  }),
  /**
   * The person's one-click answer on the warning page to "Is this a work device?".
   * Its own kind, so the web-accessible interstitial can answer that question
   * and change nothing else of the settings.
   */
  setDeviceContext: z.strictObject({ deviceContext: z.enum(MANAGED_DEVICE_CONTEXTS) }),
  /** Clears the "settings were reset" notice once the user has seen it. */
  dismissStorageNotice: z.strictObject({}),
  /** The administrator's policy as applied, and what of it was ignored. */
  getManagedPolicy: z.strictObject({}),
  /** One profile's notices and rules, for the options page. */
  getOrganizationDetails: z.strictObject({ organizationId: OrgId }),
  /** The text of a custom policies file; checked whole before anything is stored. */
  importCustomPolicies: z.strictObject({ text: z.string().max(1_000_000) }),
  exportCustomPolicies: z.strictObject({}),
  removeCustomOrganization: z.strictObject({ organizationId: OrgId }),
  getActivityLog: z.strictObject({}),
  clearActivityLog: z.strictObject({}),
  /** Clears user settings, custom policies and the activity log; the managed policy stays. */
  resetAll: z.strictObject({ confirmed: z.literal(true) }),
  /** The proceed exceptions running now, for the popup and the options page. */
  getExceptions: z.strictObject({}),
  /** Ends one service's exception at once: the site is stopped again. */
  endException: z.strictObject({ serviceId: z.string().min(1).max(80) }),
  /** Whether the browser's pre-connecting is kept off, and why not when it was asked for. */
  getPreconnectStatus: z.strictObject({}),
  /** The status page: what the extension read and enforces, from the live browser. */
  getEnforcementStatus: z.strictObject({}),
  /** The person's choice; the page has asked for the `privacy` permission first. */
  setPreventPreconnect: z.strictObject({ enabled: z.boolean() }),
  /**
   * From the content script on a catalog site, before any profile is on: whether to show
   * "N organizations in the list restrict this service", claiming it for this session.
   */
  getProfileHint: z.strictObject({ url: UrlString }),
  /** "Don't show this again" on that note. */
  turnOffProfileHint: z.strictObject({}),
  /** "Choose yours" on that note: opens the profile list. */
  openProfileList: z.strictObject({}),
  /** This device's code and the signed exceptions pasted here, for the options page, the popup and the warning. */
  getSignedExceptions: z.strictObject({}),
  /**
   * A signed exception the person pasted (src/core/exception-token.ts). The
   * background checks it against the administrator's keys before anything
   * changes; from the options page or the warning page in its own top frame.
   */
  applyExceptionToken: z.strictObject({ token: z.string().min(1).max(MAX_TOKEN_LENGTH * 2) }),
  /** "I have read this version" on an administrator's notice that asks for it, from the warning or the popup. */
  acknowledgeNotice: z.strictObject({ url: UrlString, organizationId: OrgId, noticeId: z.string().min(1).max(80), version: z.string().min(1).max(40) }),
  /**
   * From the content script, on a page of its own tab that the rules should have
   * stopped (a single-page app's new address, a page restored from the back/forward
   * cache, an exception that ended while it was open): send this tab to the warning.
   */
  sendTabToWarning: z.strictObject({ url: UrlString }),
} as const;

export type MessageKind = keyof typeof requestSchemas;
export type RequestOf<K extends MessageKind> = z.infer<(typeof requestSchemas)[K]>;

export interface VerdictResponse {
  verdict: VerdictView;
  /** Epoch ms when the active proceed exception for this service ends, if any. */
  exceptionExpiresAt: number | null;
  /** The exception standing is an approver's signed one, not the person's proceed. */
  exceptionSigned: boolean;
  proceedMinutes: number;
  /** The organization's own words for this page, set by an administrator. */
  customMessage: PartialText | null;
  /** Where to go instead (the company's own AI assistant), set by an administrator. */
  approvedAlternative: ApprovedAlternative | null;
  /** Proceeding asks for a short reason first. */
  requireJustification: boolean;
  /** Where this browser is, as the decision used it. */
  deviceContext: DeviceContext;
  /** Set by an administrator: the pages do not offer to change it. */
  deviceContextLocked: boolean;
  /** The administrator's and the person's own notices with a life cycle: updates, dates, acknowledgements. */
  notices: NoticeLifecycleView[];
  /**
   * Held at "not said" by a policy that limits proceeding and does not say
   * where this browser is: the device answer is no way out (core/lowering-gate.ts).
   */
  deviceContextHeld: boolean;
}

/** What the interstitial shows beside the verdict: the same for every service (src/core/verdict-table.ts). */
export type VerdictPage = Omit<VerdictResponse, 'verdict' | 'exceptionExpiresAt' | 'exceptionSigned'>;

export interface ProfilesResponse {
  organizations: OrganizationSummary[];
  /** What applies: the user's profiles and the forced ones. */
  enabled: string[];
  /** Turned on by the administrator; shown locked. */
  forced: string[];
  /** The administrator locked every profile. */
  locked: boolean;
  /** Custom organizations (imported on the options page). */
  custom: string[];
  /** The administrator's own organizations (managed key `organizations`), shown as "From your organization". */
  fromOrganization: string[];
  /** Set when stored data was unreadable and defaults were restored. */
  storageNotice: string | null;
}

/** The user's settings, with what applies and what an administrator locked. */
export interface SettingsResponse extends Settings {
  effective: {
    proceedMinutes: number;
    activityLog: boolean;
    allowProceedOnBlock: boolean;
    allowProceedOnWarn: boolean;
    deviceContext: DeviceContext;
    /** Held at "not said" by the policy (see VerdictResponse.deviceContextHeld). */
    deviceContextHeld: boolean;
  };
  locked: { proceedMinutes: boolean; activityLog: boolean; deviceContext: boolean };
}

export interface OrganizationDetailsResponse {
  organization: OrganizationPolicy;
  /** The sources its notices cite. */
  sources: Source[];
  custom: boolean;
  /** One of the administrator's own organizations. */
  fromOrganization: boolean;
  /** Names of the catalog services and categories its rules target. */
  serviceNames: Record<string, string>;
  /** The Korean names Korean media write (딥시크, 챗GPT), where the catalog has one. */
  serviceNamesKo?: Record<string, string>;
  categoryNames: Record<string, LocalizedText>;
}

export interface ActivityLogResponse {
  entries: ActivityEntry[];
  /** Entries the cap pushed out, and when the last went; null when none. */
  drops: ActivityDrops | null;
  enabled: boolean;
  locked: boolean;
  cap: number;
  /** Every organization's names, so the page can show the ones an entry cites. */
  organizations: OrganizationSummary[];
}

/** One running proceed exception, as the popup and options page list it. */
export interface ExceptionView {
  serviceId: string;
  serviceName: string;
  /** The Korean name, where the catalog has one. */
  serviceNameKo?: string;
  /** Proceeded past a block that was only "limited or will limit": the statement said so. */
  limitedOnly?: true;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  statement: ProceedStatement | null;
  justification: string | null;
}

/** A signed exception pasted on this device. */
export interface SignedExceptionView {
  tokenId: string;
  services: { id: string; name: string }[];
  /** Epoch ms it ends at. */
  until: number;
  /** The approver's reason. */
  reason: string;
  approver: string;
  /** The name the policy gives the key that signed it. */
  keyName: string | null;
  acceptedAt: number;
  /** Null while it stands; else why it no longer does (expired, revoked, its key removed). */
  ended: RefusalReason | null;
}

export interface SignedExceptionsResponse {
  /** This install's code (XXXX-XXXX), sent to the approver with a request. */
  deviceCode: string;
  /** How many approver keys the policy holds: none means no token can be accepted. */
  approverKeys: number;
  /** Newest first. */
  grants: SignedExceptionView[];
}

export type ApplyTokenResponse = { accepted: true; grant: SignedExceptionView } | { accepted: false; reason: RefusalReason };

export interface ResponseMap {
  getVerdict: VerdictResponse;
  proceedAnyway: { url: string; expiresAt: number };
  recordWarningShown: { recorded: boolean };
  getProfiles: ProfilesResponse;
  setProfileEnabled: { enabled: string[] };
  getSettings: SettingsResponse;
  updateSettings: SettingsResponse;
  setDeviceContext: SettingsResponse;
  dismissStorageNotice: Record<string, never>;
  getManagedPolicy: ManagedReport;
  getOrganizationDetails: OrganizationDetailsResponse;
  importCustomPolicies: { added: string[]; replaced: string[] };
  exportCustomPolicies: CustomPoliciesFile;
  removeCustomOrganization: { removed: boolean };
  getActivityLog: ActivityLogResponse;
  clearActivityLog: Record<string, never>;
  /** What the administrator's policy kept: custom organizations it forces or locks, and the log it keeps. */
  resetAll: { keptOrganizations: string[]; keptNames: LocalizedText[]; keptLog: boolean };
  getExceptions: { exceptions: ExceptionView[] };
  endException: { ended: boolean };
  getPreconnectStatus: PreconnectStatus;
  getEnforcementStatus: EnforcementStatus;
  setPreventPreconnect: PreconnectStatus;
  getProfileHint: ProfileHintResponse;
  turnOffProfileHint: Record<string, never>;
  openProfileList: Record<string, never>;
  getSignedExceptions: SignedExceptionsResponse;
  applyExceptionToken: ApplyTokenResponse;
  acknowledgeNotice: { acknowledged: boolean };
  sendTabToWarning: { sent: boolean };
}

/** `new`: show the note now; `shown`: a page already showing it keeps it; `no`: none (and hide it). */
/** `serviceKo`: the name Korean media write, where the catalog has one (the note follows the browser's language). */
export type ProfileHintResponse = { show: 'new' | 'shown'; count: number; service: string; serviceKo?: string } | { show: 'no' };

export type Envelope<K extends MessageKind = MessageKind> = { kind: K; request: RequestOf<K> };
export type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

const EnvelopeSchema = z.strictObject({
  kind: z.enum(Object.keys(requestSchemas) as [MessageKind, ...MessageKind[]]),
  request: z.unknown(),
});

/** Validates an incoming message; returns the typed envelope or an error text. */
export function parseEnvelope(message: unknown): { ok: true; envelope: Envelope } | { ok: false; error: string } {
  const outer = EnvelopeSchema.safeParse(message);
  if (!outer.success) return { ok: false, error: 'malformed message' };
  const schema = requestSchemas[outer.data.kind];
  const inner = schema.safeParse(outer.data.request);
  if (!inner.success) {
    const first = inner.error.issues[0];
    return { ok: false, error: `${outer.data.kind}: ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}` };
  }
  return { ok: true, envelope: { kind: outer.data.kind, request: inner.data } as Envelope };
}
