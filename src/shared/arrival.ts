/**
 * How a page came to be replaced by the warning, carried in the warning's
 * address (`?via=`), so its first sentence is true for that path. Kept apart
 * from the verdict wording so the content script stays small.
 */
export const ARRIVAL_PARAM = 'via';
export type Arrival = 'redirect' | 'open-tab' | 'in-page';

export function arrivalOf(value: string | null): Arrival {
  return value === 'open-tab' || value === 'in-page' ? value : 'redirect';
}

/**
 * The lede: "stopped this page before it loaded" only where a redirect rule
 * did so. A tab already open when the rules changed, and a page the content
 * script replaced (served by the site's own service worker, a same-document
 * address change, an exception that ended), had loaded.
 */
export function ledeKey(arrival: Arrival): string {
  return arrival === 'open-tab' ? 'interstitialLedeOpenTab' : arrival === 'in-page' ? 'interstitialLedeInPage' : 'interstitialLede';
}
