/**
 * The interstitial: a declarativeNetRequest rule sends a banned site here with
 * the original address in the fragment, before any request reaches the site.
 */
import { browser } from '../../platform/browser';
import { sendMessage } from '../../platform/messaging';
import { localizeDocument, translate, uiLanguageOf } from '../../shared/i18n';
import type { VerdictResponse } from '../../shared/protocol';
import { closeDisclosureOnEscape } from '../shared/escape-closes';
import { loadPageI18n } from '../shared/page-i18n';
import type { RenderContext } from './dom';
import { blockedUrlFromHash, isCheckable, matchedTarget } from './guards';
import {
  findPage,
  isStopping,
  renderFailed,
  renderFramed,
  renderNoRestriction,
  renderStopped,
  renderUnchecked,
  type Page,
  type PageState,
} from './render';

let ctx: RenderContext = {
  lang: uiLanguageOf(browser.i18n),
  t: (key, substitutions) => translate(browser.i18n, key, substitutions),
};

async function closeTab(): Promise<void> {
  try {
    const tab = await browser.tabs.getCurrent();
    if (tab?.id !== undefined) {
      await browser.tabs.remove(tab.id);
      return;
    }
  } catch {
    // Not in a tab (or the API refused): the window itself may still close.
  }
  window.close();
}

function setUpGoBack(): void {
  const button = document.getElementById('go-back');
  if (!(button instanceof HTMLButtonElement)) return;
  // A tab opened straight onto a banned site has nowhere to go back to.
  const canGoBack = history.length > 1;
  button.textContent = ctx.t(canGoBack ? 'interstitialGoBack' : 'interstitialCloseTab');
  button.addEventListener('click', () => {
    if (canGoBack) history.back();
    else void closeTab();
  });
  button.focus();
}

async function loadVerdict(raw: string): Promise<{ state: PageState; response: VerdictResponse | null; error: string }> {
  if (!isCheckable(raw)) return { state: 'unchecked', response: null, error: '' };
  try {
    const response = await sendMessage('getVerdict', { url: raw });
    // The background could not check it either (not http(s), say).
    if (response.verdict.href === null) return { state: 'unchecked', response, error: '' };
    return { state: isStopping(response.verdict) ? 'stopped' : 'none', response, error: '' };
  } catch (error) {
    return { state: 'failed', response: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The person says where this browser is. The background rebuilds its rules
 * before it answers; if the site is no longer stopped, the tab goes on to the
 * address the decision matched (never anything else), else the page redraws.
 */
async function answerDevice(raw: string, context: 'work' | 'personal'): Promise<void> {
  await sendMessage('setDeviceContext', { deviceContext: context });
  const response = await sendMessage('getVerdict', { url: raw });
  const target = matchedTarget(response.verdict.href ?? '', response.verdict.href);
  if (!isStopping(response.verdict) && target !== null) location.replace(target);
  else location.reload();
}

function render(page: Page, raw: string, state: PageState, response: VerdictResponse | null, error: string): void {
  if (window.top !== window) {
    renderFramed(page, state, response?.verdict ?? null, ctx);
    return;
  }
  switch (state) {
    case 'stopped':
      if (response) {
        renderStopped(page, response, raw, ctx, (context) => answerDevice(raw, context));
        // For the local activity log (kept on this device; the background
        // checks the policy again and whether the log is on).
        void sendMessage('recordWarningShown', { url: raw }).catch(() => undefined);
      }
      break;
    case 'none':
      renderNoRestriction(page, response?.verdict.href ?? raw, ctx);
      break;
    case 'failed':
      renderFailed(page, raw, error, ctx);
      break;
    case 'unchecked':
      renderUnchecked(page, raw, ctx);
      break;
  }
}

async function start(): Promise<void> {
  const raw = blockedUrlFromHash(location.hash);
  // Ask for the verdict at once, beside the language lookup rather than after
  // it: the warning is drawn when both are in, one round trip sooner.
  const verdict = loadVerdict(raw);
  // The language chosen on the options page, else the browser's.
  const { api } = await loadPageI18n();
  ctx = { lang: uiLanguageOf(api), t: (key, substitutions) => translate(api, key, substitutions) };
  localizeDocument(api);
  const page = findPage(document);
  if (window.top === window) {
    setUpGoBack();
    closeDisclosureOnEscape();
  } else {
    // Embedded in another page: no Go back (it would move the outer page) and no way forward.
    document.documentElement.classList.add('framed');
    document.querySelector('.actions')?.remove();
  }
  // A later redirect to this page for another address may only change the fragment.
  window.addEventListener('hashchange', () => location.reload());
  const { state, response, error } = await verdict;
  render(page, raw, state, response, error);
  page.main.removeAttribute('aria-busy');
  // When the warning is complete, for `npm run bench` (bench/warning.ts) and the browser's own profiler.
  performance.mark('interstitial-rendered');
}

void start();
