/**
 * Storage key names, kept free of zod so that pages which only watch a key
 * do not bundle the schema library.
 */
/** storage.local key holding Settings. */
export const SETTINGS_KEY = 'settings';
/** storage.local key set when stored data had to be replaced by defaults. */
export const STORAGE_NOTICE_KEY = 'storageNotice';
/** storage.session key holding ProceedException[] (cleared when the browser closes). */
export const EXCEPTIONS_KEY = 'proceedExceptions';
