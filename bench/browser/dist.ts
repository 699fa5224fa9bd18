/**
 * The built extension the browser benchmarks load: rebuilt first when missing
 * or older than its sources, and read to find which files a page or the
 * content script really loads.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchModuleResult } from '../run';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
/**
 * Where the measured build lives: BENCH_DIST_DIR (holding chrome/ and firefox/),
 * else <root>/dist. A stale build is rebuilt into the same place
 * (BUILD_OUT_DIR), so a bench never rewrites a dist/ others are testing against.
 */
export const DIST_DIR = path.resolve(ROOT, process.env.BENCH_DIST_DIR || 'dist');
export const DIST_CHROME = path.join(DIST_DIR, 'chrome');
export const DIST_FIREFOX = path.join(DIST_DIR, 'firefox');
const shown = (p: string): string => (p.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, p) : p);
export const INTERSTITIAL_PATH = 'src/pages/interstitial/index.html';
export const POPUP_PATH = 'src/pages/popup/index.html';

/** What goes into a build; unit tests beside the sources do not. */
const BUILD_INPUTS = ['src', 'policies', 'public', 'scripts', 'manifest.json', 'vite.config.ts', 'package.json', 'tsconfig.json'];

function newestInput(p: string): number {
  if (!existsSync(p)) return 0;
  const stat = statSync(p);
  if (!stat.isDirectory()) return /\.test\.ts$/.test(p) ? 0 : stat.mtimeMs;
  return readdirSync(p).reduce((newest, name) => Math.max(newest, newestInput(path.join(p, name))), 0);
}

export interface BuildState {
  /** What happened, for the printout and RESULTS.md. */
  note: string;
  /** False when no usable build exists: the browser figures are skipped. */
  usable: boolean;
}

let buildState: BuildState | undefined;

/**
 * Runs `npm run build` (with BUILD_OUT_DIR = DIST_DIR) when chrome/ or firefox/
 * there is missing or older than a source; once per bench run. The build
 * empties its output folder, which disturbs a browser suite running from it at
 * the same time: use BENCH_DIST_DIR for a private build, or BENCH_SKIP_BUILD=1
 * to measure the build as it is.
 */
export function ensureFreshBuild(): BuildState {
  if (buildState) return buildState;
  if (process.env.BENCH_SKIP_BUILD === '1') {
    const usable = existsSync(path.join(DIST_CHROME, 'manifest.json')) && existsSync(path.join(DIST_FIREFOX, 'manifest.json'));
    buildState = { note: `BENCH_SKIP_BUILD=1: measuring ${shown(DIST_DIR)}/ as it is${usable ? '' : ' (missing)'}`, usable };
    return buildState;
  }
  const manifests = [DIST_CHROME, DIST_FIREFOX].map((d) => path.join(d, 'manifest.json'));
  const builtAt = Math.min(...manifests.map((m) => (existsSync(m) ? statSync(m).mtimeMs : 0)));
  const sourcesAt = Math.max(...BUILD_INPUTS.map((p) => newestInput(path.join(ROOT, p))));
  if (builtAt > 0 && builtAt >= sourcesAt) {
    buildState = { note: `${shown(DIST_DIR)}/ is up to date (built ${new Date(builtAt).toISOString()})`, usable: true };
    return buildState;
  }
  const why = builtAt === 0 ? 'missing' : 'older than its sources';
  console.log(`${shown(DIST_DIR)}/ is ${why}: running BUILD_OUT_DIR=${DIST_DIR} npm run build …`);
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BUILD_OUT_DIR: DIST_DIR } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    buildState = { note: `${shown(DIST_DIR)}/ was ${why}; rebuilt with BUILD_OUT_DIR=${shown(DIST_DIR)} npm run build in ${seconds} s`, usable: true };
  } else {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-8).join('\n    ');
    const usable = manifests.every((m) => existsSync(m));
    buildState = {
      note: `npm run build FAILED (exit ${result.status}); ${usable ? `measuring the previous, stale ${shown(DIST_DIR)}/` : `no ${shown(DIST_DIR)}/ to measure`}:\n    ${tail}`,
      usable,
    };
  }
  console.log(buildState.note);
  return buildState;
}

/** `chromium --version`-style output of a browser binary, or why there is none. */
export function browserVersion(executable: string): string {
  if (!existsSync(executable)) return `not installed (${executable})`;
  try {
    // Debian's chromium wrapper prints shell noise on stderr; only stdout is the version.
    return execFileSync(executable, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch (error) {
    return `unknown (${executable} --version failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

export const chromiumPath = (): string => process.env.CHROME_PATH || '/usr/bin/chromium';

/**
 * What a Chromium module needs before it measures anything: the browser and a
 * usable build. Either the path to launch and the build's state, or the
 * module's "skipped" result.
 */
export function chromiumForBench(name: string): { executable: string; build: BuildState } | { skipped: BenchModuleResult } {
  const executable = chromiumPath();
  if (!existsSync(executable)) {
    const line = `skipped: Chromium not found at ${executable} (apt-get install chromium, or set CHROME_PATH)`;
    return { skipped: { name, figures: [], lines: [line], notes: [line] } };
  }
  const build = ensureFreshBuild();
  if (!build.usable) return { skipped: { name, figures: [], lines: [`skipped: ${build.note}`], notes: [build.note] } };
  return { executable, build };
}
export const firefoxPath = (): string => process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

export interface LoadedFile {
  /** Path inside the extension, without a leading slash. */
  file: string;
  bytes: number;
}

/** Static `import … from "./x.js"`, side-effect `import "./x.js"` and `import("./x.js")` of a built chunk. */
function importsOf(source: string): string[] {
  const specs = new Set<string>();
  for (const m of source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'`]([^"'`]+\.js)["'`]/g)) specs.add(m[1]!);
  return [...specs];
}

/** Every JavaScript file reachable from `entries` (paths inside `dist`), each once. */
export function javascriptClosure(dist: string, entries: readonly string[]): LoadedFile[] {
  const seen = new Map<string, number>();
  const queue = entries.map((e) => e.replace(/^\//, ''));
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    const source = readFileSync(path.join(dist, file), 'utf8');
    seen.set(file, Buffer.byteLength(source));
    for (const spec of importsOf(source)) {
      const resolved = spec.startsWith('/') ? spec.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (!seen.has(resolved)) queue.push(resolved);
    }
  }
  return [...seen].map(([file, bytes]) => ({ file, bytes }));
}

export interface PageFiles {
  html: LoadedFile;
  scripts: LoadedFile[];
  styles: LoadedFile[];
  images: LoadedFile[];
}

/** What an extension page's HTML loads: scripts (transitively), stylesheets and images. */
export function pageFiles(dist: string, htmlPath: string): PageFiles {
  const html = readFileSync(path.join(dist, htmlPath), 'utf8');
  const attr = (re: RegExp) => [...html.matchAll(re)].map((m) => m[1]!.replace(/^\//, ''));
  const sized = (file: string): LoadedFile => ({ file, bytes: statSync(path.join(dist, file)).size });
  const scriptEntries = [
    ...attr(/<script\b[^>]*\bsrc="([^"]+)"/g),
    ...attr(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g),
  ];
  return {
    html: { file: htmlPath, bytes: Buffer.byteLength(html) },
    scripts: javascriptClosure(dist, scriptEntries),
    styles: attr(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g).map(sized),
    images: attr(/<img\b[^>]*\bsrc="([^"]+)"/g).map(sized),
  };
}

export const sumBytes = (files: readonly LoadedFile[]): number => files.reduce((n, f) => n + f.bytes, 0);
