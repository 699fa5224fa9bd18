/**
 * Calls back when the stored settings change, whoever changed them: the popup
 * and the options page may both be open, and a profile turned on in one must
 * show in the other (and change the popup's verdict).
 */
import { browser } from '../../platform/browser';
import { SETTINGS_KEY } from '../../shared/storage-keys';

export function onSettingsChanged(callback: () => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SETTINGS_KEY in changes) callback();
  });
}
