/**
 * The interstitial's first act, in Chromium: make this history entry the
 * page's own (why: guards.ts, ownEntryUrl). This file runs as a classic script
 * at the top of the page's <head> (scripts/vite-plugin-early-script.ts), so the
 * document the redirect opened starts the replacement before it loads its
 * stylesheet or its main script: that first document is never drawn, and each
 * of those loads held back the warning that stays. main.ts asks it again, and
 * does nothing else in a document that is being replaced.
 */
import { ownEntryUrl } from './guards';

/** The mark (documentElement.dataset.entry) of a document whose entry is being replaced by its own. */
const REPLACING_ENTRY = 'replacing';

/**
 * Starts replacing this document's history entry with the page's own, once;
 * true while this document is being replaced (it must then do nothing else).
 * A framed copy has no entry of its own to reload.
 */
export function claimOwnEntry(): boolean {
  if (__TARGET__ !== 'chrome' || window.top !== window) return false;
  if (document.documentElement.dataset.entry === REPLACING_ENTRY) return true;
  const own = ownEntryUrl(location.href);
  if (own === null) return false;
  document.documentElement.dataset.entry = REPLACING_ENTRY;
  location.replace(own);
  return true;
}

claimOwnEntry();
