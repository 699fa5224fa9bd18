/**
 * Store packages from the built extension, versioned from package.json:
 * a Chrome Web Store zip and an AMO xpi, both through `web-ext build`.
 */
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };
const outDir = 'web-ext-artifacts';

for (const [target, ext] of [['chrome', 'zip'], ['firefox', 'xpi']] as const) {
  const manifest = JSON.parse(readFileSync(join('dist', target, 'manifest.json'), 'utf8')) as { version: string };
  if (manifest.version !== version) throw new Error(`dist/${target} is version ${manifest.version}, package.json says ${version}: run npm run build`);
  const file = `${name}-${target}-${version}.${ext}`;
  rmSync(join(outDir, file), { force: true });
  execFileSync('npx', ['web-ext', 'build', '--source-dir', join('dist', target), '--artifacts-dir', outDir,
    '--filename', `${file}.zip`, '--overwrite-dest', '--no-config-discovery'], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(join(outDir, `${file}.zip`), join(outDir, file));
  console.log(`${join(outDir, file)}`);
}
