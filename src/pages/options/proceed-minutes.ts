/**
 * "Proceeding past a warning": how long a site stays open after a deliberate
 * proceed. Saved on change; out-of-range input is explained, not clamped.
 */
import { sendMessage } from '../../platform/messaging';
import type { SettingsResponse } from '../../shared/protocol';
import { byId, errorText } from '../shared/dom';
import { t } from '../shared/page-text';
import { MAX_MINUTES, MIN_MINUTES, parseMinutes } from './minutes';

let wired = false;
let saved = 0;

/** Shows the proceed time and what an administrator set; called again when settings change. */
export function setUpProceedMinutes(settings: SettingsResponse): void {
  const input = byId('proceed-minutes', HTMLInputElement);
  const lock = byId('proceed-lock', HTMLElement);
  const off = byId('proceed-off', HTMLElement);
  const { effective, locked } = settings;
  saved = effective.proceedMinutes;
  if (document.activeElement !== input || locked.proceedMinutes) input.value = String(effective.proceedMinutes);
  input.disabled = locked.proceedMinutes;
  lock.hidden = !locked.proceedMinutes;
  lock.textContent = locked.proceedMinutes ? t('optionsProceedLocked') : '';
  const offKey =
    !effective.allowProceedOnBlock && !effective.allowProceedOnWarn
      ? 'optionsProceedOffAll'
      : !effective.allowProceedOnBlock
        ? 'optionsProceedOffBlock'
        : !effective.allowProceedOnWarn
          ? 'optionsProceedOffWarn'
          : null;
  off.hidden = offKey === null;
  off.textContent = offKey === null ? '' : t(offKey);
  if (!wired) wire(input);
  wired = true;
}

function wire(input: HTMLInputElement): void {
  const error = byId('proceed-error', HTMLElement);
  const status = byId('proceed-status', HTMLElement);
  input.min = String(MIN_MINUTES);
  input.max = String(MAX_MINUTES);

  function showError(text: string): void {
    error.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    status.textContent = '';
  }

  let queue: Promise<void> = Promise.resolve();
  input.addEventListener('change', () => {
    const minutes = parseMinutes(input.value);
    if (minutes === null) {
      showError(t('optionsProceedInvalid', [String(MIN_MINUTES), String(MAX_MINUTES)]));
      return;
    }
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    if (minutes === saved) return;
    queue = queue.then(async () => {
      try {
        const settings = await sendMessage('updateSettings', { proceedMinutes: minutes });
        saved = settings.proceedMinutes;
        status.textContent = '';
        // Emptied first so a second "Saved" in a row is announced again.
        setTimeout(() => (status.textContent = t('profilesSaved')), 50);
      } catch (e) {
        showError(t('optionsProceedFailed', [errorText(e)]));
      }
    });
  });
  // Typing clears an old complaint; the new value is judged when it is committed.
  input.addEventListener('input', () => {
    status.textContent = '';
    if (parseMinutes(input.value) !== null) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    }
  });
}
