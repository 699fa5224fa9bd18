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

/** The minified size of webextension-polyfill as its package ships it. */
function polyfillBytes(): number {
  const file = path.join(ROOT, 'node_modules/webextension-polyfill/dist/browser-polyfill.min.js');
  if (!existsSync(file)) return Number.NaN;
  // Without its trailing source-map comment.
  return Buffer.byteLength(readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, ''));
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

/**
 * What the service worker's chunks hold, by source (node_modules packages
 * grouped), from a build of dist/chrome into a temporary folder with a plugin
 * that reads each module's length in the output: which part is evaluated at
 * every start, and which only when a lazily evaluated module is first used.
 * The plugin sees crxjs's chunks before scripts/vite-plugin-classic-worker.ts
 * folds them into the one classic script the manifest names; the modules and
 * their code are the same.
 */
async function workerContents(): Promise<{ eager: Map<string, number>; lazy: Map<string, number> }> {
  const out = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-bench-worker-'));
  const saved = { TARGET: process.env.TARGET, BUILD_OUT_DIR: process.env.BUILD_OUT_DIR };
  const eager = new Map<string, number>();
  const lazy = new Map<string, number>();
  try {
    process.env.TARGET = 'chrome';
    process.env.BUILD_OUT_DIR = out;
    process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
    const { build } = await import('vite');
    const entry = 'src/background/index.ts';
    await build({
      configFile: path.join(ROOT, 'vite.config.ts'),
      root: ROOT,
      logLevel: 'silent',
      plugins: [
        {
          name: 'bench-worker-contents',
          generateBundle(_options, bundle) {
            const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
            const worker = chunks.find((c) => c.type === 'chunk' && c.moduleIds.some((id) => id.endsWith(entry)));
            if (!worker || worker.type !== 'chunk') return;
            // The worker's chunk and the shared chunks it imports, transitively.
            const files = new Set<string>([worker.fileName]);
            for (const file of files) {
              const chunk = chunks.find((c) => c.fileName === file);
              if (chunk && chunk.type === 'chunk') for (const i of chunk.imports) files.add(i);
            }
            for (const chunk of chunks) {
              if (chunk.type !== 'chunk' || !files.has(chunk.fileName)) continue;
              for (const [id, m] of Object.entries(chunk.modules)) {
                const key = id.includes('/node_modules/') ? `${id.split('/node_modules/').pop()!.split('/')[0]} (package)` : path.relative(ROOT, id.replace(/^\0/, ''));
                const into = id.endsWith('?lazy') ? lazy : eager;
                into.set(key, (into.get(key) ?? 0) + m.renderedLength);
              }
            }
          },
        },
      ],
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(out, { recursive: true, force: true });
  }
  return { eager, lazy };
}

const largest = (sizes: Map<string, number>, n: number): string =>
  [...sizes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${(v / KB).toFixed(1)} KB`)
    .join(', ');

export async function runSizesBench(): Promise<BenchModuleResult> {
  const name = 'sizes';
  const build = ensureFreshBuild();
  if (!build.usable) return { name, figures: [], lines: [`skipped: ${build.note}`], notes: [build.note] };

  const manifest = JSON.parse(readFileSync(path.join(DIST_CHROME, 'manifest.json'), 'utf8')) as {
    content_scripts?: { js?: string[] }[];
    background?: { service_worker?: string };
  };
  const contentEntries = (manifest.content_scripts ?? []).flatMap((cs) => cs.js ?? []);
  const content = javascriptClosure(DIST_CHROME, contentEntries);
  const interstitial = pageFiles(DIST_CHROME, INTERSTITIAL_PATH);

  const contentBytes = sumBytes(content);
  const polyfill = polyfillBytes();
  const figures: BenchFigure[] = [
    {
      name: 'content script (every file the manifest injects, with its imports)',
      unit: 'KB',
      median: contentBytes,
      min: contentBytes,
      max: contentBytes,
      runs: 1,
      goal: 'reported: the budget is on our own part (below); the rest is webextension-polyfill, the browser API the stack names for every context',
      pass: null,
      detail:
        `${contentBytes.toLocaleString('en-US')} bytes; ${listFiles(content)}; of it, webextension-polyfill (src/platform/browser.ts) is about ${(polyfill / KB).toFixed(1)} KB ` +
        '(its own minified file), evaluated only where the script runs: on the catalog\'s hosts, never on an unrelated site (the unrelated-site figures count 0 scripts run there)',
    },
    sizeFigure(
      'content script: our own code (the above less the polyfill\'s minified size)',
      contentBytes - polyfill,
      10,
      `${(contentBytes / KB).toFixed(1)} KB injected − ${(polyfill / KB).toFixed(1)} KB of webextension-polyfill`,
    ),
    sizeFigure(
      "interstitial's JavaScript (every chunk its HTML loads, transitively)",
      sumBytes(interstitial.scripts),
      60,
      `${listFiles(interstitial.scripts)}; besides: HTML ${(interstitial.html.bytes / KB).toFixed(1)} KB, CSS ${(sumBytes(interstitial.styles) / KB).toFixed(1)} KB`,
    ),
  ];
  const workerFiles = javascriptClosure(DIST_CHROME, [manifest.background?.service_worker ?? 'service-worker.js']);
  const { eager, lazy } = await workerContents();
  const lazyBytes = [...lazy.values()].reduce((a, b) => a + b, 0);
  const eagerBytes = [...eager.values()].reduce((a, b) => a + b, 0);
  figures.push(
    sizeFigure(
      'service worker: every file its start loads (Chrome build)',
      sumBytes(workerFiles),
      400,
      `${listFiles(workerFiles)} (one classic script, scripts/vite-plugin-classic-worker.ts). Of that, by source: evaluated at every start ${(eagerBytes / KB).toFixed(1)} KB (${largest(eager, 8)}); ` +
        `only pre-parsed, evaluated on first use (src/background/validation.ts and what it imports: zod, the schemas) ${(lazyBytes / KB).toFixed(1)} KB; ` +
        'tldts is not in it (build-time only, scripts/load-policies.ts); lengths by source are as rendered, before minification',
    ),
    sizeFigure(
      'service worker: the part evaluated at every start (without the lazily evaluated validation)',
      eagerBytes,
      150,
      `${largest(eager, 12)}; the build fails if zod or tldts reach this part (scripts/vite-plugin-lazy-module.ts)`,
    ),
  );
  for (const [label, dist] of [
    ['Chrome Web Store zip (web-ext build of dist/chrome)', DIST_CHROME],
    ['AMO xpi (web-ext build of dist/firefox)', DIST_FIREFOX],
  ] as const) {
    if (!existsSync(dist)) continue;
    figures.push(sizeFigure(`whole package: ${label}`, packageBytes(dist), 400, `largest files unzipped: ${largestFiles(dist, 3)}`));
  }
  return { name, figures, lines: figures.map(figureLine), notes: [build.note] };
}
