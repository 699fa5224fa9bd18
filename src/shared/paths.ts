/** Paths of the extension's own pages, as the build emits them. */
export const INTERSTITIAL_PATH = 'src/pages/interstitial/index.html';
export const OPTIONS_PATH = 'src/pages/options/index.html';
export const POPUP_PATH = 'src/pages/popup/index.html';

/**
 * The interstitial at the extension's own, lasting origin (chrome-extension://
 * <extension id>, moz-extension://<uuid>): the origin of the page or worker
 * asking, not runtime.getURL. Why: src/background/rules.ts.
 */
export function lastingInterstitialUrl(): string {
  return new URL(INTERSTITIAL_PATH, `${globalThis.location.origin}/`).href;
}
