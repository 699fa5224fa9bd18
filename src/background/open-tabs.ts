/**
 * Re-checks tabs that are already open when the rules change: a tab on a
 * newly banned host goes to the interstitial, and every catalog tab's
 * content script re-evaluates (caution banners, expired exceptions).
 */
import { browser, type Tabs } from '../platform/browser';
import { activeException, type Decider } from '../core/decide';
import type { DecideOptions, ProceedException } from '../core/decision-types';
import { isStoppingLevel } from '../core/policy-enums';
import { interstitialUrl } from './rules';
import { RECHECK_MESSAGE } from '../shared/tab-messages';
import { ARRIVAL_PARAM } from '../shared/arrival';

function contentScriptFile(): string | null {
  const scripts = browser.runtime.getManifest().content_scripts;
  return scripts?.[0]?.js?.[0] ?? null;
}

async function ensureContentScript(tab: Tabs.Tab): Promise<void> {
  if (tab.id === undefined) return;
  try {
    await browser.tabs.sendMessage(tab.id, RECHECK_MESSAGE);
  } catch {
    // No content script yet: the tab was open before the extension was
    // installed or enabled. Inject the same bundle the manifest declares.
    const file = contentScriptFile();
    if (!file) return;
    await browser.scripting.executeScript({ target: { tabId: tab.id }, files: [file] }).catch(() => undefined);
  }
}

export async function recheckOpenTabs(
  decider: Decider,
  options: DecideOptions,
  exceptions: readonly ProceedException[],
): Promise<number> {
  const now = Date.now();
  // Without the "tabs" permission, only tabs on catalog hosts (our host
  // permissions) expose their URL, which is exactly the set we care about.
  const tabs = await browser.tabs.query({});
  let redirected = 0;
  await Promise.all(
    tabs.map(async (tab) => {
      if (tab.id === undefined || !tab.url) return;
      const decision = decider.decideForUrl(tab.url, options);
      if (!decision.url || decision.serviceId === null) return;
      const stopped = isStoppingLevel(decision.level);
      if (stopped && !activeException(exceptions, decision.serviceId, now)) {
        redirected += 1;
        await browser.tabs.update(tab.id, { url: `${interstitialUrl()}?${ARRIVAL_PARAM}=open-tab#${decision.url.href}` }).catch(() => undefined);
        return;
      }
      await ensureContentScript(tab);
    }),
  );
  return redirected;
}
