/**
 * The AMO source package, as a reviewer uses it: unpacked in an empty folder,
 * SOURCE-BUILD.md's commands run there (`npm ci`, which needs only the npm
 * registry, then `npm run build`), and the resulting dist/firefox compared
 * byte for byte with the xpi's files, built from this checkout.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactNames, LOCK_FILE, packageExtension, packageSource, readPackageInfo, sha256, SOURCE_BUILD_FILE, trackedFiles } from '../../scripts/packaging';
import { buildInto, cleanEnv, readZip, REPO, treeHashes, unzipInto } from './helpers';

const run = promisify(execFile);

describe('AMO source package', () => {
  let work: string;
  let built: string;
  let sourceZip: string;
  let unpacked: string;
  let listed: string[];
  const pkg = readPackageInfo(REPO);
  const names = artifactNames(pkg);

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-source-'));
    built = path.join(work, 'built');
    await buildInto(REPO, built);
    sourceZip = path.join(work, names.source);
    ({ files: listed } = await packageSource({ repoDir: REPO, distFirefox: path.join(built, 'firefox'), outFile: sourceZip }));
    unpacked = path.join(work, 'reviewer', 'source');
    await unzipInto(sourceZip, unpacked);
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds every tracked file, the lock file and SOURCE-BUILD.md at its root, and nothing else', async () => {
    const entries = await readZip(sourceZip);
    const tracked = trackedFiles(REPO);
    expect(entries.map((e) => e.name)).toEqual(listed);
    expect(new Set(listed)).toEqual(new Set([...tracked, SOURCE_BUILD_FILE]));
    expect(listed).toContain(LOCK_FILE);
    expect(listed.some((f) => f.startsWith('node_modules/') || f.startsWith('dist/') || f.startsWith('web-ext-artifacts/'))).toBe(false);
    for (const e of entries) {
      if (e.name !== SOURCE_BUILD_FILE) expect(sha256(e.data), e.name).toBe(sha256(readFileSync(path.join(REPO, e.name))));
    }
    console.log(`${names.source}: ${entries.length} files`);
  });

  it('SOURCE-BUILD.md names the Node and npm versions, the commands, and the origin and hash of each xpi file', () => {
    const text = readFileSync(path.join(unpacked, SOURCE_BUILD_FILE), 'utf8');
    expect(text).toContain(`Node.js ${process.version.replace(/^v/, '')}`);
    expect(text).toMatch(/npm \d+\.\d+\.\d+/);
    expect(text).toContain('npm ci\nnpm run build\n');
    expect(text).toContain(names.firefox);
    const files = treeHashes(path.join(built, 'firefox'));
    for (const [file, hash] of Object.entries(files)) {
      const row = text.split('\n').find((l) => l.startsWith(`| \`${file}\` |`));
      expect(row, file).toBeDefined();
      expect(row, file).toContain(hash);
      expect(row, file).not.toContain('Vite build output |');
    }
  });

  it('npm ci && npm run build in the unpacked folder gives dist/firefox byte for byte, and the same xpi', async () => {
    const env = cleanEnv({ npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
    // --prefer-offline: packages already in npm's cache are not fetched again; the rest come from the registry.
    await run('npm', ['ci', '--prefer-offline'], { cwd: unpacked, env, maxBuffer: 64 * 1024 * 1024 });
    await run('npm', ['run', 'build'], { cwd: unpacked, env, maxBuffer: 64 * 1024 * 1024 });
    const rebuilt = path.join(unpacked, 'dist', 'firefox');
    expect(existsSync(path.join(rebuilt, 'manifest.json'))).toBe(true);
    expect(treeHashes(rebuilt)).toEqual(treeHashes(path.join(built, 'firefox')));

    const mine = path.join(work, 'mine.xpi');
    const theirs = path.join(work, 'theirs.xpi');
    await packageExtension(path.join(built, 'firefox'), mine, pkg.version);
    await packageExtension(rebuilt, theirs, pkg.version);
    expect(sha256(readFileSync(theirs))).toBe(sha256(readFileSync(mine)));
  }, 600_000);
});
