import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import { buildManifest, type BrowserTarget } from './scripts/manifest';
import { policiesPlugin } from './scripts/vite-plugin-policies';
import { zodJitlessPlugin } from './scripts/vite-plugin-zod-jitless';
import { keepOutOfWorkerPlugin, lazyModulePlugin } from './scripts/vite-plugin-lazy-module';
import { classicWorkerPlugin } from './scripts/vite-plugin-classic-worker';
import { standalonePagePlugin } from './scripts/vite-plugin-standalone-page';
import { earlyScriptPlugin } from './scripts/vite-plugin-early-script';
import { loadPolicyBundle, policiesRoot } from './scripts/load-policies';
import { catalogHostPatterns } from './src/core/dnr';

const target: BrowserTarget = process.env.TARGET === 'firefox' ? 'firefox' : 'chrome';
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const source = JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8')) as Record<string, unknown>;
// The repository's policies/, or an organization's own (AI_POLICY_GUARD_POLICIES_ROOT, scripts/load-policies.ts).
const bundle = loadPolicyBundle(policiesRoot());
const define = { __TARGET__: JSON.stringify(target) };

export default defineConfig({
  plugins: [
    zodJitlessPlugin(),
    // The worker's zod-backed checks, evaluated on first use (src/background/lazy-validation.ts).
    lazyModulePlugin({ plugins: () => [zodJitlessPlugin()], define }),
    // The interstitial's script in one file (scripts/vite-plugin-standalone-page.ts).
    standalonePagePlugin({ define }),
    // Chromium: the interstitial replaces its first history entry before loading anything else (src/pages/interstitial/own-entry.ts).
    ...(target === 'chrome'
      ? [earlyScriptPlugin({ html: 'src/pages/interstitial/index.html', entry: 'src/pages/interstitial/own-entry.ts', fileName: 'own-entry.js', define })]
      : []),
    keepOutOfWorkerPlugin('src/background/index.ts', ['zod', 'tldts', 'tldts-core']),
    policiesPlugin(bundle),
    crx({
      manifest: buildManifest(source, { target, version: pkg.version, hostPatterns: catalogHostPatterns(bundle) }),
      browser: target,
      contentScripts: { standaloneFiles: ['src/content/index.ts'] },
    }),
    // The background as one classic script (Chrome's worker, Firefox's event page): it starts faster than crxjs's module graph.
    classicWorkerPlugin(),
  ],
  define,
  build: {
    // BUILD_OUT_DIR lets parallel work build elsewhere; dist/ is the default.
    outDir: `${process.env.BUILD_OUT_DIR || 'dist'}/${target}`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Every browser the manifest allows has native modulepreload: no polyfill chunk for pages to fetch.
    modulePreload: { polyfill: false },
    // The interstitial is not named by the manifest as a popup/options page,
    // so crxjs would only copy it unless it is an explicit input.
    rollupOptions: { input: { interstitial: 'src/pages/interstitial/index.html' } },
  },
});
