/**
 * The zod-backed checks of ./validation.ts, evaluated the first time they are
 * called. A Chrome extension service worker may not `import()` at run time,
 * so the build inlines that module as a function body instead of a chunk
 * (scripts/vite-plugin-lazy-module.ts); in Firefox's event page and in the
 * unit tests it is the same module, imported as usual.
 */
import type * as Validation from './validation';
import load from './validation?lazy';

export const validation = load as () => typeof Validation;
