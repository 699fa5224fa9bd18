/**
 * The toolbar popup: what applies to the current tab, the organization
 * profiles, and the way to the settings.
 */
import { browser } from '../../platform/browser';
import { sendMessage } from '../../platform/messaging';
import { localizeDocument } from '../../shared/i18n';
import { DEVICE_CONTEXT_SHORT_KEYS } from '../../shared/device-text';
import { lastingInterstitialUrl, OPTIONS_PATH } from '../../shared/paths';
import type { ProfilesResponse } from '../../shared/protocol';
import { byId, el, errorText } from '../shared/dom';
import { mountExceptionList } from '../shared/exception-list';
import { initPageText, t } from '../shared/page-text';
import { mountProfileList, type ProfileList } from '../shared/profile-list';
import { onSettingsChanged } from '../shared/settings-watch';
import { renderStorageNotice } from '../shared/storage-notice';
import { showPreconnectNotice } from './preconnect-notice';
import { setUpStatusLink, showStatusSummary } from './status-summary';
import { addressToCheck } from './tab-url';
import { renderVerdict, type VerdictState } from './verdict';
import { latestAnswer } from '../shared/latest-answer';

const verdictSection = byId('verdict', HTMLElement);
const verdictBody = byId('verdict-body', HTMLElement);
const profilesSlot = byId('profiles', HTMLElement);
const noticeSlot = byId('storage-notice', HTMLElement);
const profilesHeading = byId('profiles-heading', HTMLElement);

async function activeTabAddress(): Promise<string | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  // A redirected tab shows the interstitial at the extension's lasting origin, this page's own
  // (runtime.getURL may answer with Chromium's per-session use_dynamic_url address instead).
  return addressToCheck(tab?.url, lastingInterstitialUrl());
}

async function verdictState(profilesOn: number): Promise<VerdictState> {
  try {
    const address = await activeTabAddress();
    if (address === null) return { kind: 'no-address' };
    return { kind: 'verdict', response: await sendMessage('getVerdict', { url: address }), profilesOn };
  } catch (error) {
    return { kind: 'failed', error: errorText(error) };
  }
}

let list: ProfileList | null = null;
let listedIds = '';
let shownNotice: string | null | undefined;

const profilesAnswer = latestAnswer();

async function showProfiles(): Promise<ProfilesResponse | null> {
  const isLatest = profilesAnswer();
  try {
    const profiles = await sendMessage('getProfiles', {});
    // A refresh asked for since then draws the list (an older answer would undo a click).
    if (!isLatest()) return profiles;
    if (profiles.storageNotice !== shownNotice) renderStorageNotice(noticeSlot, profiles.storageNotice, profilesHeading);
    shownNotice = profiles.storageNotice;
    const locks = { forced: profiles.forced, all: profiles.locked };
    // A policy read later can add the organization's own profiles: the list is rebuilt then.
    const ids = [...profiles.organizations.map((o) => o.id), '|', ...profiles.fromOrganization].join(' ');
    if (list && ids === listedIds) list.reflect(profiles.enabled, locks);
    else {
      const shown = { custom: profiles.custom, fromOrganization: profiles.fromOrganization };
      list = mountProfileList(profilesSlot, profiles.organizations, profiles.enabled, shown, locks);
      listedIds = ids;
    }
    showManagedLine(profiles);
    profilesSlot.removeAttribute('aria-busy');
    return profiles;
  } catch (error) {
    profilesSlot.removeAttribute('aria-busy');
    profilesSlot.replaceChildren(
      el('p', { className: 'alert', attrs: { role: 'alert' }, text: t('profilesLoadFailed', [errorText(error)]) }),
    );
    return null;
  }
}

/** One line above the list when an administrator set some of it. */
function showManagedLine(profiles: ProfilesResponse): void {
  const line = byId('managed-line', HTMLElement);
  const text = profiles.locked ? t('popupManagedLocked') : profiles.forced.length > 0 ? t('popupManagedForced') : '';
  line.textContent = text;
  line.hidden = text === '';
}

/** "This browser: a work device (set by your organization)", with the way to change it. */
async function showDeviceLine(): Promise<void> {
  const line = byId('device-line', HTMLElement);
  try {
    const settings = await sendMessage('getSettings', {});
    const place = t(DEVICE_CONTEXT_SHORT_KEYS[settings.effective.deviceContext]);
    byId('device-line-text', HTMLElement).textContent = t(settings.locked.deviceContext ? 'deviceLineLocked' : 'deviceLine', [place]);
    byId('device-change', HTMLButtonElement).hidden = settings.locked.deviceContext;
    line.dataset.deviceContext = settings.effective.deviceContext;
    line.hidden = false;
  } catch {
    line.hidden = true;
  }
}

let latest = 0;
async function refresh(): Promise<void> {
  const run = ++latest;
  void showDeviceLine();
  const profiles = await showProfiles();
  const state = await verdictState(profiles?.enabled.length ?? 0);
  // Settings can change twice in quick succession; only the last answer is shown.
  if (run === latest) renderVerdict(verdictSection, verdictBody, state);
}

function setUpFooter(): void {
  byId('device-change', HTMLButtonElement).addEventListener('click', async () => {
    await browser.tabs.create({ url: browser.runtime.getURL(`${OPTIONS_PATH}#device`) });
    window.close();
  });
  byId('open-options', HTMLButtonElement).addEventListener('click', async () => {
    await browser.runtime.openOptionsPage();
    window.close();
  });
}

async function main(): Promise<void> {
  localizeDocument(await initPageText());
  setUpFooter();
  renderVerdict(verdictSection, verdictBody, { kind: 'checking' });
  // A profile turned on here or on the options page, or by an administrator,
  // changes what applies to this tab.
  onSettingsChanged(() => void refresh());
  void showPreconnectNotice();
  setUpStatusLink();
  void showStatusSummary();
  const exceptions = mountExceptionList(byId('exceptions', HTMLElement), { hideWhenEmpty: true });
  // An exception ended here (or by a stricter policy) changes this tab's verdict too.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'session') void refresh();
  });
  await Promise.all([refresh(), exceptions.refresh()]);
}

void main();
