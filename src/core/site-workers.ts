/**
 * Which sites' own service workers must go when their service is stopped.
 *
 * declarativeNetRequest sees only what goes to the network. A service worker
 * that the site installed while it was allowed (before any profile was on,
 * during a proceed exception) answers the site's navigations from its cache
 * before the request ever reaches the network: the site's page and code run,
 * and the rules never see it. So whenever a service becomes stopped, the
 * background removes the service workers of that service's hosts. Nothing
 * else of the site's goes: cookies, logins, localStorage and even the Cache
 * Storage stay (without a worker nothing can answer a navigation from it, and
 * only the site's own code, which no longer runs, can read it).
 *
 * Chrome, where this is needed (Firefox applies the rules before a site's
 * worker can answer), removes site data only for origins named exactly, while a `domain` host of the
 * catalog stands for every subdomain. The catalog names, for each host, the
 * address it was found at (`source`): chat.deepseek.com for deepseek.com,
 * www.kimi.com for kimi.com. Those and the `www.` form are named here; a
 * subdomain named nowhere is caught the first time its page shows up anyway
 * (the content script asks the background to send its tab to the warning,
 * and the background removes that origin's workers then).
 * Pure: no browser API.
 */
import type { Service } from './policy-schema';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The host of the first http(s) address in a catalog `source` note, if any. */
function sourceHost(source: string): string | null {
  const match = /https?:\/\/[^\s/?#]+/i.exec(source);
  if (!match) return null;
  try {
    return new URL(match[0]).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Whether `host` is `domain` or one of its subdomains. */
function isWithin(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * The host names whose service workers go when these services are stopped:
 * every catalog host, and for a `domain` host its `www.` form and the
 * subdomain its source names. Sorted, without duplicates.
 */
export function siteWorkerHosts(services: readonly Pick<Service, 'id' | 'hosts'>[], stopped: ReadonlySet<string>): string[] {
  const hosts = new Set<string>();
  for (const service of services) {
    if (!stopped.has(service.id)) continue;
    for (const entry of service.hosts) {
      hosts.add(entry.host);
      if (entry.match !== 'domain') continue;
      hosts.add(`www.${entry.host}`);
      const named = sourceHost(entry.source);
      if (named !== null && isWithin(named, entry.host)) hosts.add(named);
    }
  }
  return [...hosts].sort(byCodeUnit);
}

/** The web origins of these hosts (Chrome removes site data by origin): https and http, default ports. */
export function siteWorkerOrigins(hosts: readonly string[]): string[] {
  return hosts.flatMap((host) => [`https://${host}`, `http://${host}`]);
}
