/**
 * One module and everything it imports, bundled on its own into one file's
 * text by a nested Vite build: what the `?lazy` and `?standalone` imports of
 * the main build are made of.
 */
import { build, type PluginOption } from 'vite';

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
  const outputs = (Array.isArray(output) ? output : [output]) as { output: { type: string; code?: string }[] }[];
  const code = outputs.flatMap((o) => o.output).find((c) => c.type === 'chunk')?.code;
  if (!code) throw new Error(`bundling ${file} on its own produced no code`);
  return code;
}
