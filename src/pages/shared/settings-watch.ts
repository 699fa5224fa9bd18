/**
 * Calls back when what the pages show may have changed, whoever changed it:
 * the popup and the options page may both be open, and a profile turned on in
 * one must show in the other (and change the popup's verdict); an
 * administrator's policy (storage.managed) or an imported custom policy
 * changes the list and its locks.
 */
import { browser } from '../../platform/browser';
import { CUSTOM_POLICIES_KEY, SETTINGS_KEY } from '../../shared/storage-keys';

export function onSettingsChanged(callback: () => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && (SETTINGS_KEY in changes || CUSTOM_POLICIES_KEY in changes))) callback();
  });
}
