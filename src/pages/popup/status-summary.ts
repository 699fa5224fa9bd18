/**
 * The popup's part of the status page: a line when private windows are not
 * covered (with the one step that covers them in this browser), and for an
 * administrator a one-line summary of what is enforced, linking to the full
 * status on the options page.
 */
import { browser } from '../../platform/browser';
import { sendMessage } from '../../platform/messaging';
import { privateWindowStepKey, rulesMatch } from '../../shared/enforcement-status';
import { OPTIONS_PATH } from '../../shared/paths';
import { byId } from '../shared/dom';
import { t } from '../shared/page-text';

export async function showStatusSummary(): Promise<void> {
  const privateLine = byId('private-notice', HTMLElement);
  const summary = byId('status-summary', HTMLElement);
  try {
    const status = await sendMessage('getEnforcementStatus', {});
    privateLine.textContent = status.privateWindows ? '' : `${t('privateNotCovered')} ${t(privateWindowStepKey(status.browser))}`;
    privateLine.hidden = status.privateWindows;
    const forAdmin = status.managed.present || status.installType === 'admin';
    summary.hidden = !forAdmin;
    if (forAdmin) {
      byId('status-summary-text', HTMLElement).textContent = t('popupStatusSummary', [
        String(status.managed.keys.length),
        String(status.managed.problems.length),
        String(status.rules.installed),
        rulesMatch(status) ? t('statusMatch') : t('statusMismatch'),
      ]);
    }
  } catch {
    // The popup's other sections report a background that does not answer.
    privateLine.hidden = true;
    summary.hidden = true;
  }
}

export function setUpStatusLink(): void {
  byId('status-open', HTMLButtonElement).addEventListener('click', async () => {
    await browser.tabs.create({ url: browser.runtime.getURL(`${OPTIONS_PATH}#status`) });
    window.close();
  });
}
