/**
 * The local activity log in storage.local: appended one entry at a time,
 * capped, never sent anywhere.
 */
import { browser } from '../platform/browser';
import { ACTIVITY_LOG_CAP, appendEntry, type ActivityEntry } from '../shared/activity-log';
import { ACTIVITY_LOG_KEY } from '../shared/storage-keys';
import { readActivityLogFast } from '../shared/stored-fast';
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

export function clearActivityLog(): Promise<void> {
  const run = writes.then(() => browser.storage.local.remove(ACTIVITY_LOG_KEY));
  writes = run.catch(() => undefined);
  return run;
}
