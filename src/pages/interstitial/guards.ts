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
