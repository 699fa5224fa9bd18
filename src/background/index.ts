/**
 * Background entry: a service worker in Chrome, an event page in Firefox.
 * Listeners are registered synchronously at top level so a stopped worker
 * wakes for them; all work waits on `initialized`, and every piece of state
 * is read from storage, never kept only in globals.
 */
import { browser, type Runtime } from '../platform/browser';
import { closeLocalStorageToContentScripts } from '../platform/storage-access';
import { isRecheckMessage } from '../shared/tab-messages';
import { OPTIONS_PATH } from '../shared/paths';
import { pruneExceptions } from '../core/decide';
import { decideOptions, loadEffectiveState } from './effective';
import { noteManagedChange } from './managed';
import { loadStandingExceptions, standing } from './exceptions';
import { loadGrantExceptions } from './signed-exceptions';
import { localDay, nextPhaseChange } from '../core/notice-lifecycle';
import { noteNoticeVersions, ownOrganizations } from './notice-records';
import { createHandlers, dispatch, type BackgroundContext } from './messages';
import { applyNetworkPredictionForStart, listenForNetworkPrediction } from './network-prediction';
import { recheckOpenTabs } from './open-tabs';
import { removeLocalVerdictTable, syncRules } from './rules';
import { removeStoppedSiteWorkers } from './site-workers';
import { loadRuleInput } from './rule-input';
import { recordSync } from './sync-status';
import { loadExceptions, loadSettings, saveSettings, updateExceptions } from './state';

const EXPIRY_ALARM = 'proceed-exception-expiry';

/**
 * Brings rules, exceptions and open tabs in line with the stored state: the
 * user's settings, the custom policies and the administrator's policy.
 */
async function applyState(reason: string): Promise<void> {
  const state = await loadEffectiveState();
  // The administrator's notices as they are now: a new version keeps the one it replaced.
  await noteNoticeVersions(state.policies, Date.now());
  const { policies, effective } = state;
  const options = decideOptions(effective);
  // An exception the policy no longer allows (a stricter decision than it was
  // granted under, a shorter proceed time, a reason now required) ends now
  // rather than when its time runs out: its allow rule first, before any
  // write that could fail (the rules are compiled from the exceptions that
  // stand, whatever storage.session still holds), then its stored record.
  // Signed exceptions are checked again each time: a key removed, a revocation or the end of their time ends them.
  await recordSync(reason, () => syncRules(loadRuleInput));
  const proceeds = await updateExceptions((current, now) => standing(state, current, now));
  const exceptions = [...proceeds, ...(await loadGrantExceptions(state, Date.now()))];
  // Rules first; then no stopped site's own service worker may answer its navigations.
  await removeStoppedSiteWorkers(async () => {
    const { state, exceptions } = await loadInForce();
    const { enabledOrganizations, deviceContext } = state.effective;
    return { bundle: state.policies.bundle, enabledOrganizations, deviceContext, exceptions };
  }).catch((error: unknown) => console.error('removing stopped sites\' service workers failed', error));
  await scheduleNoticeChange(state);
  if (reason === 'startup') return;
  await recheckOpenTabs(policies.decider, options, exceptions);
  // An exception that was shortened must end on its new time.
  await scheduleExpiry();
}

/** The state and the exceptions in force now (the person's proceeds that stand and the signed exceptions, src/background/exceptions.ts), read afresh. */
async function loadInForce() {
  const state = await loadEffectiveState();
  const now = Date.now();
  return { state, exceptions: await loadStandingExceptions(state, now) };
}

async function scheduleExpiry(): Promise<void> {
  const now = Date.now();
  const exceptions = [...pruneExceptions(await loadExceptions(now), now), ...(await loadGrantExceptions(await loadEffectiveState(), now))];
  const next = Math.min(...exceptions.map((e) => e.expiresAt));
  await browser.alarms.clear(EXPIRY_ALARM);
  clearTimeout(expiryTimer);
  if (!Number.isFinite(next)) return;
  // Chrome fires alarms no sooner than 30 s from now; a timer retires the
  // exception on time while the worker lives, the alarm when it was stopped.
  await browser.alarms.create(EXPIRY_ALARM, { when: next + 50 });
  // A signed exception can run for months: past setTimeout's 24.8-day limit the delay would be read as 0.
  const delay = Math.max(0, next + 50 - Date.now());
  if (delay < MAX_TIMER_MS) expiryTimer = setTimeout(() => void retireExpired(), delay);
}

let expiryTimer: ReturnType<typeof setTimeout> | undefined;

