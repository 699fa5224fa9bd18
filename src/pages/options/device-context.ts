/**
 * "Where is this browser?": a work device, my own device, or not said. The
 * answer decides whether an organization's network or office-computer rules
 * stop a page here. Saved on change; an administrator's answer is shown locked.
 */
import { DEVICE_CONTEXTS, type DeviceContext } from '../../core/device-context';
import { sendMessage } from '../../platform/messaging';
import type { SettingsResponse } from '../../shared/protocol';
import { byId, errorText } from '../shared/dom';
import { t } from '../shared/page-text';

let wired = false;

const isDeviceContext = (value: string): value is DeviceContext => (DEVICE_CONTEXTS as readonly string[]).includes(value);

/** Shows the stored answer (and the administrator's lock); called again when settings change. */
export function setUpDeviceContext(settings: SettingsResponse): void {
  const choices = byId('device-choices', HTMLFieldSetElement);
  const lock = byId('device-lock', HTMLElement);
  const { deviceContext } = settings.effective;
  for (const input of choices.querySelectorAll<HTMLInputElement>('input[name="device-context"]')) {
    input.checked = input.value === deviceContext;
  }
  choices.disabled = settings.locked.deviceContext;
  lock.hidden = !settings.locked.deviceContext;
  lock.textContent = settings.effective.deviceContextHeld ? t('deviceHeld') : settings.locked.deviceContext ? t('deviceLocked') : '';
  if (!wired) wire(choices);
  wired = true;
}

function wire(choices: HTMLFieldSetElement): void {
  const status = byId('device-status', HTMLElement);
  const error = byId('device-error', HTMLElement);
  choices.addEventListener('change', async (event) => {
    const value = (event.target as HTMLInputElement | null)?.value ?? '';
    if (!isDeviceContext(value)) return;
    error.textContent = '';
    status.textContent = '';
    try {
      const settings = await sendMessage('updateSettings', { deviceContext: value });
      setUpDeviceContext(settings);
      status.textContent = t('deviceSaved');
    } catch (e) {
      error.textContent = t('deviceSaveFailed', [errorText(e)]);
    }
  });
}
