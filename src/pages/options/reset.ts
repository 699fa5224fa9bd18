/**
 * Reset: the user's settings, custom policies and activity log go back to
 * the start. An administrator's policy is not the user's to reset, and stays.
 */
import { sendMessage } from '../../platform/messaging';
import { byId, errorText } from '../shared/dom';
import { t } from '../shared/page-text';

export function setUpReset(done: () => void): void {
  const button = byId('reset', HTMLButtonElement);
  const status = byId('reset-status', HTMLElement);
  button.addEventListener('click', async () => {
    if (!window.confirm(t('optionsResetConfirm'))) return;
    button.disabled = true;
    status.textContent = '';
    try {
      await sendMessage('resetAll', { confirmed: true });
      status.textContent = t('optionsResetDone');
      done();
    } catch (error) {
      status.textContent = t('optionsResetFailed', [errorText(error)]);
    } finally {
      button.disabled = false;
    }
  });
}
