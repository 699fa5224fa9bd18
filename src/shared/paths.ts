/** Paths of the extension's own pages, as the build emits them. */
export const INTERSTITIAL_PATH = 'src/pages/interstitial/index.html';
export const OPTIONS_PATH = 'src/pages/options/index.html';
export const POPUP_PATH = 'src/pages/popup/index.html';
