/**
 * The interstitial: a declarativeNetRequest rule sends a banned site here with
 * the original address in the fragment, before any request reaches the site,
 * and the key of the verdict table it was built with in the query
 * (src/core/verdict-table.ts). The page draws the warning from that table,
 * read from storage alongside the language setting, so a background stopped
 * (Chrome) or suspended (Firefox) while the browser sat idle is not started
 * before the warning shows. Without a table of that key it asks the
 * background, as every later step (proceed, the device question, the log)
 * does. The table is read only from the area content scripts cannot reach
 * (src/platform/storage-access.ts): storage.local in Chrome, storage.session
 * in Firefox, where storage.local is open to them.
 */
import { browser } from '../../platform/browser';
import { verdictTableArea, verdictTableAreaName } from '../../platform/storage-access';
import { sendMessage } from '../../platform/messaging';
import { lookupVerdict, VERDICT_KEY_PARAM, type VerdictTable } from '../../core/verdict-table';
import { localizeDocument, translate, uiLanguageOf, uiLanguageSettingOf } from '../../shared/i18n';
import type { VerdictPage, VerdictResponse } from '../../shared/protocol';
import { SETTINGS_KEY, VERDICT_TABLE_KEY } from '../../shared/storage-keys';
import { closeDisclosureOnEscape } from '../shared/escape-closes';
import { ARRIVAL_PARAM, arrivalOf } from '../../shared/arrival';
import { pageI18nFor } from '../shared/page-i18n';
import type { RenderContext } from './dom';
import { blockedUrlFromHash, isCheckable, matchedTarget } from './guards';
import { claimOwnEntry } from './own-entry';
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

type Loaded = { state: PageState; response: VerdictResponse | null; error: string; from: 'table' | 'background' };

const isTable = (value: unknown): value is VerdictTable<VerdictPage> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { key?: unknown }).key === 'string' &&
  Array.isArray((value as { services?: unknown }).services) &&
  typeof (value as { verdicts?: unknown }).verdicts === 'object' &&
  typeof (value as { page?: unknown }).page === 'object';

/**
 * The verdict from the table the redirect named, or null to ask the
 * background: no key, a table built since (another key), or an address the
 * table holds no verdict for (a proceed exception's service, say).
 */
function verdictFromTable(table: unknown, key: string | null, raw: string): Loaded | null {
  if (key === null || !isCheckable(raw) || !isTable(table) || table.key !== key) return null;
  const found = lookupVerdict(table, raw);
  return found === null ? null : { state: 'stopped', response: { ...found, exceptionExpiresAt: null, exceptionSigned: false }, error: '', from: 'table' };
}

async function loadVerdict(raw: string): Promise<Loaded> {
  const from = 'background';
  if (!isCheckable(raw)) return { state: 'unchecked', response: null, error: '', from };
  try {
    const response = await sendMessage('getVerdict', { url: raw });
    // The background could not check it either (not http(s), say).
    if (response.verdict.href === null) return { state: 'unchecked', response, error: '', from };
    return { state: isStopping(response.verdict) ? 'stopped' : 'none', response, error: '', from };
  } catch (error) {
    return { state: 'failed', response: null, error: error instanceof Error ? error.message : String(error), from };
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
        renderStopped(page, response, raw, ctx, (context) => answerDevice(raw, context), new Date(), arrivalOf(new URLSearchParams(location.search).get(ARRIVAL_PARAM)));
        // For the local activity log (kept on this device; the background
        // checks the policy again and whether the log is on).
        // document.referrer: the page the navigation came from, when the browser says (the log keeps its origin only).
        void sendMessage('recordWarningShown', { url: raw, ...(document.referrer ? { initiator: document.referrer } : {}) }).catch(() => undefined);
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
  // Chromium: this history entry becomes the page's own before anything else, so
  // Reload, Back and Forward come back here (own-entry.ts, which the top of the
  // page has usually run already). A document being replaced is left alone: it
  // is never drawn, and must not log a warning.
  if (claimOwnEntry()) return;
  document.documentElement.dataset.entry = 'own';
  const raw = blockedUrlFromHash(location.hash);
  const key = new URLSearchParams(location.search).get(VERDICT_KEY_PARAM);
  // The language and the verdict table, read at once; neither read wakes the background.
  // Chrome: one read of storage.local, closed to content scripts. Firefox lets content
  // scripts, which run inside web pages, write storage.local (it has no access level to
  // close it), so a table there could be a page's forgery with its own links and words:
  // the table is read from storage.session, which they cannot reach, beside the settings.
  const tableInLocal = verdictTableAreaName() === 'local';
  const keys = tableInLocal ? [SETTINGS_KEY, VERDICT_TABLE_KEY] : [SETTINGS_KEY];
  const stored: Promise<Record<string, unknown>> = browser.storage.local.get(keys).catch(() => ({}));
  const tables: Promise<Record<string, unknown>> = tableInLocal ? stored : verdictTableArea().get(VERDICT_TABLE_KEY).catch(() => ({}));
  const verdict = tables.then((s) => verdictFromTable(s[VERDICT_TABLE_KEY], key, raw) ?? loadVerdict(raw));
  // The language chosen on the options page, else the browser's.
  const { api } = await pageI18nFor(uiLanguageSettingOf((await stored)[SETTINGS_KEY]));
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
  const { state, response, error, from } = await verdict;
  render(page, raw, state, response, error);
  // Where the verdict came from, for the end-to-end tests: the table the redirect named, or the background.
  document.documentElement.dataset.verdictFrom = from;
  page.main.removeAttribute('aria-busy');
  // When the warning is complete, for `npm run bench` (bench/warning.ts) and the browser's own profiler.
  performance.mark('interstitial-rendered');
}

void start();
