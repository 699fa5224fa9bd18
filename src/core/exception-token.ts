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
 * This module holds the payload's schema and reads a token's parts; the
 * checks without cryptography are in ./exception-grant.ts (zod-free, for
 * the service worker), the signature is verified in the background (WebCrypto).
 */
import { z } from 'zod';
import { DEVICE_CODE, MAX_APPROVER_NAME, MAX_GRANT_REASON, MAX_GRANT_SERVICES, MAX_TOKEN_LENGTH, TOKEN_PREFIX, base64UrlDecode, type ParsedToken } from './exception-grant';

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

