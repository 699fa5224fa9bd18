/**
 * Store packages from the built extension, versioned from package.json, into
 * web-ext-artifacts/: the Chrome Web Store zip, the AMO xpi and the AMO source
 * package. Every one is reproducible (scripts/zip.ts): the same commit gives
 * the same bytes.
 *
 * PACKAGE_OUT_DIR and BUILD_OUT_DIR package another build into another folder.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { artifactNames, packageExtension, packageSource, readPackageInfo, sha256, uncommittedChanges } from './packaging';

const pkg = readPackageInfo();
const distDir = process.env.BUILD_OUT_DIR || 'dist';
const outDir = process.env.PACKAGE_OUT_DIR || 'web-ext-artifacts';
const names = artifactNames(pkg);

const changed = uncommittedChanges('.');
if (changed.length > 0) {
  console.warn(`note: ${changed.length} tracked file(s) differ from the last commit; the source package holds them as they are now:\n  ${changed.join('\n  ')}`);
}

await packageExtension(path.join(distDir, 'chrome'), path.join(outDir, names.chrome), pkg.version);
await packageExtension(path.join(distDir, 'firefox'), path.join(outDir, names.firefox), pkg.version);
await packageSource({ repoDir: '.', distFirefox: path.join(distDir, 'firefox'), outFile: path.join(outDir, names.source) });

for (const file of [names.chrome, names.firefox, names.source]) {
  const full = path.join(outDir, file);
  console.log(`${full}  ${statSync(full).size} bytes  sha256 ${sha256(readFileSync(full))}`);
}
