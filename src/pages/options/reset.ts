/**
 * Reset: the user's settings, custom policies and activity log go back to
 * the start. An administrator's policy is not the user's to reset, and stays,
 * with what it holds: forced or locked profiles, and a log it keeps.
 */
import { sendMessage } from '../../platform/messaging';
import { byId, errorText } from '../shared/dom';
import { pickText } from '../../shared/i18n';
import { joinList, lang, t } from '../shared/page-text';

export function setUpReset(done: () => void): void {
  const button = byId('reset', HTMLButtonElement);
  const status = byId('reset-status', HTMLElement);
  button.addEventListener('click', async () => {
    if (!window.confirm(t('optionsResetConfirm'))) return;
    button.disabled = true;
    status.textContent = '';
    try {
      const { keptNames, keptLog } = await sendMessage('resetAll', { confirmed: true });
      // What the administrator's policy holds is not reset: say what stayed, by organization name.
      const kept = [...keptNames.map((name) => pickText(name, lang)), ...(keptLog ? [t('optionsResetKeptLog')] : [])];
      status.textContent = kept.length === 0 ? t('optionsResetDone') : t('optionsResetDoneKept', [joinList(kept)]);
      done();
    } catch (error) {
      status.textContent = t('optionsResetFailed', [errorText(error)]);
    } finally {
      button.disabled = false;
    }
  });
}
