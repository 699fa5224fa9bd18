/**
 * The only module that imports webextension-polyfill. Everything else reaches
 * browser APIs through src/platform, so browser glue stays thin and testable.
 */
import browser from 'webextension-polyfill';

export { browser };
export type { Runtime, Tabs, Storage } from 'webextension-polyfill';
