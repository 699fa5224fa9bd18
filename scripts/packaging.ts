/**
 * The three release files, each a deterministic zip (scripts/zip.ts):
 * - the Chrome Web Store zip of dist/chrome,
 * - the AMO xpi of dist/firefox,
 * - the AMO source package: every tracked file, the lock file, and
 *   SOURCE-BUILD.md (how to rebuild the xpi's files and what each comes from).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { entriesOfDir, sortEntries, writeZip, type ZipEntry } from './zip';

export const SOURCE_BUILD_FILE = 'SOURCE-BUILD.md';
export const LOCK_FILE = 'package-lock.json';

export interface PackageInfo {
  name: string;
  version: string;
}

export function readPackageInfo(repoDir = '.'): PackageInfo {
  const { name, version } = JSON.parse(readFileSync(path.join(repoDir, 'package.json'), 'utf8')) as PackageInfo;
  return { name, version };
}

/** The file names `npm run package` writes for a version. */
export function artifactNames({ name, version }: PackageInfo) {
  return {
    chrome: `${name}-chrome-${version}.zip`,
    firefox: `${name}-firefox-${version}.xpi`,
    source: `${name}-source-${version}.zip`,
  };
}

/** A zip of a built extension folder; refuses a build of another version. */
export async function packageExtension(distDir: string, outFile: string, version: string): Promise<void> {
  const manifestFile = path.join(distDir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run npm run build`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { version: string };
  if (manifest.version !== version) throw new Error(`${distDir} is version ${manifest.version}, package.json says ${version}: run npm run build`);
  await writeZip(entriesOfDir(distDir), outFile);
}

/** The files git tracks in `repoDir` (as they are in the working tree), sorted. */
export function trackedFiles(repoDir: string): string[] {
  let out: string;
  try {
    out = execFileSync('git', ['-C', repoDir, 'ls-files', '-z'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`${repoDir}: git ls-files failed (the source package is made from a git checkout): ${String(error)}`);
  }
  return out
    .split('\0')
    .filter((f) => f !== '')
    // A tracked file deleted in the working tree is not part of these sources.
    .filter((f) => existsSync(path.join(repoDir, f)))
    .sort();
}

/** Tracked files that differ from the last commit: the package then holds sources no commit has. */
export function uncommittedChanges(repoDir: string): string[] {
  const out = execFileSync('git', ['-C', repoDir, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim() !== '');
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Where a file of dist/firefox comes from, for SOURCE-BUILD.md. */
export function originOf(file: string): string {
  if (file === 'manifest.json') return '`manifest.json`, made Firefox-specific by `scripts/manifest.ts` (host permissions from `policies/services.json`)';
  if (file.startsWith('_locales/') || file.startsWith('icons/') || file === 'managed-schema.json') return `\`public/${file}\`, copied unchanged`;
  if (file === 'service-worker.js') return '`src/background/index.ts` and its imports, bundled by Vite into one classic script (`scripts/vite-plugin-classic-worker.ts`)';
  if (file === 'src/content/index.js') return '`src/content/index.ts` and its imports, bundled by Vite into one file';
  if (/^src\/pages\/[^/]+\/index\.html$/.test(file)) return `\`${file}\`, its script and style links rewritten by Vite`;
  if (file.endsWith('.css')) return 'CSS of `src/pages/`, bundled by Vite';
  if (file.endsWith('.js')) return 'a Vite bundle of `src/` (see *How the JavaScript is made*)';
  return 'Vite build output';
}

export interface Toolchain {
  node: string;
  npm: string;
}

export function currentToolchain(): Toolchain {
  const npm = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
  return { node: process.version.replace(/^v/, ''), npm };
}

/** SOURCE-BUILD.md: the build instructions AMO's reviewers follow, and the xpi's files with their origin and SHA-256. */
export function sourceBuildText(pkg: PackageInfo, toolchain: Toolchain, firefoxFiles: readonly ZipEntry[]): string {
  const names = artifactNames(pkg);
  const rows = firefoxFiles.map((f) => `| \`${f.name}\` | ${originOf(f.name)} | \`${sha256(f.data)}\` |`);
  return `# Building ${pkg.name} ${pkg.version} from source

This archive holds every file of the project's git repository for version
${pkg.version} (\`git ls-files\`), including the lock file \`${LOCK_FILE}\`, which
pins every npm package to an exact version and integrity hash.

## Requirements

- Node.js ${toolchain.node} and npm ${toolchain.npm}: the versions this package was made
  and checked with (on Linux). The project asks for Node.js 20 or later; other
  versions are not checked to give the same bytes.
- Network access to the npm registry for \`npm ci\`, and nothing else: the build
  itself reads only files in this folder and \`node_modules/\`.

## Build

\`\`\`sh
npm ci
npm run build
\`\`\`

\`npm run build\` checks the policy data (\`npm run policies:check\`), then builds
\`dist/chrome/\` and \`dist/firefox/\` with Vite (\`scripts/build.ts\`, configured by
\`vite.config.ts\`). The add-on submitted to AMO, \`${names.firefox}\`, is
\`dist/firefox/\` zipped: the same files, byte for byte, with a fixed entry order and
timestamp. \`npm run package\` writes it to \`web-ext-artifacts/\` (\`scripts/package.ts\`).

The build is reproducible: two builds of these sources give identical files, on
any machine and in any folder. Compare yours with the hashes below, for example
with \`cd dist/firefox && find . -type f | sort | xargs sha256sum\`.

## The xpi's files

| file | comes from | SHA-256 |
| --- | --- | --- |
${rows.join('\n')}

## How the JavaScript is made

Vite (with \`@crxjs/vite-plugin\` for the manifest's entry points) bundles the
TypeScript of \`src/\` and minifies it with its default minifier. The entry points
are \`src/background/index.ts\` (the background), \`src/content/index.ts\` (the
content script, one file), and the pages \`src/pages/{interstitial,popup,options}/index.html\`;
code the pages share is split into \`assets/*.js\`; the background is one classic
script, \`service-worker.js\` (\`scripts/vite-plugin-classic-worker.ts\`). The policy data of \`policies/\` is
validated and compiled in at build time by \`scripts/vite-plugin-policies.ts\`.
npm packages the code imports (such as zod) are
bundled in from \`node_modules/\`, at the versions of \`${LOCK_FILE}\`. Nothing is obfuscated and nothing is fetched at run time.
`;
}

/** The AMO source package: tracked files + SOURCE-BUILD.md, as one deterministic zip. */
export async function packageSource(options: {
  repoDir: string;
  distFirefox: string;
  outFile: string;
  toolchain?: Toolchain;
}): Promise<{ files: string[] }> {
  const { repoDir, distFirefox, outFile } = options;
  const pkg = readPackageInfo(repoDir);
  const files = trackedFiles(repoDir);
  if (!files.includes(LOCK_FILE)) throw new Error(`${repoDir}: ${LOCK_FILE} is not tracked; the source package needs it for npm ci`);
  if (files.includes(SOURCE_BUILD_FILE)) throw new Error(`${repoDir}: ${SOURCE_BUILD_FILE} is tracked, but the source package writes its own`);
  const entries: ZipEntry[] = files.map((f) => {
    if (!lstatSync(path.join(repoDir, f)).isFile()) throw new Error(`${f}: tracked, but not a plain file (a link?)`);
    return { name: f, data: readFileSync(path.join(repoDir, f)) };
  });
  const text = sourceBuildText(pkg, options.toolchain ?? currentToolchain(), entriesOfDir(distFirefox));
  entries.push({ name: SOURCE_BUILD_FILE, data: Buffer.from(text, 'utf8') });
  const sorted = sortEntries(entries);
  await writeZip(sorted, outFile);
  return { files: sorted.map((e) => e.name) };
}
