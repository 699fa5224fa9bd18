/**
 * Removes the service workers of every site that is stopped, so none answers
 * a navigation the rules would stop (why: src/core/site-workers.ts). Chrome
 * only: Firefox applies the rules before a site's worker can answer.
 *
 * Run after every rule sync: the rules first, then the workers. A host is
 * cleared when it becomes stopped (a profile, the device, a policy, an
 * exception ending) and once per browser session (storage.session is empty
 * after a start), because a worker could have been installed during an
 * exception that the browser's closing ended.
 */
import { activeException } from '../core/decide';
import type { ProceedException } from '../core/decision-types';
import { interceptedServices } from '../core/dnr';
import type { DeviceContext } from '../core/device-context';
import type { PolicyBundle } from '../core/policy-schema';
import { siteWorkerHosts, siteWorkerOrigins } from '../core/site-workers';
import { browser } from '../platform/browser';
import { removeServiceWorkers } from '../platform/site-data';
import { SITE_WORKERS_REMOVED_KEY } from '../shared/storage-keys';

export interface StoppedSites {
  bundle: PolicyBundle;
  enabledOrganizations: readonly string[];
  deviceContext: DeviceContext;
  exceptions: readonly ProceedException[];
}

/** The hosts whose workers must not exist: the stopped services' hosts, less those a proceed exception lets through now. */
export function stoppedSiteHosts(input: StoppedSites, now: number): string[] {
  const stopped = new Set<string>();
  for (const id of interceptedServices(input.bundle, input.enabledOrganizations, input.deviceContext).keys()) {
    if (!activeException(input.exceptions, id, now)) stopped.add(id);
  }
  return siteWorkerHosts(input.bundle.services, stopped);
}


let queue: Promise<unknown> = Promise.resolve();

/**
 * Removes the workers of the stopped hosts that were not already removed
 * while stopped in this browser session, and remembers the stopped hosts.
 * Runs one at a time, each reading the state (`load`) inside its turn, so
 * the last run remembers the latest state. Returns how many hosts it cleared.
 * A failure is thrown and nothing is remembered: the next sync tries again.
 */
export function removeStoppedSiteWorkers(load: () => Promise<StoppedSites>): Promise<number> {
  if (__TARGET__ === 'firefox') return Promise.resolve(0);
  const run = queue.then(async () => removeNew(stoppedSiteHosts(await load(), Date.now())));
  queue = run.catch(() => undefined);
  return run;
}

async function removeNew(hosts: readonly string[]): Promise<number> {
  const stored = (await browser.storage.session.get(SITE_WORKERS_REMOVED_KEY))[SITE_WORKERS_REMOVED_KEY];
  const done = new Set(Array.isArray(stored) ? stored.filter((h): h is string => typeof h === 'string') : []);
  const fresh = hosts.filter((h) => !done.has(h));
  if (fresh.length > 0) await removeServiceWorkers(siteWorkerOrigins(fresh));
  if (fresh.length > 0 || done.size !== hosts.length) {
    await browser.storage.session.set({ [SITE_WORKERS_REMOVED_KEY]: [...hosts] });
  }
  return fresh.length;
}

/** Removes the workers of one page's origin: a stopped page that showed up anyway (a subdomain the catalog names nowhere). */
export function removePageWorkers(href: string): Promise<void> {
  return removeServiceWorkers([new URL(href).origin]);
}
