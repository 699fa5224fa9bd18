/**
 * Reproducible builds: two clean builds of the same sources, one in this
 * checkout and one in a copy elsewhere, give byte-identical dist/chrome and
 * dist/firefox, and identical store packages, whatever the time zone.
 * Also: nothing built names a build path or the day of the build.
 *
 * Any future source of nondeterminism in the build (a timestamp, a random id,
 * an absolute path, an unordered walk over a Set) makes one of these fail.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactNames, packageExtension, readPackageInfo, sha256, trackedFiles } from '../../scripts/packaging';
import { ZIP_ENTRY_FIELDS } from '../../scripts/zip';
import { buildInto, readZip, REPO, treeDigest, treeHashes } from './helpers';

const TARGETS = ['chrome', 'firefox'] as const;

describe('reproducible builds', () => {
  let work: string;
  let copy: string;
  let outA: string;
  let outB: string;
  const pkg = readPackageInfo(REPO);
  const names = artifactNames(pkg);

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-repro-'));
    // The second build runs in a copy of the tracked sources at another path,
    // so a build path that leaked into the output would differ between the two.
    copy = path.join(work, 'elsewhere', 'checkout');
    for (const f of trackedFiles(REPO)) {
      mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
      copyFileSync(path.join(REPO, f), path.join(copy, f));
    }
    symlinkSync(path.join(REPO, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    outA = path.join(work, 'a');
    outB = path.join(work, 'b');
    await buildInto(REPO, outA);
    await buildInto(copy, outB);
  }, 240_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const target of TARGETS) {
    it(`dist/${target}: every file is byte-identical across the two builds`, () => {
      const a = treeHashes(path.join(outA, target));
      const b = treeHashes(path.join(outB, target));
      expect(Object.keys(a).length).toBeGreaterThan(10);
      expect(b).toEqual(a);
      console.log(`dist/${target}: ${Object.keys(a).length} files, tree sha256 ${treeDigest(path.join(outA, target))} (both builds)`);
    });
  }

  it('no build path, home folder or build date appears in the built files', () => {
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    const todays = [
      `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}`,
      `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`,
    ];
    const forbidden = [REPO, copy, work, tmpdir(), homedir(), ...todays].filter((s) => s.length > 1);
    const hits: string[] = [];
    for (const target of TARGETS) {
      for (const file of Object.keys(treeHashes(path.join(outA, target)))) {
        const text = readFileSync(path.join(outA, target, file)).toString('latin1');
        for (const s of forbidden) if (text.includes(s)) hits.push(`${target}/${file}: ${s}`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('the store zip and xpi of the two builds are identical, in UTC and in Seoul time', async () => {
    const tz = process.env.TZ;
    const digests: Record<string, string[]> = {};
    try {
      for (const [zone, out] of [['UTC', outA], ['Asia/Seoul', outB]] as const) {
        process.env.TZ = zone;
        const dir = path.join(work, `packages-${zone.replace('/', '-')}`);
        await packageExtension(path.join(out, 'chrome'), path.join(dir, names.chrome), pkg.version);
        await packageExtension(path.join(out, 'firefox'), path.join(dir, names.firefox), pkg.version);
        for (const f of [names.chrome, names.firefox]) (digests[f] ??= []).push(sha256(readFileSync(path.join(dir, f))));
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    for (const [file, [first, second]] of Object.entries(digests)) {
      expect(second, file).toBe(first);
      console.log(`${file}: ${statSync(path.join(work, 'packages-UTC', file)).size} bytes, sha256 ${first} (both builds)`);
    }
  });

  it('a package holds exactly the built files, sorted, with one fixed time and mode and no extra fields', async () => {
    const file = path.join(work, 'packages-UTC', names.firefox);
    const entries = await readZip(file);
    const built = treeHashes(path.join(outA, 'firefox'));
    expect(entries.map((e) => e.name)).toEqual(Object.keys(built));
    for (const e of entries) expect(sha256(e.data), e.name).toBe(built[e.name]);
    const f = ZIP_ENTRY_FIELDS;
    const dos = {
      date: ((f.year - 1980) << 9) | (f.month << 5) | f.day,
      time: (f.hours << 11) | (f.minutes << 5) | Math.floor(f.seconds / 2),
    };
    for (const e of entries) {
      expect({ name: e.name, date: e.lastModFileDate, time: e.lastModFileTime }).toEqual({ name: e.name, date: dos.date, time: dos.time });
      expect(e.externalFileAttributes >>> 16, e.name).toBe(0o100644);
      expect(e.extraFieldLength, e.name).toBe(0);
    }
  });
});
