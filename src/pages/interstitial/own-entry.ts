/**
 * The interstitial's first act, in Chromium: make this history entry the
 * page's own (why: guards.ts, ownEntryUrl). A classic script at the top of the
 * page's <head> (scripts/vite-plugin-early-script.ts), so the document the
 * redirect opened starts the replacement before it loads its stylesheet or
 * its main script: that first document is never drawn, and each of those
 * loads held back the warning that stays. main.ts does the same if this did
 * not run, and does nothing else in a document that is being replaced.
 */
import { ownEntryUrl, REPLACING_ENTRY } from './guards';

if (__TARGET__ === 'chrome' && window.top === window) {
  const own = ownEntryUrl(location.href);
  if (own !== null) {
    document.documentElement.dataset.entry = REPLACING_ENTRY;
    location.replace(own);
  }
}
