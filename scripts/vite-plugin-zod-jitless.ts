/**
 * zod 4 probes `new Function("")` to decide whether it may compile fast
 * parsers. Extension pages and workers forbid eval (no 'unsafe-eval' in the
 * CSP), so the probe can only fail, and it still costs a CSP violation
 * report at every start and a DANGEROUS_EVAL warning from `web-ext lint`.
 * This build step answers the probe with "no" and removes zod's compiler,
 * leaving zod on its interpreted path, which is what runs in the extension
 * anyway. A zod update that moves the code fails the build here, loudly.
 */
import type { Plugin } from 'vite';

const PATCHES: { file: RegExp; find: RegExp; replace: string }[] = [
  {
    file: /[\\/]zod[\\/]v4[\\/]core[\\/]util\.js$/,
    find: /try\s*\{\s*const F = Function;\s*new F\(""\);\s*return true;\s*\}\s*catch\s*\(_\)\s*\{\s*return false;\s*\}/,
    replace: 'return false;',
  },
  {
    file: /[\\/]zod[\\/]v4[\\/]core[\\/]doc\.js$/,
    find: /compile\(\)\s*\{\s*const F = Function;[\s\S]*?return factory\(\.\.\.Object\.values\(this\.closed\)\);\s*\}/,
    replace: 'compile() { throw new Error("zod: code generation is disabled in the extension"); }',
  },
];

export function zodJitlessPlugin(): Plugin {
  return {
    name: 'zod-jitless',
    enforce: 'pre',
    transform(code, id) {
      const patch = PATCHES.find((p) => p.file.test(id));
      if (!patch) return null;
      if (!patch.find.test(code)) throw new Error(`zod-jitless: ${id} no longer has the code this plugin removes; update scripts/vite-plugin-zod-jitless.ts`);
      return { code: code.replace(patch.find, patch.replace), map: null };
    },
  };
}
