/**
 * The local activity log in storage.local: appended one entry at a time,
 * capped, never sent anywhere.
 */
import { browser } from '../platform/browser';
import { ACTIVITY_LOG_CAP, appendEntry, type ActivityEntry } from '../shared/activity-log';
import { ACTIVITY_LOG_KEY, WARNINGS_SEEN_KEY } from '../shared/storage-keys';
import { readActivityLogFast } from '../shared/stored-fast';
import { admitWarning, readWarningsSeen } from '../shared/warning-dedupe';
import { validation } from './lazy-validation';

export async function loadActivityLog(): Promise<ActivityEntry[]> {
  const raw = (await browser.storage.local.get(ACTIVITY_LOG_KEY))[ACTIVITY_LOG_KEY];
  return readActivityLogFast(raw, ACTIVITY_LOG_CAP) ?? validation().readActivityLog(raw).value;
}

let writes: Promise<unknown> = Promise.resolve();

/** Read-modify-write one at a time, so two tabs proceeding at once both get logged. */
export function recordActivity(entry: ActivityEntry): Promise<void> {
  const run = writes.then(async () => {
    const next = appendEntry(await loadActivityLog(), entry);
    await browser.storage.local.set({ [ACTIVITY_LOG_KEY]: next });
  });
  writes = run.catch(() => undefined);
  return run;
}

/**
 * Records a warning the interstitial showed, unless it repeats one this tab
 * showed for the same host moments ago (src/shared/warning-dedupe.ts).
 * Checked in the same queue as the log writes, so two reports racing are one.
 */
export function recordWarningShown(entry: ActivityEntry, key: string): Promise<boolean> {
  const run = writes.then(async () => {
    const stored = await browser.storage.session.get(WARNINGS_SEEN_KEY);
    const { log, seen } = admitWarning(readWarningsSeen(stored[WARNINGS_SEEN_KEY]), key, entry.at);
    await browser.storage.session.set({ [WARNINGS_SEEN_KEY]: seen });
    if (!log) return false;
    const next = appendEntry(await loadActivityLog(), entry);
    await browser.storage.local.set({ [ACTIVITY_LOG_KEY]: next });
    return true;
  });
  writes = run.catch(() => undefined);
  return run;
}

export function clearActivityLog(): Promise<void> {
  const run = writes.then(() => browser.storage.local.remove(ACTIVITY_LOG_KEY));
  writes = run.catch(() => undefined);
  return run;
}
