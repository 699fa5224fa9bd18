/**
 * "Sites you chose to open": the proceed exceptions running now, each with
 * when it ends, what the person confirmed, and an End now button. Shared by
 * the popup and the options page. Ending one is done by the background, which
 * rebuilds the rules and sends open tabs on the site back to the warning.
 */
import { browser } from '../../platform/browser';
import { sendMessage } from '../../platform/messaging';
import type { ExceptionView } from '../../shared/protocol';
import { EXCEPTIONS_KEY } from '../../shared/storage-keys';
import { el, errorText } from './dom';
import { formatClock, lang, t } from './page-text';
import { serviceName } from '../../shared/service-name';

/** The service's name in the page's language (딥시크 on a Korean page). */
const nameOf = (view: ExceptionView): string => serviceName({ name: view.serviceName, nameKo: view.serviceNameKo }, lang);

const STATEMENT_KEYS = {
  'not-for-work': 'interstitialAckNotForWork',
  responsibility: 'interstitialAckResponsibility',
} as const;

/** setTimeout fires at once for delays past 2^31 - 1 ms. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface ExceptionListOptions {
  /** The popup shows the section only while something is open; the options page always. */
  hideWhenEmpty: boolean;
}

/**
 * `section` holds a heading (its id in aria-labelledby); the list, the empty
 * line and a status line for what was ended are drawn after it.
 */
export function mountExceptionList(section: HTMLElement, options: ExceptionListOptions): { refresh(): Promise<void> } {
  const list = el('ul', { className: 'exception-list plain-list', attrs: { 'aria-labelledby': section.getAttribute('aria-labelledby') ?? '' } });
  const empty = el('p', { className: 'exception-empty field-hint', text: t('exceptionsNone'), hidden: true });
  const error = el('p', { className: 'field-error', attrs: { role: 'alert' } });
  const status = el('p', { className: 'field-status-line', attrs: { role: 'status' } });
  section.append(list, empty, error, status);
  const heading = section.querySelector('h2');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  function item(view: ExceptionView): HTMLLIElement {
    const end = el('button', {
      className: 'button-secondary exception-end',
      text: t('exceptionsEndNow'),
      attrs: { type: 'button', 'aria-label': t('exceptionsEndNowLabel', [nameOf(view)]), 'data-service-id': view.serviceId },
    });
    end.addEventListener('click', () => void endNow(view, end));
    return el(
      'li',
      { className: 'exception-item', attrs: { 'data-service-id': view.serviceId } },
      el('p', { className: 'exception-head' }, el('span', { className: 'exception-service', text: nameOf(view) }), ' ', el('span', {
        className: 'exception-until',
        text: t('exceptionsUntil', [formatClock(view.expiresAt)]),
      })),
      view.statement !== null &&
        el('p', { className: 'exception-statement', text: t('exceptionsStatement', [t(view.statement === 'responsibility' && view.limitedOnly ? 'interstitialAckResponsibilityLimit' : STATEMENT_KEYS[view.statement])]) }),
      view.justification !== null && el('p', { className: 'exception-reason', text: t('exceptionsReason', [view.justification]) }),
      end,
    );
  }

  async function endNow(view: ExceptionView, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    error.textContent = '';
    try {
      await sendMessage('endException', { serviceId: view.serviceId });
      status.textContent = t('exceptionsEnded', [nameOf(view)]);
      await refresh();
      // The button is gone: keep the keyboard in the list, or on its heading.
      const next = list.querySelector<HTMLButtonElement>('button.exception-end');
      if (next) next.focus();
      else if (heading) {
        if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
        heading.focus();
      }
    } catch (failure) {
      error.textContent = t('exceptionsEndFailed', [errorText(failure)]);
      button.disabled = false;
    }
  }

  async function refresh(): Promise<void> {
    const run = ++latest;
    let exceptions: ExceptionView[];
    try {
      exceptions = (await sendMessage('getExceptions', {})).exceptions;
    } catch (failure) {
      if (run !== latest) return;
      error.textContent = t('exceptionsLoadFailed', [errorText(failure)]);
      return;
    }
    if (run !== latest) return;
    list.replaceChildren(...exceptions.map(item));
    empty.hidden = exceptions.length > 0;
    section.hidden = options.hideWhenEmpty && exceptions.length === 0;
    clearTimeout(timer);
    const next = Math.min(...exceptions.map((e) => e.expiresAt));
    // Redrawn when the next one runs out (the background retires it a moment later).
    if (Number.isFinite(next)) timer = setTimeout(() => void refresh(), Math.min(Math.max(0, next - Date.now()) + 1_000, MAX_DELAY_MS));
  }

  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && EXCEPTIONS_KEY in changes) void refresh();
  });
  return { refresh };
}
