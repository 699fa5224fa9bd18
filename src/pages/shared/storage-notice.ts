/**
 * The "your stored settings were unreadable, defaults were restored" banner.
 * The background keeps the notice until the person dismisses it, so it is
 * seen at least once even if the popup was closed in a hurry.
 */
import { sendMessage } from '../../platform/messaging';
import { el, errorText } from './dom';
import { t } from './page-text';

/** `returnFocusTo` receives the focus once the notice is dismissed (it would otherwise fall to <body>). */
export function renderStorageNotice(slot: HTMLElement, notice: string | null, returnFocusTo: HTMLElement): void {
  if (notice === null) {
    slot.replaceChildren();
    slot.hidden = true;
    return;
  }
  const dismiss = el('button', { className: 'button-secondary notice-dismiss', text: t('profilesStorageNoticeDismiss'), attrs: { type: 'button' } });
  const failure = el('p', { className: 'notice-error', hidden: true });
  // The detail is the background's technical English text, kept for IT admins.
  const detail = el(
    'p',
    { className: 'notice-detail' },
    t('profilesStorageNoticeDetail'),
    ' ',
    el('code', { lang: 'en', text: notice }),
  );
  const banner = el(
    'div',
    { className: 'storage-notice', attrs: { role: 'region', 'aria-labelledby': 'storage-notice-text' } },
    el('p', { id: 'storage-notice-text', className: 'notice-text', text: t('profilesStorageNotice') }),
    detail,
    failure,
    dismiss,
  );
  dismiss.addEventListener('click', async () => {
    dismiss.disabled = true;
    try {
      await sendMessage('dismissStorageNotice', {});
      slot.replaceChildren();
      slot.hidden = true;
      if (!returnFocusTo.hasAttribute('tabindex')) returnFocusTo.tabIndex = -1;
      returnFocusTo.focus();
    } catch (error) {
      failure.hidden = false;
      failure.textContent = t('profilesStorageNoticeDismissFailed', [errorText(error)]);
      dismiss.disabled = false;
    }
  });
  slot.replaceChildren(banner);
  slot.hidden = false;
}
