/**
 * The options page, which is also the first-run welcome page
 * (`#welcome`, opened by the background on install).
 */
import { browser } from '../../platform/browser';
import { sendMessage } from '../../platform/messaging';
import { localizeDocument } from '../../shared/i18n';
import { byId, el, errorText } from '../shared/dom';
import { lang, t } from '../shared/page-text';
import { mountProfileList, type ProfileList } from '../shared/profile-list';
import { onSettingsChanged } from '../shared/settings-watch';
import { renderStorageNotice } from '../shared/storage-notice';
import { organizationDetails } from './organization-details';
import { setUpProceedMinutes } from './proceed-minutes';

/** The article every organization in the list comes from. */
const SOURCE = {
  headline: "Experts call on Korea to form 'DeepSeek-pursuing' task force",
  date: '2025-02-06',
};

function showHeader(): void {
  const welcome = location.hash === '#welcome';
  byId('page-heading', HTMLElement).textContent = t(welcome ? 'optionsWelcomeHeading' : 'optionsHeading');
  byId('welcome-intro', HTMLElement).hidden = !welcome;
  document.title = t(welcome ? 'optionsWelcomeTitle' : 'optionsTitle');
}

function showAbout(): void {
  // A calendar day, not an instant: formatted in UTC so no time zone shifts it.
  const [y, m, d] = SOURCE.date.split('-').map(Number) as [number, number, number];
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
  byId('about-source', HTMLElement).replaceChildren(
    el('span', { className: 'about-label', text: t('optionsAboutSourceLabel') }),
    ' ',
    t('optionsAboutPublisher'),
    ', ',
    el('time', { text: day, attrs: { datetime: SOURCE.date } }),
    ': ',
    el('cite', { lang: 'en', text: `“${SOURCE.headline}”` }),
  );
  byId('version', HTMLElement).textContent = t('optionsVersion', [browser.runtime.getManifest().version]);
}

let list: ProfileList | null = null;
let shownNotice: string | null | undefined;

async function showProfiles(): Promise<void> {
  const slot = byId('profiles', HTMLElement);
  try {
    const profiles = await sendMessage('getProfiles', {});
    if (profiles.storageNotice !== shownNotice) {
      renderStorageNotice(byId('storage-notice', HTMLElement), profiles.storageNotice, byId('profiles-heading', HTMLElement));
    }
    shownNotice = profiles.storageNotice;
    if (list) list.reflect(profiles.enabled);
    else list = mountProfileList(slot, profiles.organizations, profiles.enabled, { renderExtra: organizationDetails });
  } catch (error) {
    slot.replaceChildren(
      el('p', { className: 'alert', attrs: { role: 'alert' }, text: t('profilesLoadFailed', [errorText(error)]) }),
    );
  } finally {
    slot.removeAttribute('aria-busy');
  }
}

async function showProceedMinutes(): Promise<void> {
  try {
    const settings = await sendMessage('getSettings', {});
    setUpProceedMinutes(settings.proceedMinutes);
  } catch (error) {
    byId('proceed-error', HTMLElement).textContent = t('optionsLoadFailed', [errorText(error)]);
  }
}

localizeDocument(browser.i18n);
showHeader();
showAbout();
window.addEventListener('hashchange', showHeader);
// The popup may turn a profile on while this page is open.
onSettingsChanged(() => void showProfiles());
void showProfiles();
void showProceedMinutes();
