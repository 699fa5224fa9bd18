/** Builds dist/chrome and dist/firefox from the same sources. */
import { build } from 'vite';

// Our config imports TypeScript modules without extensions, which the default loader bundles fine.
process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';

for (const target of ['chrome', 'firefox'] as const) {
  process.env.TARGET = target;
  console.log(`\n▶ building dist/${target}`);
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
console.log('\n✔ dist/chrome and dist/firefox are ready');
