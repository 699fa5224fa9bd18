/**
 * Derives each browser's manifest from the one source `manifest.json`.
 * Build-time only: never shipped.
 */
import type { ManifestV3Export } from '@crxjs/vite-plugin';
import { trailingDotHostPatterns } from '../src/core/dnr';

export type BrowserTarget = 'chrome' | 'firefox';
export const CATALOG_HOSTS_TOKEN = '$catalogHosts';

type Json = Record<string, unknown>;

function expandHosts(list: unknown, hostPatterns: readonly string[]): unknown {
  if (!Array.isArray(list)) return list;
  return list.flatMap((item) => (item === CATALOG_HOSTS_TOKEN ? [...hostPatterns] : [item]));
}

export function buildManifest(
  source: Json,
  options: { target: BrowserTarget; version: string; hostPatterns: readonly string[] },
): ManifestV3Export {
  const { target, version, hostPatterns } = options;
  if (hostPatterns.length === 0) throw new Error('manifest: the policy catalog yields no host patterns');
  if (hostPatterns.some((p) => p === '<all_urls>' || p.startsWith('*://*/'))) {
    throw new Error('manifest: host permissions must never cover every site');
  }
  const manifest = structuredClone(source) as Json;
  manifest.version = version;
  manifest.host_permissions = expandHosts(manifest.host_permissions, hostPatterns);
  manifest.content_scripts = (manifest.content_scripts as Json[]).map((cs) => ({
    ...cs,
    matches: expandHosts(cs.matches, hostPatterns),
  }));

  const background = manifest.background as { service_worker: string; type?: string };
  if (target === 'chrome') {
    // The interstitial must be reachable from any page that links to a banned
    // site; a per-session dynamic URL stops sites from probing for the extension.
    manifest.web_accessible_resources = (manifest.web_accessible_resources as Json[]).map((war) => ({
      ...war,
      use_dynamic_url: true,
    }));
    // Chrome rejects the gecko block silently but web stores flag unknown keys.
    delete manifest.browser_specific_settings;
  } else {
    // Firefox runs MV3 backgrounds as event pages; a service_worker key alone
    // is refused, and both keys make web-ext lint warn.
    manifest.background = { scripts: [background.service_worker], type: background.type ?? 'module' };
    // Firefox matches `chat.deepseek.com.` only against patterns with the dot,
    // and redirects only what it has host permission for (src/core/dnr.ts).
    manifest.host_permissions = [...(manifest.host_permissions as string[]), ...trailingDotHostPatterns(hostPatterns)];
    delete manifest.minimum_chrome_version;
    // Firefox applies the rules before a site's own service worker can answer a
    // navigation (tests/e2e/cached-site.e2e.ts), so it needs no site-data
    // removal, and would warn "Clear recent browsing history, cookies, and
    // related data" at install for it.
    manifest.permissions = (manifest.permissions as string[]).filter((p) => p !== 'browsingData');
    // Firefox has no split incognito mode; "spanning" would share one state
    // across windows, so private windows are left out (the default).
    delete manifest.incognito;
  }
  return manifest as unknown as ManifestV3Export;
}
