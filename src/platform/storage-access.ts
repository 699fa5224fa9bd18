/**
 * Who may use storage.local. Content scripts run inside web pages, and a
 * page's exploit of its renderer can do whatever its content script can: by
 * default that includes reading and writing storage.local (the verdict table
 * the warning page draws from, custom organizations, the activity log).
 */
import { browser } from './browser';

interface StorageAreaWithAccessLevel {
  setAccessLevel?(options: { accessLevel: 'TRUSTED_CONTEXTS' | 'TRUSTED_AND_UNTRUSTED_CONTEXTS' }): Promise<void>;
}

/**
 * Chrome: from now on only the extension's own pages and worker may read or
 * write storage.local; a content script's chrome.storage.local refuses. Chrome
 * keeps the level across restarts; it is set again at every start anyway.
 * Firefox has no such level (bug 1724754): there the warning page takes
 * nothing from storage.local that decides or links anything, and asks the
 * background instead. Resolves false where the browser cannot do it.
 */
export async function closeLocalStorageToContentScripts(): Promise<boolean> {
  const local = browser.storage.local as unknown as StorageAreaWithAccessLevel;
  if (__TARGET__ === 'firefox' || typeof local.setAccessLevel !== 'function') return false;
  await local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
  return true;
}
