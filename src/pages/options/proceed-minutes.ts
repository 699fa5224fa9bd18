/**
 * "Proceeding past a warning": how long a site stays open after a deliberate
 * proceed. Saved on change; out-of-range input is explained, not clamped.
 */
import { sendMessage } from '../../platform/messaging';
import { byId, errorText } from '../shared/dom';
import { t } from '../shared/page-text';
import { MAX_MINUTES, MIN_MINUTES, parseMinutes } from './minutes';

export function setUpProceedMinutes(initial: number): void {
  const input = byId('proceed-minutes', HTMLInputElement);
  const error = byId('proceed-error', HTMLElement);
  const status = byId('proceed-status', HTMLElement);
  let saved = initial;
  input.min = String(MIN_MINUTES);
  input.max = String(MAX_MINUTES);
  input.value = String(initial);
  input.disabled = false;

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
