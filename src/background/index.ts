/**
 * Background entry: a service worker in Chrome, an event page in Firefox.
 * Listeners are registered synchronously at top level so a stopped worker
 * wakes for them; all work waits on `initialized`, and every piece of state
 * is read from storage, never kept only in globals.
 */
import { browser, type Runtime } from '../platform/browser';
import { bundle } from './bundle';
import { isRecheckMessage } from '../shared/tab-messages';
import { OPTIONS_PATH } from '../shared/paths';
import { createDecider, pruneExceptions } from '../core/decide';
import { createHandlers, dispatch, type BackgroundContext } from './messages';
import { recheckOpenTabs } from './open-tabs';
import { syncRules } from './rules';
import { loadExceptions, loadSettings, saveExceptions, saveSettings } from './state';

const EXPIRY_ALARM = 'proceed-exception-expiry';
const decider = createDecider(bundle);
const knownOrganizations: ReadonlySet<string> = new Set(bundle.organizations.map((o) => o.id));

async function loadState() {
  const now = Date.now();
  const [settings, exceptions] = await Promise.all([loadSettings(knownOrganizations), loadExceptions(now)]);
  return { settings, exceptions: pruneExceptions(exceptions, now) };
}

async function applyState(reason: string): Promise<void> {
  await syncRules(bundle, loadState);
  const { settings, exceptions } = await loadState();
  await saveExceptions(exceptions);
  if (reason !== 'startup') await recheckOpenTabs(decider, settings, exceptions);
}

async function scheduleExpiry(): Promise<void> {
  const { exceptions } = await loadState();
  const next = Math.min(...exceptions.map((e) => e.expiresAt));
  await browser.alarms.clear(EXPIRY_ALARM);
  clearTimeout(expiryTimer);
  if (!Number.isFinite(next)) return;
  // Chrome fires alarms no sooner than 30 s from now; a timer retires the
  // exception on time while the worker lives, the alarm when it was stopped.
  await browser.alarms.create(EXPIRY_ALARM, { when: next + 50 });
  expiryTimer = setTimeout(() => void retireExpired(), Math.max(0, next + 50 - Date.now()));
}

let expiryTimer: ReturnType<typeof setTimeout> | undefined;

async function retireExpired(): Promise<void> {
  await initialized;
  await applyState('expiry');
  await scheduleExpiry();
}

const ctx: BackgroundContext = { bundle, decider, knownOrganizations, applyState, scheduleExpiry };
const handlers = createHandlers(ctx);

// Rules are rebuilt on every worker start: cheap, and it repairs any drift
// (an update that changed the policy list, a browser that lost session rules).
const initialized: Promise<void> = applyState('startup').catch((error: unknown) => {
  console.error('rule sync failed', error);
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (isRecheckMessage(message)) return undefined;
  return initialized.then(() => dispatch(handlers, message, sender));
});

browser.runtime.onInstalled.addListener(async (details) => {
  await initialized;
  await applyState('installed');
  const settings = await loadSettings(knownOrganizations);
  if (details.reason === 'install' && !settings.onboarded) {
    await saveSettings({ ...settings, onboarded: true });
    await browser.tabs.create({ url: browser.runtime.getURL(`${OPTIONS_PATH}#welcome`) });
  }
});

browser.runtime.onStartup.addListener(async () => {
  await initialized;
  await scheduleExpiry();
});

browser.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name === EXPIRY_ALARM) await retireExpired();
});
