/**
 * Signed exceptions on the options page and the warning page: the form a
 * person pastes a token into, the background's answer, and what a token
 * grants. The background checks everything; this only shows its answer.
 */
import type { RefusalReason } from '../../core/exception-grant';
import { sendMessage } from '../../platform/messaging';
import type { ApplyTokenResponse, SignedExceptionView } from '../../shared/protocol';
import { el } from './dom';

export type Translate = (key: string, substitutions?: string[]) => string;

const REFUSAL_KEYS: Record<RefusalReason, string> = {
  malformed: 'signedRefusedMalformed',
  'no-approvers': 'signedRefusedNoApprovers',
  'unknown-key': 'signedRefusedUnknownKey',
  tampered: 'signedRefusedTampered',
  revoked: 'signedRefusedRevoked',
  'other-device': 'signedRefusedOtherDevice',
  expired: 'signedRefusedExpired',
  'unknown-service': 'signedRefusedUnknownService',
};

export const refusalKey = (reason: RefusalReason): string => REFUSAL_KEYS[reason];

/** Why a token that was accepted here no longer stands. */
function endedKey(reason: RefusalReason): string {
  if (reason === 'expired') return 'signedEndedExpired';
  if (reason === 'revoked') return 'signedEndedRevoked';
  if (reason === 'unknown-key' || reason === 'no-approvers') return 'signedEndedKeyRemoved';
  return refusalKey(reason);
}

/** What one token grants, until when, who approved it and why; and whether it still stands. */
export function renderGrant(grant: SignedExceptionView, t: Translate, formatDateTime: (ms: number) => string): HTMLElement {
  const facts = el('dl', { className: 'grant-facts' });
  const add = (label: string, value: string | Node) => facts.append(el('dt', { text: t(label) }), el('dd', {}, value));
  add('signedGrantServices', grant.services.map((s) => s.name).join(', '));
  add('signedGrantUntil', el('time', { text: formatDateTime(grant.until), attrs: { datetime: new Date(grant.until).toISOString() } }));
  add('signedGrantApprover', grant.approver);
  add('signedGrantReason', grant.reason);
  if (grant.keyName) add('signedGrantKey', grant.keyName);
  add('signedGrantToken', el('code', { text: grant.tokenId }));
  const status = grant.ended === null ? t('signedGrantActive') : t(endedKey(grant.ended));
  return el(
    'li',
    { className: `grant ${grant.ended === null ? 'grant-active' : 'grant-ended'}`, attrs: { 'data-token-id': grant.tokenId } },
    el('p', { className: 'grant-status', text: status }),
    facts,
  );
}

export interface TokenForm {
  root: HTMLElement;
}

/**
 * A text box and "Apply exception". `onAnswer` gets the background's answer
 * after the form has shown it (accepted: what it grants; refused: why).
 */
export function mountTokenForm(
  idPrefix: string,
  t: Translate,
  formatDateTime: (ms: number) => string,
  onAnswer: (answer: ApplyTokenResponse) => void,
): TokenForm {
  const input = el('textarea', {
    id: `${idPrefix}-token`,
    className: 'token-input',
    attrs: { rows: '3', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off' },
  });
  const button = el('button', { id: `${idPrefix}-apply`, className: 'button-secondary', text: t('signedApply'), attrs: { type: 'button' } });
  const status = el('p', { id: `${idPrefix}-status`, className: 'token-status', attrs: { role: 'status' } });
  button.addEventListener('click', async () => {
    const token = input.value.trim();
    if (token === '') return;
    button.disabled = true;
    status.dataset.result = 'checking';
    status.textContent = t('signedApplying');
    try {
      const answer = await sendMessage('applyExceptionToken', { token });
      if (answer.accepted) {
        status.dataset.result = 'accepted';
        status.textContent = t('signedAccepted', [answer.grant.services.map((s) => s.name).join(', '), formatDateTime(answer.grant.until)]);
        input.value = '';
      } else {
        status.dataset.result = answer.reason;
        status.textContent = t(refusalKey(answer.reason));
      }
      onAnswer(answer);
    } catch (error) {
      status.dataset.result = 'error';
      status.textContent = t('signedLoadFailed', [error instanceof Error ? error.message : String(error)]);
    } finally {
      button.disabled = false;
    }
  });
  const root = el(
    'div',
    { className: 'token-form' },
    el('label', { text: t('signedPasteLabel'), attrs: { for: input.id } }),
    input,
    el('div', { className: 'token-actions' }, button),
    status,
  );
  return { root };
}
