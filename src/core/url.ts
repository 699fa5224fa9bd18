/**
 * Turns whatever a tab, a webNavigation event or a message hands us into the
 * one host form the catalog is written in. Pure: the WHATWG `URL` parser is
 * the same in extension pages, service workers and Node, so the unit tests
 * exercise exactly what the browser will do.
 */
import type { NormalizedUrl } from './decision-types';

/**
 * Longer inputs are refused outright (null, so no decision). Chromium navigates to
 * URLs up to 2 MiB, but such lengths come from `data:` and `blob:`-style payloads,
 * which are not checked anyway; parsing them on every navigation event would be
 * wasted work in the worker. 64 KiB keeps every realistic http(s) URL, and the DNR
 * rules, which match the request itself, still apply to anything longer.
 */
export const MAX_URL_LENGTH = 65_536;

const CHECKED_SCHEMES: Readonly<Record<string, NormalizedUrl['scheme']>> = {
  'http:': 'http',
  'https:': 'https',
  // WebSockets: a page on an unrelated site can open a socket straight to the service's API.
  'ws:': 'ws',
  'wss:': 'wss',
};

/**
 * The checkable form of `input`, or null when it is not an http(s)/ws(s) URL with
 * a usable host. Never throws, whatever `input` is.
 *
 * - Case, IDN → punycode, full-width letters, U+3002 / U+FF0E / U+FF61 dots,
 *   percent-encoded host bytes and backslashes are all handled by the parser,
 *   exactly as the browser's address bar resolves them.
 * - One trailing dot is removed: `deepseek.com.` is the same DNS name as
 *   `deepseek.com` and browsers load it, so it must not slip past the catalog.
 * - A host that is empty after that, or still ends with a dot (`deepseek.com..`),
 *   has an empty label that no resolver accepts; it is rejected rather than
 *   passed on in a form the catalog can never describe.
 * - Port and userinfo are not part of the host; `https://chat.deepseek.com@evil.example/`
 *   goes to evil.example, and so do we.
 * - Other schemes (`blob:`, `data:`, `view-source:`, `chrome:`, `about:`) → null:
 *   a blob or view-source URL does not send a request to the service's host by itself.
 */
export function normalizeUrl(input: unknown): NormalizedUrl | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  const scheme = CHECKED_SCHEMES[url.protocol];
  if (scheme === undefined) return null;
  let host = url.hostname;
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '' || host.endsWith('.')) return null;
  return { href: url.href, scheme, host };
}
