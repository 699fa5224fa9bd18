/**
 * "Is this a work device?", asked where the answer decides the outcome: a
 * rule scoped to an organization's network or computers stops the page as
 * written until the person says where this browser is. One click answers it;
 * an administrator's answer is never offered for change, nor is the question
 * where the administrator's policy limits proceeding and holds it at "not said".
 */
import type { DeviceContext } from '../../core/device-context';
import type { VerdictResponse } from '../../shared/protocol';
import { el, type RenderContext } from './dom';

/** Stores the answer and shows what it changes; rejects with a reason to show. */
export type AnswerDevice = (context: Exclude<DeviceContext, 'unsaid'>) => Promise<void>;

export function needsDeviceQuestion(response: VerdictResponse): boolean {
  if (response.deviceContext !== 'unsaid' || response.deviceContextLocked) return false;
  return response.verdict.citations.some((c) => c.rules.some((r) => r.applies === 'unsaid'));
}

/** A rule here depends on where this browser is, and the policy holds that at "not said". */
function deviceHeldHere(response: VerdictResponse): boolean {
  return response.deviceContextHeld && response.verdict.citations.some((c) => c.rules.some((r) => r.applies === 'unsaid'));
}

export function renderDeviceQuestion(response: VerdictResponse, ctx: RenderContext, answer: AnswerDevice): HTMLElement | null {
  if (deviceHeldHere(response)) {
    // No way out is offered: the policy limits proceeding and only the administrator can say where this browser is.
    return el('section', { id: 'device-held', className: 'device-question' }, el('p', { text: ctx.t('interstitialDeviceHeld') }));
  }
  if (!needsDeviceQuestion(response)) return null;
  const alert = el('p', { className: 'alert', attrs: { role: 'alert' } });
  const button = (id: string, key: string, context: Exclude<DeviceContext, 'unsaid'>) => {
    const node = el('button', { id, className: 'button-secondary', text: ctx.t(key), attrs: { type: 'button' } });
    node.addEventListener('click', () => {
      for (const b of buttons) b.disabled = true;
      alert.textContent = '';
      answer(context).catch((error: unknown) => {
        alert.textContent = ctx.t('deviceSaveFailed', [error instanceof Error ? error.message : String(error)]);
        for (const b of buttons) b.disabled = false;
      });
    });
    return node;
  };
  const buttons = [
    button('device-work', 'interstitialDeviceWork', 'work'),
    button('device-personal', 'interstitialDevicePersonal', 'personal'),
  ];
  return el(
    'section',
    { id: 'device-question', className: 'device-question', attrs: { 'aria-labelledby': 'device-question-text' } },
    el('p', { id: 'device-question-text', text: ctx.t('interstitialDeviceAsk') }),
    el('div', { className: 'device-actions' }, ...buttons),
    alert,
  );
}
