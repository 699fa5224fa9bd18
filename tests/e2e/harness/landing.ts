/**
 * Where a stopped navigation lands, without the verdict table's key: the
 * redirect rules send the page to `…/index.html?v=<key>#<blocked URL>`, and the
 * key changes with the settings (src/core/verdict-table.ts). In Chromium the
 * page then takes its history entry as its own (`&own=1`, see ownEntryUrl in
 * src/pages/interstitial/guards.ts), which this drops too. Tests that ask
 * "did it land on the warning for this address" compare this form with the
 * harness's interstitialUrl(blocked); cold-warning.e2e.ts checks the key itself.
 */
export function withoutTableKey(href: string): string {
  const hashAt = href.indexOf('#');
  const beforeHash = hashAt < 0 ? href : href.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt < 0) return href;
  const query = new URLSearchParams(beforeHash.slice(queryAt + 1));
  query.delete('v');
  query.delete('own');
  const rest = query.toString();
  return `${beforeHash.slice(0, queryAt)}${rest === '' ? '' : `?${rest}`}${hashAt < 0 ? '' : href.slice(hashAt)}`;
}
