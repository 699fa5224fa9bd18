/**
 * The one typed message map between the extension's contexts. Every request
 * is a zod schema the background `safeParse`s; every reply is
 * `{ ok: true, data } | { ok: false, error }` so errors cross the boundary.
 */
import { z } from 'zod';
import type { OrganizationSummary, VerdictView } from '../core/verdict-view';
import type { Settings } from './settings';

import { MAX_URL_LENGTH } from './limits';

export { MAX_URL_LENGTH };
const UrlString = z.string().max(MAX_URL_LENGTH);
const OrgId = z.string().regex(/^[a-z0-9-]{1,80}$/);

export const requestSchemas = {
  /** Decision and its rendering data for a URL (interstitial, popup, content script). */
  getVerdict: z.strictObject({ url: UrlString }),
  /** A deliberate, acknowledged proceed from the interstitial. */
  proceedAnyway: z.strictObject({ url: UrlString, acknowledged: z.literal(true) }),
  /** Profiles for the popup, options and welcome pages. */
  getProfiles: z.strictObject({}),
  setProfileEnabled: z.strictObject({ organizationId: OrgId, enabled: z.boolean() }),
  getSettings: z.strictObject({}),
  updateSettings: z.strictObject({
    proceedMinutes: z.number().int().min(1).max(240).optional(),
  }),
  /** Clears the "settings were reset" notice once the user has seen it. */
  dismissStorageNotice: z.strictObject({}),
} as const;

export type MessageKind = keyof typeof requestSchemas;
export type RequestOf<K extends MessageKind> = z.infer<(typeof requestSchemas)[K]>;

export interface VerdictResponse {
  verdict: VerdictView;
  /** Epoch ms when the active proceed exception for this service ends, if any. */
  exceptionExpiresAt: number | null;
  proceedMinutes: number;
}

export interface ProfilesResponse {
  organizations: OrganizationSummary[];
  enabled: string[];
  /** Set when stored data was unreadable and defaults were restored. */
  storageNotice: string | null;
}

export interface ResponseMap {
  getVerdict: VerdictResponse;
  proceedAnyway: { url: string; expiresAt: number };
  getProfiles: ProfilesResponse;
  setProfileEnabled: { enabled: string[] };
  getSettings: Settings;
  updateSettings: Settings;
  dismissStorageNotice: Record<string, never>;
}

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

/** Kinds that change state: only our own extension pages may send them. */
export const PRIVILEGED_KINDS: ReadonlySet<MessageKind> = new Set([
  'proceedAnyway',
  'setProfileEnabled',
  'updateSettings',
  'dismissStorageNotice',
]);
