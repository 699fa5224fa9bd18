/**
 * The local activity log in storage.local: appended one entry at a time,
 * capped, never sent anywhere.
 */
import { browser } from '../platform/browser';
import { ACTIVITY_LOG_CAP, addDrops, appendEntry, readActivityDrops, type ActivityDrops, type ActivityEntry } from '../shared/activity-log';
import { ACTIVITY_DROPS_KEY, ACTIVITY_LOG_KEY, WARNINGS_SEEN_KEY } from '../shared/storage-keys';
import { readActivityLogFast } from '../shared/stored-fast';
import { admitWarning, readWarningsSeen } from '../shared/warning-dedupe';
import { validation } from './lazy-validation';

export async function loadActivityLog(): Promise<ActivityEntry[]> {
  const raw = (await browser.storage.local.get(ACTIVITY_LOG_KEY))[ACTIVITY_LOG_KEY];
  return readActivityLogFast(raw, ACTIVITY_LOG_CAP) ?? validation().readActivityLog(raw).value;
}

export async function loadActivityDrops(): Promise<ActivityDrops | null> {
  return readActivityDrops((await browser.storage.local.get(ACTIVITY_DROPS_KEY))[ACTIVITY_DROPS_KEY]);
}

let writes: Promise<unknown> = Promise.resolve();

/** Appends, and counts what the cap pushed out: the log says how many entries went, and when. */
async function append(entry: ActivityEntry): Promise<void> {
  const { log, dropped } = appendEntry(await loadActivityLog(), entry);
  if (dropped === 0) {
    await browser.storage.local.set({ [ACTIVITY_LOG_KEY]: log });
    return;
  }
  const drops = addDrops(await loadActivityDrops(), dropped, entry.at);
  await browser.storage.local.set({ [ACTIVITY_LOG_KEY]: log, [ACTIVITY_DROPS_KEY]: drops });
}

/** Read-modify-write one at a time, so two tabs proceeding at once both get logged. */
export function recordActivity(entry: ActivityEntry): Promise<void> {
  const run = writes.then(async () => {
    await append(entry);
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
    await append(entry);
    return true;
  });
  writes = run.catch(() => undefined);
  return run;
}

export function clearActivityLog(): Promise<void> {
  const run = writes.then(() => browser.storage.local.remove([ACTIVITY_LOG_KEY, ACTIVITY_DROPS_KEY]));
  writes = run.catch(() => undefined);
  return run;
}
