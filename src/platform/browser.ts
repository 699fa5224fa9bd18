/**
 * The only module that gives the background, the pages and the content script
 * the browser's extension API: webextension-polyfill's `browser`. In Firefox
 * it is Firefox's own `browser`, untouched (the polyfill's body is never run);
 * in Chrome it wraps `chrome.*` lazily, namespace by namespace, so that a
 * `runtime.onMessage` listener may answer by returning a promise and
 * "no listener answered" reads as an answer of `undefined`.
 */
import browser from 'webextension-polyfill';

export { browser };
export type { Runtime, Tabs, Storage } from 'webextension-polyfill';
