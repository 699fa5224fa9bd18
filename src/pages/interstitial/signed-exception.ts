/**
 * "Have an exception your organization approved?" on the warning: a
 * collapsed section where the person pastes the signed exception an
 * approver sent. Once the background has accepted it for this service, the
 * tab goes on to the address the decision matched, never anywhere else.
 */
import type { VerdictResponse } from '../../shared/protocol';
import { dateTimeFormat } from '../../shared/intl-formats';
import { mountTokenForm } from '../shared/signed-exceptions';
import { el, type RenderContext } from './dom';
import { matchedTarget } from './guards';

export function renderSignedException(response: VerdictResponse, ctx: RenderContext): HTMLElement {
  const { verdict } = response;
  const formatDateTime = (ms: number) => dateTimeFormat(ctx.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
  const note = el('p', { id: 'signed-note', className: 'alert', attrs: { role: 'alert' } });
  const form = mountTokenForm('signed', ctx.t, formatDateTime, (answer) => {
    if (!answer.accepted) return;
    if (!answer.grant.services.some((s) => s.id === verdict.service?.id)) {
      note.textContent = ctx.t('interstitialSignedNotThis');
      return;
    }
    const target = matchedTarget(verdict.href ?? '', verdict.href);
    if (target) location.replace(target);
  });
  return el(
    'details',
    { id: 'signed-exception', className: 'signed-exception' },
    el('summary', { text: ctx.t('interstitialSignedSummary') }),
    form.root,
    note,
  );
}
