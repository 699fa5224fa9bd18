/**
 * The message kinds (who may send each: message-senders.ts), and a
 * zod-free reader for the requests that arrive at every warning and every
 * popup (an empty request, or one URL). protocol.ts checks every request with
 * zod; this reader accepts only what those schemas accept (tests/unit/
 * protocol-kinds.test.ts holds it to that) and answers null for anything
 * else, which then takes the zod path with its precise error. It keeps the
 * schema library off the service worker's start path: the interstitial's
 * first question to a stopped worker is answered without loading it.
 */
import { MAX_URL_LENGTH } from './limits';

export const MESSAGE_KINDS = [
  'getVerdict',
  'proceedAnyway',
  'recordWarningShown',
  'getProfiles',
  'setProfileEnabled',
  'getSettings',
  'updateSettings',
  'setDeviceContext',
  'dismissStorageNotice',
  'getManagedPolicy',
  'getOrganizationDetails',
  'importCustomPolicies',
  'exportCustomPolicies',
  'removeCustomOrganization',
  'getActivityLog',
  'clearActivityLog',
  'resetAll',
  'getPreconnectStatus',
  'setPreventPreconnect',
  'getEnforcementStatus',
  'getProfileHint',
  'turnOffProfileHint',
  'openProfileList',
  'getExceptions',
  'endException',
  'getSignedExceptions',
  'applyExceptionToken',
  'acknowledgeNotice',
  'sendTabToWarning',
] as const;

export type MessageKindName = (typeof MESSAGE_KINDS)[number];

/** Kinds whose request is `{}` exactly. */
const EMPTY_REQUEST: ReadonlySet<string> = new Set([
  'getProfiles',
  'getSettings',
  'dismissStorageNotice',
  'getManagedPolicy',
  'exportCustomPolicies',
  'getActivityLog',
  'clearActivityLog',
  'getPreconnectStatus',
  'getEnforcementStatus',
  'turnOffProfileHint',
  'openProfileList',
  'getExceptions',
  'getSignedExceptions',
]);
/** Kinds whose request is `{ url: string }` exactly. */
const URL_REQUEST: ReadonlySet<string> = new Set(['getVerdict', 'recordWarningShown', 'getProfileHint', 'sendTabToWarning']);

function plainKeys(raw: unknown): string[] | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const proto = Object.getPrototypeOf(raw) as unknown;
  return proto === Object.prototype || proto === null ? Object.keys(raw) : null;
}

/**
 * `{ kind, request }` for the common requests, checked exactly as protocol.ts
 * would; null for every other message (not an error: the zod reader decides).
 */
export function readCommonEnvelope(message: unknown): { kind: MessageKindName; request: Record<string, unknown> } | null {
  const outer = plainKeys(message);
  if (outer === null || outer.length !== 2 || !outer.includes('kind') || !outer.includes('request')) return null;
  const { kind, request } = message as { kind: unknown; request: unknown };
  if (typeof kind !== 'string') return null;
  const inner = plainKeys(request);
  if (inner === null) return null;
  if (EMPTY_REQUEST.has(kind)) return inner.length === 0 ? { kind: kind as MessageKindName, request: {} } : null;
  if (URL_REQUEST.has(kind)) {
    const { url } = request as { url: unknown };
    if (inner.length !== 1 || inner[0] !== 'url' || typeof url !== 'string' || url.length > MAX_URL_LENGTH) return null;
    return { kind: kind as MessageKindName, request: { url } };
  }
  return null;
}
