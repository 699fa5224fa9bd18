/**
 * Signed exceptions: fixed test vectors (tests/fixtures/exception-keys/, signed
 * once with test-only keys by scripts/exception-tokens.ts) checked by the same
 * WebCrypto code the background runs, and the pure parsing and checks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, deviceCodeFrom, normalizeDeviceCode, refusalOf, type GrantContext } from '../../src/core/exception-grant';
import { parseExceptionToken } from '../../src/core/exception-token';
import { checkExceptionToken as checkParsed, type TokenCheckContext } from '../../src/background/exception-verify';
import { readManagedPolicy } from '../../src/shared/managed-policy';
import { keyIdOf, parseUntil, signException } from '../../scripts/exception-tokens';
import { loadPolicyBundle } from '../../scripts/load-policies';

const dir = 'tests/fixtures/exception-keys';
const vectors = JSON.parse(readFileSync(`${dir}/tokens.json`, 'utf8')) as Record<string, string>;
const publicKey = readFileSync(`${dir}/test-approver.public.txt`, 'utf8').trim();
const otherPublicKey = readFileSync(`${dir}/other-approver.public.txt`, 'utf8').trim();
const privateKey = readFileSync(`${dir}/test-approver.private.pem`, 'utf8');
const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const SERVICES = new Set(['chatgpt', 'claude', 'deepseek']);

const checkExceptionToken = (text: string, ctx: TokenCheckContext) => checkParsed(parseExceptionToken(text), ctx);

const context = (over: Partial<TokenCheckContext> = {}): TokenCheckContext => ({
  now: NOW,
  deviceCode: 'TEST-2345',
  approvers: [{ name: 'Test approver', publicKey }],
  revoked: new Set(),
  services: SERVICES,
  ...over,
});

describe('fixed test vectors, verified with WebCrypto', () => {
  it('accepts the valid token and reads what it grants', async () => {
    const check = await checkExceptionToken(vectors.valid!, context());
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.parsed.payload).toMatchObject({
      id: 'vector-valid',
      services: ['chatgpt'],
      until: '2099-12-31T14:59:59.000Z',
      approver: 'Kim Minji, IT Security',
      device: 'TEST-2345',
      reason: 'Approved pilot of the translation project',
    });
    expect(check.key.name).toBe('Test approver');
    expect(check.key.keyId).toBe(check.parsed.payload.kid);
  });

  it('accepts a token naming two services, and Korean text', async () => {
    expect((await checkExceptionToken(vectors.twoServices!, context())).ok).toBe(true);
    const korean = await checkExceptionToken(vectors.korean!, context());
    expect(korean.ok && korean.parsed.payload.approver).toBe('김민지 (정보보안팀)');
  });

  it.each([
    ['tampered', 'tampered'],
    ['expired', 'expired'],
    ['otherDevice', 'other-device'],
    ['unknownKey', 'unknown-key'],
  ])('refuses the %s vector: %s', async (name, reason) => {
    const check = await checkExceptionToken(vectors[name]!, context());
    expect(check).toMatchObject({ ok: false, reason });
  });

  it('refuses a revoked token, and one whose key the policy no longer holds', async () => {
    expect(await checkExceptionToken(vectors.valid!, context({ revoked: new Set(['vector-valid']) }))).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await checkExceptionToken(vectors.valid!, context({ approvers: [{ publicKey: otherPublicKey }] }))).toMatchObject({
      ok: false,
      reason: 'unknown-key',
    });
    expect(await checkExceptionToken(vectors.valid!, context({ approvers: [] }))).toMatchObject({ ok: false, reason: 'no-approvers' });
  });

  it('a rotated key list (old and new) still accepts the old key’s tokens', async () => {
    const check = await checkExceptionToken(vectors.valid!, context({ approvers: [{ publicKey: otherPublicKey }, { publicKey }] }));
    expect(check.ok).toBe(true);
  });

  it('ends at the instant `until` names, not a millisecond later', async () => {
    const until = Date.parse('2099-12-31T14:59:59.000Z');
    expect((await checkExceptionToken(vectors.valid!, context({ now: until - 1 }))).ok).toBe(true);
    expect(await checkExceptionToken(vectors.valid!, context({ now: until }))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a service the catalog does not have', async () => {
    expect(await checkExceptionToken(vectors.valid!, context({ services: new Set(['claude']) }))).toMatchObject({ ok: false, reason: 'unknown-service' });
  });

  it('refuses every single-character change of the signature or the payload', async () => {
    const token = vectors.valid!;
    const [prefix, payload, signature] = token.split('.') as [string, string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    for (const i of [0, 10, 40, 85]) {
      const check = await checkExceptionToken(`${prefix}.${payload}.${flip(signature, i)}`, context());
      expect(check.ok, `signature char ${i}`).toBe(false);
    }
    for (const i of [5, 50, 120]) {
      const check = await checkExceptionToken(`${prefix}.${flip(payload, i)}.${signature}`, context());
      expect(check.ok, `payload char ${i}`).toBe(false);
    }
  });

  it('a signature over one token does not verify another token’s payload', async () => {
    const [, payloadA] = vectors.valid!.split('.');
    const [prefix, , signatureB] = vectors.otherDevice!.split('.');
    expect(await checkExceptionToken(`${prefix}.${payloadA}.${signatureB}`, context())).toMatchObject({ ok: false, reason: 'tampered' });
  });
});

describe('parseExceptionToken (hostile input)', () => {
  it.each([
    '',
    'APG1',
    'APG1..',
    'APG2.e30.AAAA',
    'APG1.e30.' + 'A'.repeat(86),
    'x'.repeat(5000),
    'APG1.!!!.AAAA',
    `APG1.${base64UrlEncode(new TextEncoder().encode('{"v":1,"__proto__":{}}'))}.${'A'.repeat(86)}`,
    `APG1.${base64UrlEncode(Uint8Array.from([0xff, 0xfe]))}.${'A'.repeat(86)}`,
  ])('reads %j as no token at all', (text) => {
    expect(parseExceptionToken(text)).toBeNull();
  });

  it('ignores whitespace a mail client put into the token', () => {
    const token = vectors.valid!;
    const wrapped = `  ${token.slice(0, 60)}\n${token.slice(60, 200)}\r\n ${token.slice(200)}  `;
    expect(parseExceptionToken(wrapped)?.token).toBe(token);
  });

  it('refuses a payload with an extra field or a date with an offset', () => {
    const [prefix, payload, signature] = vectors.valid!.split('.') as [string, string, string];
    const json = JSON.parse(new TextDecoder().decode(base64UrlDecode(payload)!)) as Record<string, unknown>;
    const encode = (value: unknown) => `${prefix}.${base64UrlEncode(new TextEncoder().encode(JSON.stringify(value)))}.${signature}`;
    expect(parseExceptionToken(encode({ ...json, hosts: ['chatgpt.com'] }))).toBeNull();
    expect(parseExceptionToken(encode({ ...json, until: '2099-12-31T23:59:59+09:00' }))).toBeNull();
    expect(parseExceptionToken(encode({ ...json, services: [] }))).toBeNull();
  });

  it('refusalOf puts a missing key before the signature, and says malformed for no token', () => {
    const parsed = parseExceptionToken(vectors.valid!);
    const base: GrantContext = { now: NOW, deviceCode: 'ABCD-6789', keyIds: new Set(), revoked: new Set(), services: SERVICES };
    expect(refusalOf(null, false, base)).toBe('malformed');
    expect(refusalOf(parsed, false, base)).toBe('no-approvers');
    expect(refusalOf(parsed, false, { ...base, keyIds: new Set(['x'.repeat(16)]) })).toBe('unknown-key');
    expect(refusalOf(parsed, false, { ...base, keyIds: new Set([parsed!.payload.kid]) })).toBe('tampered');
    expect(refusalOf(parsed, true, { ...base, keyIds: new Set([parsed!.payload.kid]) })).toBe('other-device');
  });
});

describe('device codes', () => {
  it('are XXXX-XXXX in Crockford base32', () => {
    expect(deviceCodeFrom([0, 1, 2, 3, 28, 29, 30, 31])).toBe('0123-WXYZ');
    expect(deviceCodeFrom([255, 32, 64, 96, 10, 11, 12, 13])).toBe('Z000-ABCD');
    expect(() => deviceCodeFrom([1, 2])).toThrow();
  });

  it('read back as typed: case, spaces, missing dash, O for 0, I and L for 1', () => {
    expect(normalizeDeviceCode('test-2345')).toBe('TEST-2345');
    expect(normalizeDeviceCode(' TEST 2345 ')).toBe('TEST-2345');
    expect(normalizeDeviceCode('AB0D-I2L4')).toBe('AB0D-1214');
    expect(normalizeDeviceCode('ABOD-1234')).toBe('AB0D-1234');
    expect(normalizeDeviceCode('ABCD-123')).toBeNull();
    expect(normalizeDeviceCode('ABCD-123U')).toBeNull();
  });
});

describe('the signing command’s library', () => {
  it('signs what the background verifies, with the key id of the public key', async () => {
    const { token, payload } = signException(privateKey, {
      services: ['claude'],
      until: new Date(NOW + 3_600_000),
      reason: 'Contract review',
      approver: 'Lee',
      device: 'TEST-2345',
    });
    expect(payload.kid).toBe(keyIdOf(Buffer.from(publicKey, 'base64')));
    expect((await checkExceptionToken(token, context())).ok).toBe(true);
  });

  it('refuses to sign what the extension would not read', () => {
    expect(() => signException(privateKey, { services: [], until: new Date(NOW), reason: 'x', approver: 'y', device: 'TEST-2345' })).toThrow();
    expect(() => signException(privateKey, { services: ['chatgpt'], until: new Date(NOW), reason: '', approver: 'y', device: 'TEST-2345' })).toThrow();
  });

  it('reads --until as the end of a day in the signer’s zone, or an instant with its offset', () => {
    expect(parseUntil('2027-01-31T18:00+09:00').toISOString()).toBe('2027-01-31T09:00:00.000Z');
    const day = parseUntil('2027-01-31');
    expect([day.getFullYear(), day.getMonth(), day.getDate(), day.getHours(), day.getMinutes()]).toEqual([2027, 0, 31, 23, 59]);
    expect(() => parseUntil('2027-01-31T18:00')).toThrow(/offset/);
    expect(() => parseUntil('soon')).toThrow();
  });
});

describe('managed keys exceptionApprovers and revokedExceptions', () => {
  const read = (raw: unknown) => readManagedPolicy(raw, { bundle: loadPolicyBundle(), knownOrganizations: new Set() });

  it('keeps valid approver keys and revoked ids', () => {
    const report = read({ exceptionApprovers: [{ name: 'IT', publicKey }], revokedExceptions: ['vector-valid'] });
    expect(report.problems).toEqual([]);
    expect(report.policy).toMatchObject({ exceptionApprovers: [{ name: 'IT', publicKey }], revokedExceptions: ['vector-valid'] });
  });

  it('ignores a key that is not a P-256 public key, and says so', () => {
    const report = read({ exceptionApprovers: [{ publicKey: 'MFkw' }] });
    expect(report.policy.exceptionApprovers).toBeUndefined();
    expect(report.problems[0]).toMatch(/^exceptionApprovers\.0\.publicKey: must be the base64 public key/);
  });

  it('ignores revoked ids that are not token ids', () => {
    const report = read({ revokedExceptions: ['ok-token-id', '<script>'] });
    expect(report.policy.revokedExceptions).toBeUndefined();
    expect(report.problems[0]).toMatch(/^revokedExceptions\.1/);
  });
});
