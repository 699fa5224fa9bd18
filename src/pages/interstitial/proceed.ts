/**
 * The way forward past a warn/block: secondary, behind a details section, and
 * deliberate (an acknowledgement first). It only ever navigates to the http(s)
 * address the background's decision matched.
 */
import type { VerdictResponse } from '../../shared/protocol';
import { responsibilityKey } from '../../shared/verdict-text';
import type { VerdictView } from '../../core/verdict-view';
import { sendMessage } from '../../platform/messaging';
import { MAX_JUSTIFICATION } from '../../shared/activity-log';
import { el, formatClock, type RenderContext } from './dom';
import { dateTimeFormat } from '../../shared/intl-formats';
import { requiredStatement } from '../../core/lowering-gate';
import { matchedTarget, justificationText } from './guards';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function alertRegion(): HTMLElement {
  return el('p', { className: 'alert', attrs: { role: 'alert' } });
}

export function renderWayForward(response: VerdictResponse, rawUrl: string, ctx: RenderContext): HTMLElement {
  const { verdict } = response;
  // An exception standing (a signed one stands where proceeding is off) lets the person continue.
  if (response.exceptionExpiresAt !== null) return renderException(verdict, response.exceptionExpiresAt, response.exceptionSigned, ctx);
  if (!verdict.proceedAllowed) {
    return el('section', { className: 'proceed proceed-off' }, el('p', { text: ctx.t('interstitialProceedOff') }));
  }
  return renderProceed(response, rawUrl, ctx);
}

/** The person already proceeded (in another tab): say until when, and let them continue. */
function renderException(verdict: VerdictView, expiresAt: number, signed: boolean, ctx: RenderContext): HTMLElement {
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
    // An approver's exception can run for months: its end is a date, not only a time of day.
    el('p', {
      text: signed
        ? ctx.t('interstitialSignedActive', [dateTimeFormat(ctx.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(expiresAt)])
        : ctx.t('interstitialExceptionActive', [formatClock(expiresAt, ctx.lang)]),
    }),
    el('div', { className: 'proceed-actions' }, button),
    alert,
  );
}

/**
 * An administrator may require a short reason before proceeding: a required
 * text box, kept only in the local activity log.
 */
function renderJustification(ctx: RenderContext): { box: HTMLElement; input: HTMLTextAreaElement } {
  const input = el('textarea', {
    id: 'proceed-reason',
    className: 'reason-input',
    attrs: {
      rows: '3',
      maxlength: String(MAX_JUSTIFICATION),
      required: '',
      'aria-required': 'true',
      'aria-describedby': 'proceed-reason-hint proceed-reason-count',
    },
  });
  const count = el('span', { id: 'proceed-reason-count', className: 'reason-count', attrs: { 'aria-live': 'polite' } });
  const showCount = () => {
    count.textContent = ctx.t('interstitialReasonCount', [String(input.value.length), String(MAX_JUSTIFICATION)]);
  };
  input.addEventListener('input', showCount);
  showCount();
  const box = el(
    'div',
    { className: 'reason' },
    el('label', { className: 'reason-label', text: ctx.t('interstitialReasonLabel'), attrs: { for: 'proceed-reason' } }),
    el('p', { id: 'proceed-reason-hint', className: 'reason-hint', text: ctx.t('interstitialReasonHint') }),
    input,
    count,
  );
  return { box, input };
}

function renderProceed(response: VerdictResponse, rawUrl: string, ctx: RenderContext): HTMLElement {
  const { t } = ctx;
  const { verdict, proceedMinutes: minutes } = response;
  // What the strictest stopping rule asks; the background requires the same (core/lowering-gate.ts).
  const statement = requiredStatement(verdict) ?? 'responsibility';
  const ack = el('input', { id: 'proceed-ack', attrs: { type: 'checkbox' } });
  const ackLabel = el('label', {
    text: t(statement === 'not-for-work' ? 'interstitialAckNotForWork' : responsibilityKey(verdict.citations)),
    attrs: { for: 'proceed-ack' },
  });
  const reason = response.requireJustification ? renderJustification(ctx) : null;
  const button = el('button', {
    id: 'proceed-button',
    className: 'button-secondary',
    text: minutes === 1 ? t('interstitialProceedButtonOne') : t('interstitialProceedButton', [String(minutes)]),
    attrs: { type: 'button' },
  });
  button.disabled = true;
  const alert = alertRegion();

  const ready = () => ack.checked && (reason === null || justificationText(reason.input.value) !== null);
  const update = () => {
    button.disabled = !ready();
  };
  ack.addEventListener('change', update);
  reason?.input.addEventListener('input', update);
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
    if (!ready() || pending) return;
    pending = true;
    button.setAttribute('aria-busy', 'true');
    alert.textContent = '';
    const justification = reason ? (justificationText(reason.input.value) ?? undefined) : undefined;
    try {
      const reply = await sendMessage('proceedAnyway', {
        url: rawUrl,
        acknowledged: true,
        statement,
        ...(justification !== undefined ? { justification } : {}),
        ...(document.referrer ? { initiator: document.referrer } : {}),
      });
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
      reason?.box,
      el('div', { className: 'proceed-actions' }, button),
      alert,
    ),
  );
}
