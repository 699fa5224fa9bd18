/**
 * The UI language: the browser's, or English or Korean whatever the browser
 * says. Saving it reloads every open page of the extension in the new language.
 */
import { sendMessage } from '../../platform/messaging';
import { UI_LANGUAGE_SETTINGS, type UiLanguageSetting } from '../../shared/i18n';
import { byId, errorText } from '../shared/dom';
import { languageSetting, t } from '../shared/page-text';

const isSetting = (value: string): value is UiLanguageSetting => (UI_LANGUAGE_SETTINGS as readonly string[]).includes(value);

export function setUpLanguage(): void {
  const select = byId('ui-language', HTMLSelectElement);
  const error = byId('language-error', HTMLElement);
  select.value = languageSetting;
  select.disabled = false;
  select.addEventListener('change', async () => {
    const value = select.value;
    if (!isSetting(value)) return;
    error.textContent = '';
    select.disabled = true;
    try {
      // The storage change reloads this page (page-i18n.ts) in the new language.
      await sendMessage('updateSettings', { uiLanguage: value });
    } catch (e) {
      error.textContent = t('optionsLanguageFailed', [errorText(e)]);
      select.value = languageSetting;
      select.disabled = false;
    }
  });
}
