/**
 * `<script type="module" src="./main.ts?standalone">`: the page's script in one
 * file, with everything it imports, sharing no chunk with the other pages.
 *
 * Why: the interstitial is what a person sees after an idle period, when no
 * extension process is running and the browser starts one for it. Every
 * further file its module graph names is one more fetch and evaluation in
 * that cold process before the warning can be drawn; measured in Chromium
 * (bench/warning.ts), one file instead of six drew it markedly sooner. The
 * bytes it shares with other pages (the polyfill, i18n) are small and are
 * loaded once per page anyway. Outside a build it is a plain import.
 */
import type { Plugin } from 'vite';
import { bundleAlone, suffixImportPlugin } from './bundle-alone';

export function standalonePagePlugin(options: { define: Record<string, string> }): Plugin {
  return suffixImportPlugin({
    name: 'standalone-page',
    suffix: '?standalone',
    development: (file) => `import ${JSON.stringify(file)};\n`,
    production: (file) => bundleAlone(file, { format: 'es', define: options.define }),
  });
}
