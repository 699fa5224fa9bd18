/**
 * What the extension weighs, read from the build: the content script and the
 * interstitial's JavaScript (every chunk its HTML loads, followed through their
 * imports), and the store packages `web-ext build` makes of dist/chrome and
 * dist/firefox (the tool scripts/package.ts uses, into a temporary folder).
 * Sizes are deterministic: one measurement each. 1 KB = 1,024 bytes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST_CHROME, DIST_FIREFOX, ensureFreshBuild, INTERSTITIAL_PATH, javascriptClosure, pageFiles, ROOT, sumBytes, type LoadedFile } from './browser/dist';
import { figureLine } from './figures';
import type { BenchFigure, BenchModuleResult } from './run';

const KB = 1024;

function sizeFigure(name: string, bytes: number, budgetKb: number, detail: string): BenchFigure {
  return {
    name,
    unit: 'KB',
    median: bytes,
    min: bytes,
    max: bytes,
    runs: 1,
    goal: `≤ ${budgetKb} KB`,
    pass: bytes <= budgetKb * KB,
    detail: `${bytes.toLocaleString('en-US')} bytes = ${(bytes / (budgetKb * KB)).toFixed(2)}× the budget; ${detail}`,
  };
}

const listFiles = (files: readonly LoadedFile[]): string =>
  files.map((f) => `${f.file} ${(f.bytes / KB).toFixed(1)} KB`).join(', ');

/** A store package of `dist`, as `web-ext build` makes it. */
function packageBytes(dist: string): number {
  const out = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-pkg-'));
  try {
    execFileSync(
      path.join(ROOT, 'node_modules/.bin/web-ext'),
      ['build', '--source-dir', dist, '--artifacts-dir', out, '--filename', 'package.zip', '--overwrite-dest', '--no-config-discovery'],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 },
    );
    return statSync(path.join(out, 'package.zip')).size;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The largest files of a build, to say where a package's weight is. */
function largestFiles(dist: string, n: number): string {
  const all: LoadedFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(dist, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else all.push({ file: rel, bytes: statSync(path.join(dist, rel)).size });
    }
  };
  walk('');
  return listFiles(all.sort((a, b) => b.bytes - a.bytes).slice(0, n));
}

export async function runSizesBench(): Promise<BenchModuleResult> {
  const name = 'sizes';
  const build = ensureFreshBuild();
  if (!build.usable) return { name, figures: [], lines: [`skipped: ${build.note}`], notes: [build.note] };

  const manifest = JSON.parse(readFileSync(path.join(DIST_CHROME, 'manifest.json'), 'utf8')) as {
    content_scripts?: { js?: string[] }[];
  };
  const contentEntries = (manifest.content_scripts ?? []).flatMap((cs) => cs.js ?? []);
  const content = javascriptClosure(DIST_CHROME, contentEntries);
  const interstitial = pageFiles(DIST_CHROME, INTERSTITIAL_PATH);

  const figures: BenchFigure[] = [
    sizeFigure('content script (every file the manifest injects, with its imports)', sumBytes(content), 10, listFiles(content)),
    sizeFigure(
      "interstitial's JavaScript (every chunk its HTML loads, transitively)",
      sumBytes(interstitial.scripts),
      60,
      `${listFiles(interstitial.scripts)}; besides: HTML ${(interstitial.html.bytes / KB).toFixed(1)} KB, CSS ${(sumBytes(interstitial.styles) / KB).toFixed(1)} KB`,
    ),
  ];
  for (const [label, dist] of [
    ['Chrome Web Store zip (web-ext build of dist/chrome)', DIST_CHROME],
    ['AMO xpi (web-ext build of dist/firefox)', DIST_FIREFOX],
  ] as const) {
    if (!existsSync(dist)) continue;
    figures.push(sizeFigure(`whole package: ${label}`, packageBytes(dist), 400, `largest files unzipped: ${largestFiles(dist, 3)}`));
  }
  return { name, figures, lines: figures.map(figureLine), notes: [build.note] };
}
