/**
 * Who may send each message. Every kind names the contexts it is accepted
 * from; anything else is refused by the background before a handler runs.
 *
 * The content script runs inside pages of banned sites: a compromised page
 * process can send whatever the content script can, so it is allowed only
 * what it needs: the verdict for its page, its own note before a profile
 * is chosen, and sending its own tab to the warning when the background finds
 * the page stopped, none of which changes a rule, a profile or the log. The interstitial is web-accessible (a site can load
 * it in a frame, or open it in a loop): framed, it may only read a verdict,
 * as it renders; only in its own top frame may it proceed or log a warning.
 * Pure and zod-free: the table is unit-tested as data.
 */
import type { MessageKind } from './protocol';
import { INTERSTITIAL_PATH, OPTIONS_PATH, POPUP_PATH } from './paths';

/** Where a message came from, as far as the browser tells us. */
export type SenderContext =
  | 'popup'
  | 'options'
  | 'interstitial'
  /** The interstitial inside a frame of some other page. */
  | 'interstitial-frame'
  /** The content script, in the top frame of a catalog site. */
  | 'content'
  /**
   * Another document of the extension's own origin in a top frame, one that
   * is none of its pages and runs no script of ours (manifest.json, opened by
   * hand or by `npm run bench`). Sites cannot load such documents (only the
   * interstitial is web-accessible), so it may read the profile list.
   */
  | 'extension-document'
  /** Anything else: another extension page, a sub-frame, an unexpected shape. */
  | 'unknown';

const OPTIONS: readonly SenderContext[] = ['options'];
const SETTINGS_PAGES: readonly SenderContext[] = ['popup', 'options'];

export const MESSAGE_SENDERS: { readonly [K in MessageKind]: readonly SenderContext[] } = {
  // The popup asks about the current tab, the content script about its own page,
  // the interstitial (framed or not) about the address it stands in for.
  getVerdict: ['popup', 'interstitial', 'interstitial-frame', 'content'],
  proceedAnyway: ['interstitial'],
  recordWarningShown: ['interstitial'],
  getProfiles: ['popup', 'options', 'extension-document'],
  setProfileEnabled: SETTINGS_PAGES,
  getSettings: SETTINGS_PAGES,
  updateSettings: OPTIONS,
  // The warning page's one-click "Is this a work device?", in its own top frame;
  // the options page sets the same through updateSettings.
  setDeviceContext: ['interstitial'],
  dismissStorageNotice: SETTINGS_PAGES,
  getManagedPolicy: OPTIONS,
  getOrganizationDetails: OPTIONS,
  importCustomPolicies: OPTIONS,
  exportCustomPolicies: OPTIONS,
  removeCustomOrganization: OPTIONS,
  getActivityLog: OPTIONS,
  clearActivityLog: OPTIONS,
  resetAll: OPTIONS,
  getExceptions: SETTINGS_PAGES,
  endException: SETTINGS_PAGES,
  getPreconnectStatus: SETTINGS_PAGES,
  getEnforcementStatus: SETTINGS_PAGES,
  setPreventPreconnect: OPTIONS,
  // The note on a catalog site before any profile is chosen (the content script's
  // own): whether to show it, "Don't show this again", and "Choose yours".
  getProfileHint: ['content'],
  turnOffProfileHint: ['content'],
  openProfileList: ['content'],
  // The device code and the pasted exceptions: never to a site (not framed, not the content script).
  getSignedExceptions: ['popup', 'options', 'interstitial'],
  // A signed exception changes what stops a page, so only the person's own pages may hand
  // one over: the options page, or the warning in its own top frame, never the content script
  // or a framed warning a site could drive. The token itself is checked against the policy's keys.
  applyExceptionToken: ['options', 'interstitial'],
  // "I have read this version": the person's own answer, in the warning's top frame or the popup.
  acknowledgeNotice: ['interstitial', 'popup'],
  // Raises only: the content script's own tab goes to the warning, and only when the
  // background itself decides that its page is stopped. It lowers nothing.
  sendTabToWarning: ['content'],
};

/** What the browser says about a message's sender (runtime.MessageSender, the parts used). */
export interface SenderFacts {
  id?: string;
  url?: string;
  /** Set when the sender is in a tab; the popup has none. */
  tab?: unknown;
  /** 0 for a tab's top frame. */
  frameId?: number;
}

const PAGES: readonly [string, SenderContext][] = [
  [POPUP_PATH, 'popup'],
  [OPTIONS_PATH, 'options'],
  [INTERSTITIAL_PATH, 'interstitial'],
];

/**
 * Classifies a sender. `extensionBase` is runtime.getURL('') (with its
 * trailing slash). `sender.origin` is never used: Firefox omits it.
 */
export function senderContext(sender: SenderFacts, extensionId: string, extensionBase: string): SenderContext {
  if (sender.id !== extensionId || typeof sender.url !== 'string') return 'unknown';
  // In a tab, the browser says which frame; the popup is in no tab and has no frames of ours.
  const inTab = sender.tab !== undefined && sender.tab !== null;
  const topFrame = inTab ? sender.frameId === 0 : sender.frameId === undefined || sender.frameId === 0;
  if (!sender.url.startsWith(extensionBase)) {
    // A web page cannot reach runtime.onMessage (no externally_connectable):
    // a sender outside the extension's origin is the content script, in a tab.
    return inTab && sender.frameId === 0 ? 'content' : 'unknown';
  }
  const path = sender.url.slice(extensionBase.length).split(/[?#]/, 1)[0] ?? '';
  const page = PAGES.find(([p]) => p === path)?.[1];
  if (page === undefined) return topFrame && path.endsWith('.json') ? 'extension-document' : 'unknown';
  if (topFrame) return page;
  return page === 'interstitial' ? 'interstitial-frame' : 'unknown';
}

export function isAllowedSender(kind: MessageKind, context: SenderContext): boolean {
  return MESSAGE_SENDERS[kind].includes(context);
}
