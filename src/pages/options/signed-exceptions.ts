/**
 * "Exceptions your organization approved" on the options page: this
 * browser's device code, the box to paste a signed exception into, and
 * every exception pasted here with what it grants and whether it stands.
 */
import { sendMessage } from '../../platform/messaging';
import { byId, el, errorText } from '../shared/dom';
import { formatDateTime, t } from '../shared/page-text';
import { mountTokenForm, renderGrant } from '../shared/signed-exceptions';

/** Made once: a redraw for another reason must not wipe what is being pasted, or the answer shown. */
let form: HTMLElement | null = null;

export async function showSignedExceptions(): Promise<void> {
  const section = byId('signed', HTMLElement);
  const body = byId('signed-body', HTMLElement);
  try {
    const response = await sendMessage('getSignedExceptions', {});
    const code = el(
      'p',
      { className: 'device-code' },
      el('span', { className: 'field-label', text: t('signedDeviceCodeLabel') }),
      ' ',
      el('code', { id: 'device-code', text: response.deviceCode }),
    );
    form ??= mountTokenForm('signed', t, formatDateTime, () => void showSignedExceptions()).root;
    const list =
      response.grants.length > 0
        ? el('ul', { id: 'signed-list', className: 'grant-list' }, ...response.grants.map((g) => renderGrant(g, t, formatDateTime)))
        : el('p', { id: 'signed-none', className: 'muted', text: t('signedNone') });
    body.replaceChildren(
      el('p', { text: t('signedIntro') }),
      code,
      el('p', { className: 'muted', text: t('signedDeviceCodeHelp') }),
      response.approverKeys > 0 ? form : el('p', { id: 'signed-no-approvers', className: 'muted', text: t('signedNoApprovers') }),
      list,
    );
    section.removeAttribute('aria-busy');
  } catch (error) {
    body.replaceChildren(el('p', { className: 'error', text: t('signedLoadFailed', [errorText(error)]) }));
  }
}
