/**
 * Who may use storage.local, and where the verdict table is kept. Content
 * scripts run inside web pages, and a page's exploit of its renderer can do
 * whatever its content script can: by default that includes reading and
 * writing storage.local (custom organizations, the activity log, and in
 * Chrome the verdict table the warning page draws from).
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
 * nothing from storage.local that decides or links anything (its verdict
 * table is in storage.session, verdictTableArea below). Resolves false where
 * the browser cannot do it.
 */
export async function closeLocalStorageToContentScripts(): Promise<boolean> {
  const local = browser.storage.local as unknown as StorageAreaWithAccessLevel;
  if (__TARGET__ === 'firefox' || typeof local.setAccessLevel !== 'function') return false;
  await local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
  return true;
}

/**
 * Where the verdict table (src/core/verdict-table.ts) is kept: an area that
 * only the extension's own pages and background can read or write, since a
 * table decides the words and links of a warning. Chrome: storage.local,
 * closed above. Firefox: storage.session, which it never opens to content
 * scripts (it has no access level, and its storage.local is theirs too); it
 * is emptied when the browser closes or the add-on reloads, and the next rule
 * sync writes it again (until then pages ask the background).
 */
export function verdictTableAreaName(): 'local' | 'session' {
  return __TARGET__ === 'firefox' ? 'session' : 'local';
}

export function verdictTableArea(): typeof browser.storage.local {
  return browser.storage[verdictTableAreaName()];
}
