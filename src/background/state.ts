/**
 * Reads and writes the persistent state: settings in storage.local,
 * proceed exceptions in storage.session. Nothing lives in worker globals
 * that must survive the worker being stopped.
 */
import { browser } from '../platform/browser';
import type { ProceedException } from '../core/decision-types';
import type { Settings } from '../shared/settings';
import { EXCEPTIONS_KEY, SETTINGS_KEY, STORAGE_NOTICE_KEY } from '../shared/storage-keys';
import { DEFAULT_SETTINGS, readCurrentSettings, readExceptionsFast } from '../shared/stored-fast';
import { validation } from './lazy-validation';

export async function loadSettings(knownOrganizations: ReadonlySet<string>): Promise<Settings> {
  return settingsFrom((await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY], knownOrganizations);
}

/** loadSettings, from the value under SETTINGS_KEY that the caller read (with other keys, in one read). */
export async function settingsFrom(raw: unknown, knownOrganizations: ReadonlySet<string>): Promise<Settings> {
  if (raw === undefined) return DEFAULT_SETTINGS;
  const current = readCurrentSettings(raw, knownOrganizations);
  if (current !== null) return current;
  const { value, recovered } = validation().readSettings(raw, knownOrganizations);
  if (recovered) {
    // Garbage is replaced by defaults once, and the user is told where it was.
    // A refused write (a full storage) must not stop the state loading: the
    // rules are built from it. The next read recovers the same way.
    await browser.storage.local.set({ [SETTINGS_KEY]: value, [STORAGE_NOTICE_KEY]: recovered }).catch((error: unknown) => {
      console.warn('recovered settings not stored', error);
    });
  }
  return value;
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [SETTINGS_KEY]: settings });
}

let settingsWrites: Promise<unknown> = Promise.resolve();

/**
 * Read-modify-write of the settings, one at a time: a popup and an options
 * page saving at the same moment must not lose either change.
 */
export function updateSettings(
  knownOrganizations: ReadonlySet<string>,
  change: (current: Settings) => Settings,
): Promise<Settings> {
  const run = settingsWrites.then(async () => {
    const next = change(await loadSettings(knownOrganizations));
    await saveSettings(next);
    return next;
  });
  settingsWrites = run.catch(() => undefined);
  return run;
}

export async function loadStorageNotice(): Promise<string | null> {
  const stored = await browser.storage.local.get(STORAGE_NOTICE_KEY);
  const value = stored[STORAGE_NOTICE_KEY];
  return typeof value === 'string' ? value : null;
}

export async function clearStorageNotice(): Promise<void> {
  await browser.storage.local.remove(STORAGE_NOTICE_KEY);
}

export async function loadExceptions(now: number): Promise<ProceedException[]> {
  const raw = (await browser.storage.session.get(EXCEPTIONS_KEY))[EXCEPTIONS_KEY];
  return readExceptionsFast(raw, now) ?? validation().readExceptions(raw, now).value;
}

export async function saveExceptions(exceptions: readonly ProceedException[]): Promise<void> {
  await browser.storage.session.set({ [EXCEPTIONS_KEY]: [...exceptions] });
}

export { DEFAULT_SETTINGS };

let exceptionWrites: Promise<unknown> = Promise.resolve();

/**
 * Read-modify-write of the proceed exceptions, one at a time: a proceed and a
 * policy change landing together must not drop each other's write.
 */
export function updateExceptions(change: (current: ProceedException[], now: number) => ProceedException[]): Promise<ProceedException[]> {
  const run = exceptionWrites.then(async () => {
    const now = Date.now();
    const next = change(await loadExceptions(now), now);
    await saveExceptions(next);
    return next;
  });
  exceptionWrites = run.catch(() => undefined);
  return run;
}
