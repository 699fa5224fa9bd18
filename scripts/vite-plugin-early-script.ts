/**
 * A page's first script, as a classic script at the top of its <head>: `entry`
 * bundled on its own (an IIFE, scripts/bundle-alone.ts), written as
 * `fileName` and named in `html` right before the page's first script.
 *
 * Why: a classic script there runs as soon as the parser reaches it, before
 * the page's stylesheet and module script load. The interstitial's first
 * document only replaces its own history entry (src/pages/interstitial/own-entry.ts);
 * measured in Chromium (bench/warning.ts), starting that replacement from the
 * page's main script held back every warning by the time it took the first
 * document to load the main script and the stylesheet.
 */
import type { Plugin } from 'vite';
import { bundleAlone } from './bundle-alone';

export function earlyScriptPlugin(options: { html: string; entry: string; fileName: string; define: Record<string, string> }): Plugin {
  let code: string | null = null;
  const tag = `<script src="/${options.fileName}"></script>`;
  return {
    name: 'early-script',
    apply: 'build',
    async buildStart() {
      code = await bundleAlone(options.entry, { format: 'iife', name: '__earlyScript', define: options.define });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (!context.filename.replaceAll('\\', '/').endsWith(options.html)) return html;
        const at = html.indexOf('<script');
        if (at < 0) throw new Error(`${options.html}: no <script> to place ${options.fileName} before`);
        return `${html.slice(0, at)}${tag}\n    ${html.slice(at)}`;
      },
    },
    generateBundle() {
      if (code === null) throw new Error(`${options.entry} was not bundled`);
      this.emitFile({ type: 'asset', fileName: options.fileName, source: code });
    },
  };
}
