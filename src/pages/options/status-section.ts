/**
 * "Enforcement status": what this browser enforces, read from the live
 * browser (src/background/status-messages.ts), shown as the text block a
 * helpdesk ticket takes, with a button that copies it. A line above it says
 * when private windows are not covered, and the one step that covers them.
 */
import { sendMessage } from '../../platform/messaging';
import { enforcementStatusText, privateWindowStepKey } from '../../shared/enforcement-status';
import { byId, errorText } from '../shared/dom';
import { lang, t } from '../shared/page-text';

const time = (at: number) => new Date(at).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US');

export async function showStatus(): Promise<void> {
  const privateLine = byId('status-private', HTMLElement);
  const text = byId('status-text', HTMLElement);
  const result = byId('status-copy-result', HTMLElement);
  try {
    const status = await sendMessage('getEnforcementStatus', {});
    privateLine.textContent = status.privateWindows ? '' : `${t('privateNotCovered')} ${t(privateWindowStepKey(status.browser))}`;
    privateLine.hidden = status.privateWindows;
    text.textContent = enforcementStatusText(status, t, time);
  } catch (error) {
    result.textContent = t('statusLoadFailed', [errorText(error)]);
  }
}

export function setUpStatus(): void {
  byId('status-copy', HTMLButtonElement).addEventListener('click', async () => {
    const result = byId('status-copy-result', HTMLElement);
    await showStatus();
    try {
      await navigator.clipboard.writeText(byId('status-text', HTMLElement).textContent ?? '');
      result.textContent = t('statusCopied');
    } catch {
      result.textContent = t('statusCopyFailed');
    }
  });
}
