/**
 * "Turn off pre-connecting" on the options page: the person's opt-in (or the
 * administrator's setting, locked), the trade-off in plain words, and what the
 * browser made of it. The `privacy` permission is asked for here, in the
 * click itself: Firefox grants optional permissions only while handling user
 * input, so nothing may be awaited before the request.
 */
import { browser } from '../../platform/browser';
import { sendMessage } from '../../platform/messaging';
import type { PreconnectStatus } from '../../shared/network-prediction';
import { isPreconnectProblem, preconnectMessageKey } from '../../shared/preconnect-text';
import { PRECONNECT_KEY } from '../../shared/storage-keys';
import { byId, errorText } from '../shared/dom';
import { t } from '../shared/page-text';

const PRIVACY = { permissions: ['privacy' as const] };

function show(status: PreconnectStatus): void {
  const box = byId('prevent-preconnect', HTMLInputElement);
  const lock = byId('preconnect-lock', HTMLElement);
  const state = byId('preconnect-state', HTMLElement);
  const problem = byId('preconnect-problem', HTMLElement);
  const allow = byId('preconnect-allow', HTMLButtonElement);
  box.checked = status.wanted;
  box.disabled = status.locked;
  lock.hidden = !status.locked;
  lock.textContent = status.locked ? t(status.wanted ? 'optionsPreconnectLockedOn' : 'optionsPreconnectLockedOff') : '';
  const key = preconnectMessageKey(status, 'options');
  // The browser's own words, for the IT team, when it refused with a reason.
  const text = key === null ? '' : status.error ? `${t(key)} (${status.error})` : t(key);
  state.textContent = isPreconnectProblem(status.state) ? '' : text;
  problem.textContent = isPreconnectProblem(status.state) ? text : '';
  // Granting is the one thing the person can do about a missing permission.
  allow.hidden = status.state !== 'needs-permission';
}

function showError(text: string): void {
  byId('preconnect-state', HTMLElement).textContent = '';
  byId('preconnect-problem', HTMLElement).textContent = text;
}

let queue: Promise<void> = Promise.resolve();

/** Runs page actions one at a time, so a fast double click ends in the last state. */
function run(action: () => Promise<PreconnectStatus | null>): void {
  queue = queue.then(async () => {
    try {
      const status = await action();
      if (status) show(status);
    } catch (error) {
      showError(t('optionsPreconnectFailed', [errorText(error)]));
      await refreshPreconnect();
    }
  });
}

export async function refreshPreconnect(): Promise<void> {
  try {
    show(await sendMessage('getPreconnectStatus', {}));
    byId('preconnect-section', HTMLElement).removeAttribute('aria-busy');
  } catch (error) {
    showError(t('optionsPreconnectFailed', [errorText(error)]));
  }
}

export function setUpPreconnect(): void {
  const box = byId('prevent-preconnect', HTMLInputElement);
  box.addEventListener('change', () => {
    if (!box.checked) {
      run(() => sendMessage('setPreventPreconnect', { enabled: false }));
      return;
    }
    const granted = browser.permissions.request(PRIVACY);
    run(async () => {
      if (!(await granted)) {
        box.checked = false;
        showError(t('optionsPreconnectDenied'));
        return null;
      }
      return sendMessage('setPreventPreconnect', { enabled: true });
    });
  });

  // For a protection that is wanted (by the administrator, or chosen earlier) but lacks the permission.
  byId('preconnect-allow', HTMLButtonElement).addEventListener('click', () => {
    const granted = browser.permissions.request(PRIVACY);
    run(async () => {
      if (!(await granted)) {
        showError(t('optionsPreconnectDenied'));
        return null;
      }
      return sendMessage('getPreconnectStatus', {});
    });
  });

  // The administrator's policy can change while the page is open, and "reset" clears the choice.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && PRECONNECT_KEY in changes)) void refreshPreconnect();
  });
  void refreshPreconnect();
}
