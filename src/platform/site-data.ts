/**
 * A Chrome call whose shape webextension-polyfill's types do not know:
 * removing site data by origin.
 */
import { browser } from './browser';

interface BrowsingDataWithOrigins {
  remove(options: { origins: string[] }, dataTypes: { serviceWorkers: boolean }): Promise<void>;
}

/**
 * Chrome: removes the service workers registered by these origins (each
 * exactly: not a subdomain's), and nothing else of theirs. Firefox does not
 * need it (its rules act before a site's worker answers) and its build has no
 * browsingData permission: there it does nothing.
 */
export async function removeServiceWorkers(origins: readonly string[]): Promise<void> {
  if (__TARGET__ === 'firefox' || origins.length === 0) return;
  const api = browser.browsingData as unknown as BrowsingDataWithOrigins;
  await api.remove({ origins: [...origins] }, { serviceWorkers: true });
}
