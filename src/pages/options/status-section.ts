/**
 * "Enforcement status": what this browser enforces, read from the live
 * browser (src/background/status-messages.ts), shown as the text block a
 * helpdesk ticket takes, with a button that copies it. A line above it says
 * when private windows are not covered, and the one step that covers them.
 */
import { browser } from '../../platform/browser';
import { sendMessage } from '../../platform/messaging';
import { enforcementStatusText, privateWindowStepKey } from '../../shared/enforcement-status';
import { SYNC_STATUS_KEY } from '../../shared/storage-keys';
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
  // A settings change redraws the page at once, but the rules it leads to are
  // synced a moment later: read again when that sync is recorded, so the status
  // never stays on the moment between (installed rules not yet what the new
  // settings compile to, and the previous sync named as the last).
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && SYNC_STATUS_KEY in changes) void showStatus();
  });
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
