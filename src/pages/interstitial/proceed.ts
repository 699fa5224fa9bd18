/**
 * The way forward past a warn/block: secondary, behind a details section, and
 * deliberate (an acknowledgement first). It only ever navigates to the http(s)
 * address the background's decision matched.
 */
import type { VerdictResponse } from '../../shared/protocol';
import type { VerdictView } from '../../core/verdict-view';
import { sendMessage } from '../../platform/messaging';
import { el, formatClock, type RenderContext } from './dom';
import { matchedTarget, needsNotForWork } from './guards';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function alertRegion(): HTMLElement {
  return el('p', { className: 'alert', attrs: { role: 'alert' } });
}

export function renderWayForward(response: VerdictResponse, rawUrl: string, ctx: RenderContext): HTMLElement {
  const { verdict } = response;
  if (!verdict.proceedAllowed) {
    return el('section', { className: 'proceed proceed-off' }, el('p', { text: ctx.t('interstitialProceedOff') }));
  }
  if (response.exceptionExpiresAt !== null) return renderException(verdict, response.exceptionExpiresAt, ctx);
  return renderProceed(verdict, response.proceedMinutes, rawUrl, ctx);
}

/** The person already proceeded (in another tab): say until when, and let them continue. */
function renderException(verdict: VerdictView, expiresAt: number, ctx: RenderContext): HTMLElement {
  const alert = alertRegion();
  const button = el('button', {
    id: 'continue-button',
    className: 'button-secondary',
    text: ctx.t('interstitialContinue'),
    attrs: { type: 'button' },
  });
  button.addEventListener('click', () => {
    const target = matchedTarget(verdict.href ?? '', verdict.href);
    if (target) location.replace(target);
    else alert.textContent = ctx.t('interstitialUnexpectedUrl');
  });
  return el(
    'section',
    { className: 'proceed proceed-exception' },
    el('p', { text: ctx.t('interstitialExceptionActive', [formatClock(expiresAt, ctx.lang)]) }),
    el('div', { className: 'proceed-actions' }, button),
    alert,
  );
}

function renderProceed(verdict: VerdictView, minutes: number, rawUrl: string, ctx: RenderContext): HTMLElement {
  const { t } = ctx;
  const ack = el('input', { id: 'proceed-ack', attrs: { type: 'checkbox' } });
  const ackLabel = el('label', {
    text: t(needsNotForWork(verdict) ? 'interstitialAckNotForWork' : 'interstitialAckResponsibility'),
    attrs: { for: 'proceed-ack' },
  });
  const button = el('button', {
    id: 'proceed-button',
    className: 'button-secondary',
    text: minutes === 1 ? t('interstitialProceedButtonOne') : t('interstitialProceedButton', [String(minutes)]),
    attrs: { type: 'button' },
  });
  button.disabled = true;
  const alert = alertRegion();

  ack.addEventListener('change', () => {
    button.disabled = !ack.checked;
  });
  // Space toggles a checkbox natively; people who press Enter expect the same here.
  ack.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      ack.click();
    }
  });
  // While the request runs the button stays enabled (disabling it would drop
  // keyboard focus to the page); a flag ignores repeated presses instead.
  let pending = false;
  button.addEventListener('click', async () => {
    if (!ack.checked || pending) return;
    pending = true;
    button.setAttribute('aria-busy', 'true');
    alert.textContent = '';
    try {
      const reply = await sendMessage('proceedAnyway', { url: rawUrl, acknowledged: true });
      const target = matchedTarget(reply.url, verdict.href);
      if (target) {
        location.replace(target);
        return;
      }
      alert.textContent = t('interstitialUnexpectedUrl');
    } catch (error) {
      alert.textContent = t('interstitialProceedFailed', [errorText(error)]);
    } finally {
      pending = false;
      button.removeAttribute('aria-busy');
    }
  });

  return el(
    'details',
    { id: 'proceed-details', className: 'proceed' },
    el('summary', { text: t('interstitialProceedSummary') }),
    el(
      'div',
      { className: 'proceed-body' },
      el('p', { text: t('interstitialProceedExplain') }),
      el('p', { className: 'ack' }, ack, ' ', ackLabel),
      el('div', { className: 'proceed-actions' }, button),
      alert,
    ),
  );
}
