/**
 * One module and everything it imports, bundled on its own into one file's
 * text by a nested Vite build: what the `?lazy` and `?standalone` imports of
 * the main build are made of, and the plugin shape both share.
 */
import { build, type Plugin, type PluginOption } from 'vite';

export interface BundleAloneOptions {
  format: 'iife' | 'es';
  /** The global an IIFE assigns its exports to. */
  name?: string;
  plugins?: PluginOption[];
  define: Record<string, string>;
}

export async function bundleAlone(file: string, options: BundleAloneOptions): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    plugins: options.plugins ?? [],
    define: options.define,
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry: file, formats: [options.format], ...(options.name ? { name: options.name } : {}), fileName: () => 'alone.js' },
    },
  });
  return onlyChunkCode(output, `bundling ${file} on its own`);
}

/** The code of the one chunk an in-memory (`write: false`) build produced; anything else is an error naming `what`. */
export function onlyChunkCode(output: Awaited<ReturnType<typeof build>>, what: string): string {
  const outputs = (Array.isArray(output) ? output : [output]) as { output: { type: string; code?: string }[] }[];
  const chunks = outputs.flatMap((o) => o.output).filter((c) => c.type === 'chunk');
  if (chunks.length !== 1 || !chunks[0]!.code) throw new Error(`${what} gave ${chunks.length} chunks, not one with code`);
  return chunks[0]!.code;
}

/**
 * A plugin for `import … from './module<suffix>'`: in a production build the
 * module's code is what `production(file)` makes of it; elsewhere (vitest,
 * vite serve) what `development(file)` says, a plain import of the file.
 */
export function suffixImportPlugin(options: {
  name: string;
  suffix: string;
  development: (file: string) => string;
  production: (file: string) => Promise<string>;
}): Plugin {
  const { suffix } = options;
  let production = false;
  return {
    name: options.name,
    enforce: 'pre',
    configResolved(config) {
      production = config.command === 'build' && !config.build.ssr;
    },
    async resolveId(id, importer) {
      if (!id.endsWith(suffix)) return null;
      const resolved = await this.resolve(id.slice(0, -suffix.length), importer, { skipSelf: true });
      return resolved ? `${resolved.id}${suffix}` : null;
    },
    async load(id) {
      if (!id.endsWith(suffix)) return null;
      const file = id.slice(0, -suffix.length);
      return production ? options.production(file) : options.development(file);
    },
  };
}
