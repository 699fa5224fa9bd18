/**
 * The content script's backstop: a page of a stopped site that showed up in
 * its tab anyway (a single-page app's new address, a back/forward-cache
 * restore, an exception that ended while it was open) asks the background to
 * send the tab to the warning.
 *
 * The background navigates the tab itself, to the warning at the extension's
 * lasting address. The content script used to set `location` to
 * runtime.getURL, which there is the per-session dynamic address: the page
 * saw it in its Navigation API `navigate` event, could cancel it with
 * preventDefault() and stay on the banned site, and could then frame or fetch
 * the warning at that address. A navigation the browser starts (tabs.update)
 * is neither shown to the page nor cancellable by it.
 *
 * It only ever raises: the tab is the sender's own, the address must be of
 * the sender's own page's origin, and the background decides afresh that it
 * is stopped with no exception standing (a proceed or a signed one). In Chrome it also removes that
 * origin's service workers (a subdomain the catalog names nowhere).
 */
import { activeException } from '../core/decide';
import { isStoppingLevel } from '../core/policy-enums';
import { browser } from '../platform/browser';
import { ARRIVAL_PARAM } from '../shared/arrival';
import { lastingInterstitialUrl } from '../shared/paths';
import { decideOptions, loadEffectiveState } from './effective';
import { loadStandingExceptions } from './exceptions';
import type { HandlersFor } from './handler-types';
import { removePageWorkers } from './site-workers';

function originOf(href: string | undefined): string | null {
  if (href === undefined) return null;
  try {
    return new URL(href).origin;
  } catch {
    return null;
  }
}

export function warningHandlers(): HandlersFor<'sendTabToWarning'> {
  return {
    async sendTabToWarning({ url }, sender) {
      const tabId = sender.tab?.id;
      if (tabId === undefined || sender.frameId !== 0) throw new Error('sendTabToWarning: only a tab\'s own page may ask');
      const origin = originOf(url);
      if (origin === null || origin === 'null' || origin !== originOf(sender.url)) {
        throw new Error('sendTabToWarning: not the address of the page that asked');
      }
      const state = await loadEffectiveState();
      const { policies, effective } = state;
      const decision = policies.decider.decideForUrl(url, decideOptions(effective));
      if (!decision.url || !isStoppingLevel(decision.level)) return { sent: false };
      const now = Date.now();
      if (activeException(await loadStandingExceptions(state, now), decision.serviceId, now)) return { sent: false };
      // The page had loaded: the warning says so (src/shared/arrival.ts).
      await browser.tabs.update(tabId, { url: `${lastingInterstitialUrl()}?${ARRIVAL_PARAM}=in-page#${decision.url.href}` });
      await removePageWorkers(url).catch((error: unknown) => console.error('removing the page\'s service workers failed', error));
      return { sent: true };
    },
  };
}
