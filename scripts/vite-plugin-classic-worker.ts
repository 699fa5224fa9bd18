/**
 * Chrome's service worker as one classic script instead of crxjs's module
 * worker (a loader that imports the background chunk and the chunks it shares
 * with the pages).
 *
 * Why: the worker starts again after every idle period, and the start is
 * what a popup or a warning page that woke it waits for. Measured in
 * Chromium 156 (bench/worker.ts, builds side by side in one browser), the
 * same code as one classic file answered its first message 8–10 ms sooner
 * than as crxjs's module graph of seven files, of which about 3 ms came from
 * one file instead of seven and the rest from classic instead of module.
 *
 * How: after crxjs has written the bundle in memory, the loader and every
 * chunk it reaches are bundled again, from that output, into one IIFE
 * (`service-worker.js`); the manifest names it without `"type": "module"`,
 * and the loader and the chunks only the worker used are left out. Chunks
 * the pages also load stay. The code is the same: nothing is re-resolved
 * from sources, so the zod-free check (keepOutOfWorkerPlugin) and the lazily
 * evaluated validation (lazyModulePlugin) hold as they did. A Chrome MV3
 * worker could not `import()` anyway, so nothing is lost.
 *
 * Firefox's MV3 background is an event page (`background.scripts`), which
 * Firefox also suspends after an idle spell and loads again for the next
 * event: crxjs names a module loader there too, and the same one classic
 * file replaces it (`"scripts": ["service-worker.js"]`, no `"type"`).
 */
import path from 'node:path';
import { build, type Plugin, type Rollup } from 'vite';
import { onlyChunkCode } from './bundle-alone';

type OutputBundle = Rollup.OutputBundle;

const OUTPUT = 'service-worker.js';
/** Where the inner build pretends the outer build's files are; nothing is read from or written there. */
const ROOT = '/__extension-output__';

/** The outer build's files as modules of the inner build, each recorded in `used`. */
function fromBundle(bundle: OutputBundle, used: Set<string>): Plugin {
  const fileOf = (id: string): string | null => (id.startsWith(`${ROOT}/`) ? id.slice(ROOT.length + 1) : null);
  return {
    name: 'classic-worker-input',
    enforce: 'pre',
    resolveId(id, importer) {
      if (fileOf(id) !== null) return id;
      const base = importer ? fileOf(importer) : null;
      if (base === null || !id.startsWith('.')) return null;
      return `${ROOT}/${path.posix.join(path.posix.dirname(base), id)}`;
    },
    load(id) {
      const file = fileOf(id);
      if (file === null) return null;
      const output = bundle[file];
      if (!output) throw new Error(`classic-worker: ${file} is not in the build output`);
      used.add(file);
      return output.type === 'chunk' ? output.code : String(output.source);
    },
  };
}

/** Every file reachable from `entries` through static and dynamic imports. */
function reachable(bundle: OutputBundle, entries: Iterable<string>): Set<string> {
  const seen = new Set<string>(entries);
  for (const file of seen) {
    const output = bundle[file];
    if (output?.type === 'chunk') for (const next of [...output.imports, ...output.dynamicImports]) seen.add(next);
  }
  return seen;
}

export function classicWorkerPlugin(): Plugin {
  return {
    name: 'classic-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      // After crxjs, whose own post hook writes the manifest.
      order: 'post',
      async handler(_options, bundle) {
        const manifestAsset = bundle['manifest.json'];
        if (manifestAsset?.type !== 'asset') return;
        const manifest = JSON.parse(String(manifestAsset.source)) as { background?: { service_worker?: string; scripts?: string[]; type?: string } };
        const background = manifest.background;
        // Chrome: a service worker; Firefox: an event page of one script.
        const loader = background?.service_worker ?? (background?.scripts?.length === 1 ? background.scripts[0] : undefined);
        if (background === undefined || typeof loader !== 'string') throw new Error('classic-worker: the manifest names no background script of its own');
        if (!bundle[loader]) throw new Error(`classic-worker: the manifest names ${loader}, which the build did not write`);

        const used = new Set<string>();
        const output = await build({
          configFile: false,
          logLevel: 'warn',
          root: ROOT,
          publicDir: false,
          plugins: [fromBundle(bundle, used)],
          build: {
            write: false,
            minify: true,
            target: 'es2022',
            // One file, evaluated top to bottom: the modules run in the order the module graph ran them.
            rollupOptions: { input: `${ROOT}/${loader}`, output: { format: 'iife', entryFileNames: OUTPUT } },
          },
        });
        const code = onlyChunkCode(output, `classic-worker: bundling ${loader}`);

        // What the pages (or anything else) still load stays; what only the worker loaded goes.
        const others = Object.values(bundle)
          .filter((o) => o.type === 'chunk' && o.isEntry && !used.has(o.fileName))
          .map((o) => o.fileName);
        const kept = reachable(bundle, others);
        for (const file of used) if (!kept.has(file)) delete bundle[file];

        // Strict, as the modules it is made of were.
        this.emitFile({ type: 'asset', fileName: OUTPUT, source: `'use strict';\n${code}` });
        manifest.background = background.service_worker !== undefined ? { ...background, service_worker: OUTPUT } : { ...background, scripts: [OUTPUT] };
        delete manifest.background.type;
        manifestAsset.source = `${JSON.stringify(manifest, null, 2)}\n`;
      },
    },
  };
}
