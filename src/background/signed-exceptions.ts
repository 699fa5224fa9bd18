/**
 * The signed exceptions pasted on this device, and this device's code.
 *
 * The tokens are kept as pasted (storage.local: an exception granted until
 * the end of January outlives a browser restart) and checked again, with
 * the signature, every time they are read: a token stands only while the
 * policy still holds its key, does not revoke it, and its time has not
 * run out, so each of those ends it without anything else to undo.
 */
import { browser } from '../platform/browser';
import { deviceCodeFrom, grantEndsAt, type RefusalReason } from '../core/exception-grant';
import type { ProceedException } from '../core/decision-types';
import type { SignedExceptionView } from '../shared/protocol';
import { DEVICE_CODE_KEY, SIGNED_EXCEPTIONS_KEY } from '../shared/storage-keys';
import type { EffectiveState } from './effective';
import { checkExceptionToken, type TokenCheck, type TokenCheckContext } from './exception-verify';
import { validation } from './lazy-validation';

/** One pasted token and when it was accepted (epoch ms). */
export interface StoredGrant {
  token: string;
  acceptedAt: number;
}

export const MAX_STORED_GRANTS = 50;

let deviceCodeWrite: Promise<string> | null = null;

/** This install's device code, made on first use. */
export function loadDeviceCode(): Promise<string> {
  deviceCodeWrite ??= (async () => {
    const stored = (await browser.storage.local.get(DEVICE_CODE_KEY))[DEVICE_CODE_KEY];
    if (typeof stored === 'string' && /^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(stored)) return stored;
    const code = deviceCodeFrom(crypto.getRandomValues(new Uint8Array(8)));
    await browser.storage.local.set({ [DEVICE_CODE_KEY]: code });
    return code;
  })().finally(() => {
    deviceCodeWrite = null;
  });
  return deviceCodeWrite;
}

function isStoredGrant(raw: unknown): raw is StoredGrant {
  const r = raw as Partial<StoredGrant> | null;
  return typeof r === 'object' && r !== null && typeof r.token === 'string' && r.token.length <= 8192 && Number.isInteger(r.acceptedAt);
}

export async function loadStoredGrants(): Promise<StoredGrant[]> {
  const raw = (await browser.storage.local.get(SIGNED_EXCEPTIONS_KEY))[SIGNED_EXCEPTIONS_KEY];
  // Anything unreadable is dropped: a token can always be pasted again.
  return Array.isArray(raw) ? raw.filter(isStoredGrant).slice(-MAX_STORED_GRANTS) : [];
}

let grantWrites: Promise<unknown> = Promise.resolve();

/** Read-modify-write of the stored tokens, one at a time. */
export function updateStoredGrants(change: (current: StoredGrant[]) => StoredGrant[]): Promise<StoredGrant[]> {
  const run = grantWrites.then(async () => {
    const next = change(await loadStoredGrants()).slice(-MAX_STORED_GRANTS);
    await browser.storage.local.set({ [SIGNED_EXCEPTIONS_KEY]: next });
    return next;
  });
  grantWrites = run.catch(() => undefined);
  return run;
}

/** What a token is checked against now: the administrator's keys and revocations, this device, the catalog. */
export async function tokenContext(state: Pick<EffectiveState, 'policies' | 'managed'>, now: number): Promise<TokenCheckContext> {
  const { policy } = state.managed;
  return {
    now,
    deviceCode: await loadDeviceCode(),
    approvers: policy.exceptionApprovers ?? [],
    revoked: new Set(policy.revokedExceptions ?? []),
    services: new Set(state.policies.bundle.services.map((s) => s.id)),
  };
}

export interface CheckedGrant {
  stored: StoredGrant;
  check: TokenCheck;
}

export async function checkStoredGrants(state: Pick<EffectiveState, 'policies' | 'managed'>, now: number): Promise<CheckedGrant[]> {
  const stored = await loadStoredGrants();
  if (stored.length === 0) return [];
  const context = await tokenContext(state, now);
  const { parseExceptionToken } = validation();
  return Promise.all(stored.map(async (grant) => ({ stored: grant, check: await checkExceptionToken(parseExceptionToken(grant.token), context) })));
}

/**
 * The signed exceptions standing now, as exceptions of the rule machinery:
 * one per service, from when it was accepted until the instant it names.
 * They stand apart from the proceed policy (time limit, proceeding turned
 * off, a required reason): they are the administrator's own decision.
 */
export function grantExceptionsOf(checked: readonly CheckedGrant[]): ProceedException[] {
  return checked.flatMap(({ stored, check }) =>
    check.ok
      ? check.parsed.payload.services.map((serviceId) => ({
          serviceId,
          createdAt: stored.acceptedAt,
          expiresAt: grantEndsAt(check.parsed.payload),
          granted: { level: 'block' as const, organizations: [] },
          approvedBy: check.parsed.payload.approver,
        }))
      : [],
  );
}

export async function loadGrantExceptions(state: Pick<EffectiveState, 'policies' | 'managed'>, now: number): Promise<ProceedException[]> {
  return grantExceptionsOf(await checkStoredGrants(state, now));
}

/** How the pages show a stored token: what it grants, until when, and whether it still stands. */
export function grantViewOf(grant: CheckedGrant, serviceNames: ReadonlyMap<string, string>): SignedExceptionView | null {
  const { check, stored } = grant;
  const parsed = check.parsed;
  if (parsed === null) return null;
  const { payload } = parsed;
  const ended: RefusalReason | null = check.ok ? null : check.reason;
  return {
    tokenId: payload.id,
    services: payload.services.map((id) => ({ id, name: serviceNames.get(id) ?? id })),
    until: grantEndsAt(payload),
    reason: payload.reason,
    approver: payload.approver,
    keyName: check.ok ? check.key.name : null,
    acceptedAt: stored.acceptedAt,
    ended,
  };
}
