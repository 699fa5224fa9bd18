/**
 * What the release tests share: a build into a folder of our choosing, the
 * SHA-256 of every file of a tree, and reading a zip back (yauzl).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import { sha256 } from '../../scripts/packaging';

export const REPO = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** The environment of a child build: no BUILD_OUT_DIR or TARGET inherited from whoever runs the tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('BUILD_OUT_DIR' in extra)) delete env.BUILD_OUT_DIR;
  delete env.TARGET;
  return env;
}

/** `tsx scripts/build.ts` in `cwd`, into `outDir` (both targets). */
export async function buildInto(cwd: string, outDir: string): Promise<void> {
  await run(process.execPath, [path.join(REPO, 'node_modules/tsx/dist/cli.mjs'), 'scripts/build.ts'], {
    cwd,
    env: cleanEnv({ BUILD_OUT_DIR: outDir }),
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Every file under `dir` (relative path, forward slashes) → its SHA-256, sorted by path. */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(child);
      else out[child] = sha256(readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One hash for a whole tree: the SHA-256 of its "hash  path" lines (as `sha256sum` prints them). */
export function treeDigest(dir: string): string {
  const lines = Object.entries(treeHashes(dir)).map(([p, h]) => `${h}  ${p}\n`);
  return sha256(Buffer.from(lines.join(''), 'utf8'));
}

export interface ReadEntry {
  name: string;
  data: Buffer;
  lastModFileDate: number;
  lastModFileTime: number;
  externalFileAttributes: number;
  extraFieldLength: number;
}

/** Every entry of a zip, in the order of its central directory. */
export async function readZip(file: string): Promise<ReadEntry[]> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const entries: ReadEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      zip
        .openReadStreamPromise(entry)
        .then(async (stream) => {
          const chunks: Buffer[] = [];
          for await (const c of stream) chunks.push(c as Buffer);
          entries.push({
            name: entry.fileName,
            data: Buffer.concat(chunks),
            lastModFileDate: entry.lastModFileDate,
            lastModFileTime: entry.lastModFileTime,
            externalFileAttributes: entry.externalFileAttributes,
            extraFieldLength: entry.extraFieldLength,
          });
          zip.readEntry();
        })
        .catch(reject);
    });
    zip.readEntry();
  });
  zip.close();
  return entries;
}

/** Writes a zip's entries under `dir`, refusing any name that would leave it. */
export async function unzipInto(file: string, dir: string): Promise<string[]> {
  const entries = await readZip(file);
  for (const e of entries) {
    const target = path.resolve(dir, e.name);
    if (!target.startsWith(path.resolve(dir) + path.sep)) throw new Error(`${file}: ${e.name} would be written outside ${dir}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, e.data);
  }
  return entries.map((e) => e.name);
}
