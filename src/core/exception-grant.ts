/**
 * Signed exceptions, the part without the schema library: the token's
 * constants, device codes, base64url, and the checks that need no
 * cryptography. The service worker imports this module; the payload's zod
 * schema (./exception-token.ts) is reached lazily. Format and the approver's
 * side: ./exception-token.ts and scripts/exception-tokens.ts.
 */
import type { ExceptionPayload } from './exception-token';

export const TOKEN_PREFIX = 'APG1';
/** Longest token read; a real one is well under 1,000 characters. */
export const MAX_TOKEN_LENGTH = 4096;
export const MAX_GRANT_REASON = 500;
export const MAX_APPROVER_NAME = 120;
export const MAX_GRANT_SERVICES = 20;

/** Why a token was refused; each has its sentence in both languages (grantRefused_<reason>). */
export const REFUSAL_REASONS = [
  'malformed',
  'no-approvers',
  'unknown-key',
  'tampered',
  'revoked',
  'other-device',
  'expired',
  'unknown-service',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Crockford's base32 without I, L, O, U: a code read aloud or typed survives. */
export const DEVICE_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const DEVICE_CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** `XXXX-XXXX` from 8 random bytes (5 bits of each): 40 bits, one per install. */
export function deviceCodeFrom(random: ArrayLike<number>): string {
  if (random.length < 8) throw new RangeError('deviceCodeFrom: needs 8 random bytes');
  const chars = Array.from({ length: 8 }, (_, i) => DEVICE_CODE_ALPHABET[(random[i] ?? 0) & 31]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** The code as typed (lower case, spaces, no dash, O for 0) in its one spelling, or null. */
export function normalizeDeviceCode(text: string): string | null {
  const compact = text
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  const code = compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
  return DEVICE_CODE.test(code) ? code : null;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Bytes of unpadded base64url text, or null. Only the one canonical spelling
 * is read: the last character's unused bits must be zero, so no two token
 * texts carry the same bytes.
 */
export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | null {
  if (!B64URL.test(text) || text.length % 4 === 1) return null;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  return base64UrlEncode(bytes) === text ? bytes : null;
}

/** Bytes of standard base64 (a public key as the policy holds it), or null. */
export function base64Decode(text: string): Uint8Array<ArrayBuffer> | null {
  const compact = text.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  try {
    return Uint8Array.from(atob(compact), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export interface ParsedToken {
  payload: ExceptionPayload;
  /** The bytes the signature covers: `APG1.<payload part>` in ASCII. */
  signedText: string;
  /** r‖s, 64 bytes. */
  signature: Uint8Array<ArrayBuffer>;
  /** The token in its one spelling (whitespace a mail client added is gone). */
  token: string;
}

/** What the policy and this browser hold that a token is checked against. */
export interface GrantContext {
  now: number;
  /** This browser's device code. */
  deviceCode: string;
  /** Key ids of the approver keys in the policy. */
  keyIds: ReadonlySet<string>;
  /** Token ids the policy revokes. */
  revoked: ReadonlySet<string>;
  /** Catalog service ids. */
  services: ReadonlySet<string>;
}

/**
 * Every check but the signature's, in the order a person is told about
 * them: a key the policy does not hold says nothing else can be trusted, so
 * it comes first. `signatureValid` is the background's verdict on the
 * signature with the key `payload.kid` names (false when it had none).
 */
export function refusalOf(parsed: ParsedToken | null, signatureValid: boolean, context: GrantContext): RefusalReason | null {
  if (parsed === null) return 'malformed';
  if (context.keyIds.size === 0) return 'no-approvers';
  if (!context.keyIds.has(parsed.payload.kid)) return 'unknown-key';
  if (!signatureValid) return 'tampered';
  if (context.revoked.has(parsed.payload.id)) return 'revoked';
  if (parsed.payload.device !== context.deviceCode) return 'other-device';
  if (Date.parse(parsed.payload.until) <= context.now) return 'expired';
  if (!parsed.payload.services.every((s) => context.services.has(s))) return 'unknown-service';
  return null;
}

/** The epoch ms a payload ends at. */
export function grantEndsAt(payload: ExceptionPayload): number {
  return Date.parse(payload.until);
}
