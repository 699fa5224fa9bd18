/**
 * Which address the popup should check for the active tab. Without the
 * "tabs" permission a tab's URL is visible only on catalog hosts (the AI
 * services) and on our own pages, so a missing URL already means "no policy".
 */

/**
 * `interstitialUrl` is the interstitial page at the extension's own origin: on it, the
 * blocked address is the raw fragment (decoding it would corrupt `%23`).
 */
export function addressToCheck(tabUrl: string | undefined, interstitialUrl: string): string | null {
  if (!tabUrl) return null;
  if (tabUrl.startsWith(interstitialUrl)) {
    const hash = tabUrl.indexOf('#');
    const blocked = hash === -1 ? '' : tabUrl.slice(hash + 1);
    return blocked === '' ? null : blocked;
  }
  return tabUrl;
}