const NOTICE_ALARM = 'notice-lifecycle';

/** The next local midnight on which a notice starts or stops applying: the rules are rebuilt then. */
async function scheduleNoticeChange(state: Awaited<ReturnType<typeof loadEffectiveState>>): Promise<void> {
  const next = nextPhaseChange(ownOrganizations(state.policies), localDay(Date.now()));
  await browser.alarms.clear(NOTICE_ALARM);
  if (next === null) return;
  const [y, m, d] = next.split('-').map(Number) as [number, number, number];
  await browser.alarms.create(NOTICE_ALARM, { when: new Date(y, m - 1, d).getTime() + 1_000 });
}
const MAX_TIMER_MS = 2 ** 31 - 1;

async function retireExpired(): Promise<void> {
  await initialized;
  await applyState('expiry');
  await scheduleExpiry();
}

const ctx: BackgroundContext = { applyState, scheduleExpiry };
const handlers = createHandlers(ctx);

// Before anything is stored: content scripts (inside web pages) may no longer
// read or write storage.local (Chrome; src/platform/storage-access.ts).
const storageClosed: Promise<unknown> = closeLocalStorageToContentScripts().catch((error: unknown) => {
  console.error('closing storage.local to content scripts failed', error);
});

// A browser start applies it at once (tabs restored then navigate at once, and
// with prediction on each would pre-connect to its host); any other worker
// start repairs drift once the message that woke it is answered (below), so
// that message's storage reads do not queue behind these.
listenForNetworkPrediction();

// Rules are rebuilt on every worker start: cheap, and it repairs any drift
// (an update that changed the policy list, a browser that lost session rules,
// a managed policy that changed while the browser was closed).
// It starts once the message that woke the worker is answered, or
// STARTUP_SYNC_WAIT_MS in when no message did (an alarm, a browser start), so
// that message is not queued behind the sync's storage reads and rule updates
// (a timer of 0 ms fired before the message arrived). A message being answered
// when the timer fires keeps the sync waiting for its answer: with a large
// managed policy the answer takes longer than the timer, and a sync begun
// beside it competed with it for the worker (the first answer with 1,000
// managed organizations: 150 ms with it, 135 ms without, medians of 5 wakes).
// STARTUP_SYNC_LATEST_MS bounds the wait.
const STARTUP_SYNC_WAIT_MS = 20;
const STARTUP_SYNC_LATEST_MS = 2_000;
let startStartupSync: () => void = () => undefined;
let answering = 0;
const initialized: Promise<void> = new Promise<void>((resolve) => {
  startStartupSync = resolve;
  setTimeout(() => {
    if (answering === 0) resolve();
  }, STARTUP_SYNC_WAIT_MS);
  setTimeout(resolve, STARTUP_SYNC_LATEST_MS);
})
  .then(() => storageClosed)
  .then(() => {
    // Without waiting for the rules.
    void applyNetworkPredictionForStart();
    return applyState('startup');
  })
  .catch((error: unknown) => {
    console.error('rule sync failed', error);
  });

// Messages do not wait for the rule sync: every handler reads what it needs from
// storage, which is the truth the rules are rebuilt from, so a warning page that
// woke a stopped worker gets its verdict at once, and it is the verdict the rules
// enforce once the sync is done. Handlers that change state sync the rules
// themselves (applyState runs one at a time, each reading the latest state).
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (isRecheckMessage(message)) return undefined;
  answering += 1;
  const reply = dispatch(handlers, message, sender);
  const answered = () => {
    answering -= 1;
    startStartupSync();
  };
  void reply.then(answered, answered);
  return reply;
});

// An administrator's policy change (Chrome re-reads policy files and fires
// this; Firefox reads policies.json only at start-up) applies at once.
// The change itself is remembered first: it is the only word that lets an
// empty read lift a policy seen before (src/shared/managed-read.ts).
browser.storage.onChanged.addListener((changes, area) => {
  if (area !== 'managed') return;
  void noteManagedChange(changes)
    .then(() => initialized)
    .then(() => applyState('managed'))
    .catch((error: unknown) => console.error('managed policy change failed', error));
});

browser.runtime.onInstalled.addListener(async (details) => {
  // Firefox: an older version's verdict table in storage.local, where content scripts can write, goes.
  void removeLocalVerdictTable();
  await initialized;
  await applyState('installed');
  const { policies } = await loadEffectiveState();
  const settings = await loadSettings(policies.knownOrganizations);
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
  if (alarm.name === NOTICE_ALARM) {
    await initialized;
    await applyState('notice-lifecycle');
  }
});
