/**
 * The interstitial's safety checks, kept pure (no DOM, no browser API) so
 * they are unit-tested with hostile input.
 */
import { MAX_JUSTIFICATION } from '../../shared/activity-log';
import { MAX_URL_LENGTH } from '../../shared/limits';

export { MAX_URL_LENGTH };

/**
 * The blocked address from the fragment, raw on purpose: decodeURIComponent
 * would turn an encoded `%23` into `#` and check a different address.
 */
export function blockedUrlFromHash(hash: string): string {
  return hash.startsWith('#') ? hash.slice(1) : hash;
}

/** Worth asking the background about: present, not absurdly long, and a URL at all. */
export function isCheckable(raw: string): boolean {
  if (raw === '' || raw.length > MAX_URL_LENGTH) return false;
  try {
    new URL(raw);
    return true;
  } catch {
    return false;
  }
}

/**
 * The address to open, or null. It must be exactly the `href` the decision
 * matched and an http(s) URL: a reply that names anything else (a
 * `javascript:` or `data:` URL, another site) is never followed.
 */
export function matchedTarget(candidate: string, expectedHref: string | null): string | null {
  if (expectedHref === null || candidate !== expectedHref) return null;
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? candidate : null;
}

/** The reason typed before proceeding, trimmed; null when empty or over the limit. */
export function justificationText(raw: string): string | null {
  const text = raw.trim();
  return text === '' || text.length > MAX_JUSTIFICATION ? null : text;
}

/** The query parameter that marks the interstitial's own history entry (see ownEntryUrl). */
export const OWN_ENTRY_PARAM = 'own';

/**
 * The address to replace this page's history entry with, or null when the
 * entry is already the page's own.
 *
 * Chromium checks a reload, Back or Forward onto an extension page against
 * the page that started the entry's navigation: a warning reached from a
 * link on another site was let in by the redirect rule, but reloading or
 * revisiting it is a navigation from that site to an extension address that
 * only the per-session dynamic URL makes web-accessible, and it ends on
 * ERR_BLOCKED_BY_CLIENT. Replacing the entry once with a navigation this page
 * starts itself makes the extension the entry's initiator. The marker keeps
 * it to once; the fragment (the blocked address) is carried over byte for byte.
 */
export function ownEntryUrl(href: string): string | null {
  const hashAt = href.indexOf('#');
  const beforeHash = hashAt < 0 ? href : href.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : href.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const query = queryAt < 0 ? '' : beforeHash.slice(queryAt + 1);
  if (new URLSearchParams(query).get(OWN_ENTRY_PARAM) === '1') return null;
  const marked = `${query === '' ? '?' : `${beforeHash.slice(queryAt)}&`}${OWN_ENTRY_PARAM}=1`;
  return `${queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt)}${marked}${hash}`;
}
