/**
 * Reads `policies/**` and `seeds/*.txt` from disk for the pure compiler in
 * src/core/policy-compile.ts. Build-time only (Node); never shipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { compilePolicies, type PolicyInputFile } from '../src/core/policy-compile';
import type { PolicyBundle } from '../src/core/policy-schema';

/**
 * The build's catalog comes from `policies/` (and `seeds/`) of the repository.
 * An organization that keeps its own list of AI services ships it the same
 * way, from a folder of its own laid out like the repository's (`policies/`
 * and `seeds/`), named by this variable at build time. The normal build never
 * sets it; the folder is validated exactly as the repository's is.
 */
export const POLICIES_ROOT_ENV = 'AI_POLICY_GUARD_POLICIES_ROOT';

/** Where the build and `policies:check` read the catalog: the folder named by POLICIES_ROOT_ENV, else `cwd`. */
export function policiesRoot(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const named = env[POLICIES_ROOT_ENV];
  if (!named) return cwd;
  const root = resolve(cwd, named);
  if (!existsSync(join(root, 'policies')) || !statSync(join(root, 'policies')).isDirectory()) {
    throw new Error(`${POLICIES_ROOT_ENV}=${named}: ${join(root, 'policies')} is not a folder`);
  }
  return root;
}

/** Every file under `dir`, recursively, including dotfiles: a stray file is an error, not noise. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function readInput(root: string, paths: string[]): PolicyInputFile[] {
  return paths
    .map((full) => ({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function readPolicyInput(root: string = process.cwd()): { files: PolicyInputFile[]; seeds: PolicyInputFile[] } {
  const seedDir = join(root, 'seeds');
  const seedPaths = existsSync(seedDir)
    ? readdirSync(seedDir, { withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.txt'))
        .map((entry) => join(seedDir, entry.name))
    : [];
  return { files: readInput(root, listFiles(join(root, 'policies'))), seeds: readInput(root, seedPaths) };
}

/** The compiled bundle, or an Error listing every problem, one per line. */
export function loadPolicyBundle(root: string = process.cwd()): PolicyBundle {
  const result = compilePolicies(readPolicyInput(root));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.bundle;
}
