/**
 * `import load from './module?lazy'`: `load()` returns the module's exports,
 * evaluating the module (and everything it imports) on the first call only.
 *
 * Why: a Chrome MV3 service worker may not use dynamic `import()` (the spec
 * forbids it in service workers; static imports all run at start-up), yet the
 * worker starts again after every idle period and must answer fast. In a
 * production build the module is bundled on its own, as an IIFE, and placed
 * inside a function declaration: V8 only pre-parses a function that has not
 * run, so the code costs little until `load()` is called. The same output works
 * in Firefox's event page. No eval: the code is ordinary script text in the
 * worker's own file. Outside a build (vitest, vite serve) it is a plain import.
 */
import type { Plugin, PluginOption } from 'vite';
import { bundleAlone, suffixImportPlugin } from './bundle-alone';

const SUFFIX = '?lazy';
const GLOBAL = '__lazyModule';

export function lazyModulePlugin(options: { plugins: () => PluginOption[]; define: Record<string, string> }): Plugin {
  return suffixImportPlugin({
    name: 'lazy-module',
    suffix: SUFFIX,
    development: (file) => `import * as m from ${JSON.stringify(file)};\nexport default () => m;\n`,
    async production(file) {
      const code = await bundleAlone(file, { format: 'iife', name: GLOBAL, plugins: options.plugins(), define: options.define });
      // A function declaration, not a parenthesized one: V8 compiles those eagerly.
      return [
        'let evaluated;',
        `function evaluate() {\n${code}\nreturn ${GLOBAL};\n}`,
        'export default function load() {',
        '  if (evaluated === undefined) evaluated = evaluate();',
        '  return evaluated;',
        '}',
        '',
      ].join('\n');
    },
  });
}

/**
 * Fails the build when the service worker's own chunk (what every start-up
 * evaluates) holds one of `packages` outside a `?lazy` module, naming the
 * source that brought it in: validation libraries belong in
 * src/background/validation.ts, which the worker reaches lazily.
 */
export function keepOutOfWorkerPlugin(entry: string, packages: readonly string[]): Plugin {
  return {
    name: 'keep-out-of-worker',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.moduleIds.some((id) => id.endsWith(entry))) continue;
        const eager = chunk.moduleIds.filter((id) => packages.some((p) => id.includes(`/node_modules/${p}/`)));
        if (eager.length === 0) continue;
        const culprits = chunk.moduleIds.filter((id) => !id.includes('/node_modules/') && !id.endsWith(SUFFIX)).map((id) => this.getModuleInfo(id)).filter((info) => info?.importedIds.some((i) => eager.includes(i) || packages.some((p) => i.includes(`/node_modules/${p}/`))));
        this.error(
          `the service worker (${entry}) evaluates ${packages.filter((p) => eager.some((id) => id.includes(`/node_modules/${p}/`))).join(', ')} at every start; ` +
            `imported by ${culprits.map((c) => c?.id).join(', ') || 'a module it imports'}. Reach it through src/background/lazy-validation.ts, or import types only.`,
        );
      }
    },
  };
}
