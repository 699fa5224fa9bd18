/**
 * The local activity log in storage.local: appended one entry at a time,
 * capped, never sent anywhere.
 */
import { browser } from '../platform/browser';
import { appendEntry, type ActivityEntry } from '../shared/activity-log';
import { readActivityLog } from '../shared/settings';
import { ACTIVITY_LOG_KEY } from '../shared/storage-keys';

export async function loadActivityLog(): Promise<ActivityEntry[]> {
  const stored = await browser.storage.local.get(ACTIVITY_LOG_KEY);
  return readActivityLog(stored[ACTIVITY_LOG_KEY]).value;
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
