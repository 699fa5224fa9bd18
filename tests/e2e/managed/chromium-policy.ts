/**
 * Chromium's machine policy for the managed-path tests. Debian's Chromium
 * reads `/etc/chromium/policies/managed/*.json` (Google Chrome:
 * /etc/opt/chrome/...) and hands `3rdparty.extensions.<id>` to that
 * extension's storage.managed, re-reading the files within seconds of a change.
 *
 * The policy file is machine-wide, so the tests load a copy of dist/chrome
 * from a fresh folder: an unpacked extension's id is derived from its path,
 * and the policy names only that copy's id. Other suites running the
 * extension from dist/chrome on the same machine are not affected.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CHROMIUM_POLICY_DIR = process.env.CHROMIUM_POLICY_DIR ?? '/etc/chromium/policies/managed';

/** The id Chromium gives an unpacked extension: sha256 of its absolute path, 32 hex digits spelled a–p. */
export function unpackedExtensionId(absolutePath: string): string {
  const hex = createHash('sha256').update(absolutePath).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

/** Why the policy folder cannot be written here, or null when it can. */
export function policyDirProblem(dir = CHROMIUM_POLICY_DIR): string | null {
  let existing = dir;
  while (!existsSync(existing)) existing = path.dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
    return null;
  } catch {
    return `${existing} is not writable (the managed-policy test writes ${dir}; run as root)`;
  }
}

export interface ChromiumPolicy {
  /** The copy of the extension the policy applies to. */
  dist: string;
  extensionId: string;
  file: string;
  /** Replaces the extension's policy (Chromium notices within seconds). */
  write(policy: Record<string, unknown>): void;
  /** Removes the policy file, the folders it created and the copy. */
  remove(): void;
}

export function setUpChromiumPolicy(sourceDist: string, dir = CHROMIUM_POLICY_DIR): ChromiumPolicy {
  const dist = path.join(mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-managed-')), 'extension');
  cpSync(sourceDist, dist, { recursive: true });
  const extensionId = unpackedExtensionId(dist);
  const created: string[] = [];
  for (let d = dir; !existsSync(d); d = path.dirname(d)) created.unshift(d);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `ai-policy-guard-e2e-${process.pid}.json`);
  return {
    dist,
    extensionId,
    file,
    write(policy) {
      writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: policy } } }, null, 2), { mode: 0o644 });
    },
    remove() {
      rmSync(file, { force: true });
      for (const d of created.reverse()) {
        try {
          rmdirSync(d);
        } catch {
          // Not empty: something else put a policy there; leave it.
        }
      }
      rmSync(path.dirname(dist), { recursive: true, force: true });
    },
  };
}
