/**
 * Signed exceptions: an approver of the organization lets one device use a
 * service for a while, without any server. The approver signs a small token
 * with a private key (`npm run exception:sign`); the administrator's policy
 * holds the matching public keys; the extension checks the token offline.
 *
 * Token: `APG1.<payload>.<signature>`, both parts base64url without padding.
 * The payload is JSON (ExceptionPayload); the signature is ECDSA P-256 with
 * SHA-256 over the ASCII bytes of `APG1.<payload>`, as the 64-byte r‖s that
 * WebCrypto produces and verifies in Chromium and Firefox alike. A key's id
 * is the first 16 base64url characters of the SHA-256 of its SPKI encoding,
 * so a policy lists keys only and a rotated key can never be mistaken for
 * the old one.
 *
 * This module parses and checks what can be checked without cryptography;
 * the signature itself is verified in the background (WebCrypto).
 */
import { z } from 'zod';

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
const DEVICE_CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

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

const IsoInstant = z.iso.datetime({ offset: false, precision: 3, error: 'must be an ISO instant in UTC with milliseconds' });

export const ExceptionPayloadSchema = z.strictObject({
  v: z.literal(1),
  /** Token id: what a revocation names. */
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  /** Id of the approver key that signed it. */
  kid: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
  /** Catalog service ids it lets through. */
  services: z.array(z.string().regex(/^[a-z0-9-]{1,80}$/)).min(1).max(MAX_GRANT_SERVICES),
  /** The instant it ends. */
  until: IsoInstant,
  /** Why it was granted, as the approver wrote it. */
  reason: z.string().trim().min(1).max(MAX_GRANT_REASON),
  /** Who approved it. */
  approver: z.string().trim().min(1).max(MAX_APPROVER_NAME),
  /** The device code of the one browser it is for. */
  device: z.string().regex(DEVICE_CODE),
  /** When it was signed. */
  iat: IsoInstant,
});
export type ExceptionPayload = z.infer<typeof ExceptionPayloadSchema>;

export interface ParsedToken {
  payload: ExceptionPayload;
  /** The bytes the signature covers: `APG1.<payload part>` in ASCII. */
  signedText: string;
  /** r‖s, 64 bytes. */
  signature: Uint8Array<ArrayBuffer>;
  /** The token in its one spelling (whitespace a mail client added is gone). */
  token: string;
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

/**
 * The token's parts, or null when it is not a token at all. The payload is
 * checked field by field; whether its signature holds is the background's.
 */
export function parseExceptionToken(text: string): ParsedToken | null {
  const token = text.replace(/\s/g, '');
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) return null;
  const [, payloadPart = '', signaturePart = ''] = parts;
  const payloadBytes = base64UrlDecode(payloadPart);
  const signature = base64UrlDecode(signaturePart);
  if (payloadBytes === null || signature === null || signature.length !== 64) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return null;
  }
  const parsed = ExceptionPayloadSchema.safeParse(json);
  if (!parsed.success) return null;
  return { payload: parsed.data, signedText: `${TOKEN_PREFIX}.${payloadPart}`, signature, token };
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
