/**
 * The approver's side of signed exceptions (src/core/exception-token.ts):
 * key pairs and signing, with Node's crypto. Build-time tooling for
 * `npm run exception:keygen` and `npm run exception:sign`; never shipped.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { TOKEN_PREFIX, base64UrlEncode } from '../src/core/exception-grant';
import { ExceptionPayloadSchema, type ExceptionPayload } from '../src/core/exception-token';

export interface ApproverKeyPair {
  /** PKCS#8 PEM: stays with the approver. */
  privateKeyPem: string;
  /** Base64 of the SPKI DER: what the managed policy holds. */
  publicKey: string;
  keyId: string;
}

/** The key id: the first 16 base64url characters of SHA-256 over the SPKI DER. */
export function keyIdOf(spkiDer: Uint8Array): string {
  return base64UrlEncode(createHash('sha256').update(spkiDer).digest()).slice(0, 16);
}

function spkiOf(key: KeyObject): Buffer {
  return (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
}

export function generateApproverKeyPair(): ApproverKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = spkiOf(publicKey);
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: spki.toString('base64'),
    keyId: keyIdOf(spki),
  };
}

/** The private key of a PEM file, checked to be P-256. */
export function readApproverKey(pem: string): { key: KeyObject; publicKey: string; keyId: string } {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the key is not an ECDSA P-256 private key (make one with npm run exception:keygen)');
  }
  const spki = spkiOf(key);
  return { key, publicKey: spki.toString('base64'), keyId: keyIdOf(spki) };
}

export interface GrantRequest {
  services: string[];
  until: Date;
  reason: string;
  approver: string;
  device: string;
  /** Default: now. */
  issuedAt?: Date;
  /** Default: 16 random base64url characters. */
  id?: string;
}

/** Signs a grant: `APG1.<payload>.<r‖s>`. Throws when the payload would not be read by the extension. */
export function signException(pem: string, request: GrantRequest): { token: string; payload: ExceptionPayload } {
  const { key, keyId } = readApproverKey(pem);
  const payload = ExceptionPayloadSchema.parse({
    v: 1,
    id: request.id ?? base64UrlEncode(randomBytes(12)),
    kid: keyId,
    services: request.services,
    until: request.until.toISOString(),
    reason: request.reason,
    approver: request.approver,
    device: request.device,
    iat: (request.issuedAt ?? new Date()).toISOString(),
  });
  const signedText = `${TOKEN_PREFIX}.${base64UrlEncode(new TextEncoder().encode(JSON.stringify(payload)))}`;
  // WebCrypto's ECDSA signature is r‖s (IEEE P1363), not DER.
  const signature = sign('sha256', Buffer.from(signedText, 'ascii'), { key, dsaEncoding: 'ieee-p1363' });
  return { token: `${signedText}.${base64UrlEncode(signature)}`, payload };
}

/**
 * `--until`: an ISO instant with its offset, or a calendar day, which means
 * the end of that day in the signer's time zone (`TZ`).
 */
export function parseUntil(text: string): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]), 23, 59, 59, 0) : new Date(text);
  if (Number.isNaN(date.getTime()) || (!day && !/(Z|[+-]\d{2}:?\d{2})$/.test(text))) {
    throw new Error(`--until ${text}: give a day (2027-01-31) or an instant with its offset (2027-01-31T18:00+09:00)`);
  }
  return date;
}
