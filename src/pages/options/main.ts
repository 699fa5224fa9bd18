/**
 * The options page, which is also the first-run welcome page
 * (`#welcome`, opened by the background on install).
 */
import { latestAnswer } from '../shared/latest-answer';
import { browser } from '../../platform/browser';
import { sendMessage } from '../../platform/messaging';
import { localizeDocument } from '../../shared/i18n';
import type { ProfilesResponse } from '../../shared/protocol';
import { byId, el, errorText } from '../shared/dom';
import { closeDisclosureOnEscape } from '../shared/escape-closes';
import { mountExceptionList } from '../shared/exception-list';
import { initPageText, lang, t } from '../shared/page-text';
import { mountProfileList, type ProfileList } from '../shared/profile-list';
import { onSettingsChanged } from '../shared/settings-watch';
import { renderStorageNotice } from '../shared/storage-notice';
import { setUpActivityLog, showActivityLog } from './activity-log';
import { setUpCustomPolicies, showCustomList } from './custom-policies';
import { setUpDeviceContext } from './device-context';
import { reportedText } from '../../shared/data-age';
import { setUpLanguage } from './language';
import { showManaged } from './managed-section';
import { organizationDetails } from './organization-details';
import { setUpProceedMinutes } from './proceed-minutes';
import { setUpPreconnect } from './preconnect';
import { setUpReset } from './reset';
import { setUpStatus, showStatus } from './status-section';
import { showSignedExceptions } from './signed-exceptions';

/** The article every shipped organization in the list comes from. */
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
  // How old the list is, computed now: the organizations' rules may have changed since.
  byId('about-age', HTMLElement).textContent = reportedText(SOURCE.date, new Date(), lang, t);
  byId('version', HTMLElement).textContent = t('optionsVersion', [browser.runtime.getManifest().version]);
}

let list: ProfileList | null = null;
/** The organization ids the list was drawn with; a different set (an import) redraws it. */
let listedIds = '';
let shownNotice: string | null | undefined;

const profilesAnswer = latestAnswer();

async function showProfiles(): Promise<ProfilesResponse | null> {
  const slot = byId('profiles', HTMLElement);
  const isLatest = profilesAnswer();
  try {
    const profiles = await sendMessage('getProfiles', {});
    // A refresh asked for since then draws the list (an older answer would undo a click).
    if (!isLatest()) return profiles;
    if (profiles.storageNotice !== shownNotice) {
      renderStorageNotice(byId('storage-notice', HTMLElement), profiles.storageNotice, byId('profiles-heading', HTMLElement));
    }
    shownNotice = profiles.storageNotice;
    const ids = [...profiles.organizations.map((o) => o.id), '|', ...profiles.fromOrganization].join(' ');
    const locks = { forced: profiles.forced, all: profiles.locked };
    if (list && ids === listedIds) list.reflect(profiles.enabled, locks);
    else {
      const shown = { renderExtra: organizationDetails, custom: profiles.custom, fromOrganization: profiles.fromOrganization };
      list = mountProfileList(slot, profiles.organizations, profiles.enabled, shown, locks);
      listedIds = ids;
    }
    showCustomList(profiles.organizations, profiles.custom, locks, profiles.enabled);
    return profiles;
  } catch (error) {
    slot.replaceChildren(
      el('p', { className: 'alert', attrs: { role: 'alert' }, text: t('profilesLoadFailed', [errorText(error)]) }),
    );
    return null;
  } finally {
    slot.removeAttribute('aria-busy');
  }
}

async function showSettings(): Promise<void> {
  try {
    const settings = await sendMessage('getSettings', {});
    setUpProceedMinutes(settings);
    setUpDeviceContext(settings);
  } catch (error) {
    byId('proceed-error', HTMLElement).textContent = t('optionsLoadFailed', [errorText(error)]);
  }
}

async function showManagedPolicy(profiles: ProfilesResponse | null): Promise<void> {
  try {
    showManaged(await sendMessage('getManagedPolicy', {}), profiles?.organizations ?? []);
  } catch {
    // The section stays hidden; the profile list shows the locks regardless.
  }
}

let latest = 0;
/** Redraws everything that depends on stored or managed state; only the last run draws. */
async function refresh(): Promise<void> {
  const run = ++latest;
  const profiles = await showProfiles();
  if (run !== latest) return;
  // The status reads the live browser (rules, network prediction): the other sections do not wait for it.
  void showStatus();
  await Promise.all([showManagedPolicy(profiles), showSettings(), showActivityLog(), showSignedExceptions()]);
}

async function main(): Promise<void> {
  localizeDocument(await initPageText());
  showHeader();
  showAbout();
  window.addEventListener('hashchange', showHeader);
  setUpLanguage();
  setUpCustomPolicies(() => void refresh());
  setUpActivityLog();
  setUpReset(() => void refresh());
  setUpPreconnect();
  setUpStatus();
  const exceptions = mountExceptionList(byId('exceptions', HTMLElement), { hideWhenEmpty: false });
  closeDisclosureOnEscape();
  // The popup may turn a profile on while this page is open; an administrator
  // may change the policy; an import changes the list.
  onSettingsChanged(() => void refresh());
  await Promise.all([refresh(), exceptions.refresh()]);
}

void main();
