/**
 * A throwaway self-signed certificate for HTTPS stand-ins. Some AI services
 * are on Chromium's HSTS preload list (chatgpt.com): Chromium upgrades
 * http://chatgpt.com/ to https before any request, so their stand-in must
 * speak TLS. Chromium is launched ignoring certificate errors, so the
 * certificate only has to exist; it is made per run, never stored in the repo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TlsMaterial {
  key: string;
  cert: string;
}

export function selfSignedCertificate(hosts: readonly string[]): TlsMaterial {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-tls-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    const san = hosts.map((h) => `DNS:${h}`).join(',');
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile,
          '-days', '2', '-subj', `/CN=${hosts[0] ?? 'localhost'}`, '-addext', `subjectAltName=${san}`],
        { stdio: 'pipe' },
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`could not make a test certificate with openssl (apt-get install openssl): ${reason}`);
    }
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
