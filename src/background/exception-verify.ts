/**
 * Checks a signed exception token with WebCrypto (ECDSA P-256, SHA-256),
 * offline, against the approver keys of the administrator's policy. No
 * extension API and no schema library here (the caller parses, through the
 * lazy validation): the same code runs in the unit tests under Node.
 */
import { base64Decode, base64UrlEncode, refusalOf, type GrantContext, type ParsedToken, type RefusalReason } from '../core/exception-grant';
import type { ApproverKey } from '../shared/managed-types';

export interface VerifiedKey {
  keyId: string;
  name: string | null;
  key: CryptoKey;
}

/** Imported keys by their base64 text: a policy read on every message need not re-import. */
const imported = new Map<string, Promise<VerifiedKey | null>>();

async function importApproverKey(approver: ApproverKey): Promise<VerifiedKey | null> {
  const spki = base64Decode(approver.publicKey);
  if (spki === null) return null;
  try {
    const [key, digest] = await Promise.all([
      crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']),
      crypto.subtle.digest('SHA-256', spki),
    ]);
    return { keyId: base64UrlEncode(new Uint8Array(digest)).slice(0, 16), name: approver.name ?? null, key };
  } catch {
    return null;
  }
}

/** The policy's approver keys by key id (a key that will not import is left out). */
export async function approverKeys(approvers: readonly ApproverKey[]): Promise<Map<string, VerifiedKey>> {
  const keys = await Promise.all(
    approvers.map((approver) => {
      const cacheKey = `${approver.name ?? ''}\n${approver.publicKey}`;
      let found = imported.get(cacheKey);
      if (!found) {
        found = importApproverKey(approver);
        imported.set(cacheKey, found);
      }
      return found;
    }),
  );
  return new Map(keys.flatMap((k) => (k ? [[k.keyId, k] as const] : [])));
}

async function signatureHolds(parsed: ParsedToken, key: VerifiedKey | undefined): Promise<boolean> {
  if (!key) return false;
  try {
    return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key.key, parsed.signature, new TextEncoder().encode(parsed.signedText));
  } catch {
    return false;
  }
}

export type TokenCheck =
  | { ok: true; parsed: ParsedToken; key: VerifiedKey }
  | { ok: false; reason: RefusalReason; parsed: ParsedToken | null };

export interface TokenCheckContext extends Omit<GrantContext, 'keyIds'> {
  approvers: readonly ApproverKey[];
}

/**
 * Whether a token (as parseExceptionToken read it: null when it is none) is
 * a signed exception this browser accepts now, and if not, why.
 */
export async function checkExceptionToken(parsed: ParsedToken | null, context: TokenCheckContext): Promise<TokenCheck> {
  const keys = await approverKeys(context.approvers);
  const key = parsed ? keys.get(parsed.payload.kid) : undefined;
  const valid = parsed !== null && (await signatureHolds(parsed, key));
  const reason = refusalOf(parsed, valid, { ...context, keyIds: new Set(keys.keys()) });
  if (reason !== null || parsed === null || key === undefined) return { ok: false, reason: reason ?? 'malformed', parsed };
  return { ok: true, parsed, key };
}
