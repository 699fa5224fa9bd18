/**
 * Keeps the browser's network prediction off while the protection is wanted,
 * so no pre-connect reaches a banned host before our redirect does (see
 * src/shared/network-prediction.ts for what was measured and the cost).
 *
 * Applied on every background start, not only once: Chromium drops an
 * extension's controlled preferences when an unpacked or command-line copy is
 * loaded again (measured: `controllable_by_this_extension` after a restart),
 * and a start-up is exactly when restored tabs navigate. Also applied when
 * the permission, the choice or the administrator's policy changes.
 *
 * `privacy` is an optional permission, asked for on the options page when
 * the person turns the protection on. A required one would warn every user at
 * install, and Chrome would disable existing installs on update until they
 * accept it. An administrator who wants it fleet-wide is better served by the
 * browser's own policy (README: NetworkPredictionOptions / NetworkPrediction),
 * which applies before any extension starts.
 */
import { browser } from '../platform/browser';
import {
  asPredictionReading,
  preconnectState,
  readPreconnectChoice,
  wantedPreconnectProtection,
  type PreconnectChoice,
  type PreconnectStatus,
  type PredictionReading,
} from '../shared/network-prediction';
import { PRECONNECT_KEY } from '../shared/storage-keys';
import type { HandlersFor } from './handler-types';
import { loadManagedValues, readManaged } from './managed';
import { shippedBundle } from './policy-set';

const PRIVACY = { permissions: ['privacy' as const] };

/** The part of `types.ChromeSetting` used here (both browsers return promises). */
interface PredictionSetting {
  get(details: Record<string, never>): Promise<unknown>;
  set(details: { value: boolean }): Promise<unknown>;
  clear(details: Record<string, never>): Promise<unknown>;
}

/** `privacy.network.networkPredictionEnabled`: absent while the permission is not granted. */
function predictionSetting(): PredictionSetting | undefined {
  const api = browser as unknown as { privacy?: { network?: { networkPredictionEnabled?: PredictionSetting } } };
  return api.privacy?.network?.networkPredictionEnabled;
}

async function hasPermission(): Promise<boolean> {
  try {
    return await browser.permissions.contains(PRIVACY);
  } catch {
    return false;
  }
}

async function loadChoice(): Promise<PreconnectChoice> {
  const stored = await browser.storage.local.get(PRECONNECT_KEY);
  return readPreconnectChoice(stored[PRECONNECT_KEY]).value;
}

async function loadWanted(): Promise<{ chosen: boolean; wanted: boolean; locked: boolean }> {
  const [choice, { values, fallback }] = await Promise.all([loadChoice(), loadManagedValues()]);
  // Only `preventPreconnect` is read here: the rest of a large policy is not validated again for it.
  const only = values && 'preventPreconnect' in values ? { preventPreconnect: values.preventPreconnect } : undefined;
  const managed = readManaged(only, { bundle: shippedBundle, knownOrganizations: new Set(), fallback });
  return { chosen: choice.preventPreconnect, ...wantedPreconnectProtection(choice, managed.policy.preventPreconnect) };
}

async function read(setting: PredictionSetting): Promise<PredictionReading | null> {
  return asPredictionReading(await setting.get({}));
}

async function applyNow(): Promise<PreconnectStatus> {
  const { chosen, wanted, locked } = await loadWanted();
  const permission = await hasPermission();
  const setting = permission ? predictionSetting() : undefined;
  let error: string | null = null;
  let reading: PredictionReading | null = null;
  if (setting) {
    try {
      if (wanted) {
        await setting.set({ value: false });
      } else if ((await read(setting))?.levelOfControl === 'controlled_by_this_extension') {
        // Hand the setting back to the person (or whoever had it before).
        await setting.clear({});
      }
      reading = await read(setting);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  } else if (permission) {
    error = 'this browser has no privacy.network.networkPredictionEnabled';
  }
  const state = preconnectState({ wanted, permission, reading, failed: error !== null });
  return { wanted, chosen, locked, permission, state, reading, error };
}

let queue: Promise<unknown> = Promise.resolve();

/** One application at a time, each reading fresh state: the last one wins. */
export function applyNetworkPrediction(): Promise<PreconnectStatus> {
  const run = queue.then(applyNow, applyNow);
  queue = run.catch(() => undefined);
  return run;
}

/** Back to the default (off); the permission is given back too. Used by "reset everything". */
export async function resetNetworkPrediction(): Promise<void> {
  await browser.storage.local.remove(PRECONNECT_KEY);
  await applyNetworkPrediction();
  await dropPermissionIfUnwanted();
}

async function dropPermissionIfUnwanted(): Promise<void> {
  const { wanted } = await loadWanted();
  if (wanted || !(await hasPermission())) return;
  // Fails when the permission is a required one (a test build); nothing to give back then.
  await browser.permissions.remove(PRIVACY).catch(() => undefined);
}

/**
 * Registers the listeners (synchronously: call at the top level of the
 * background). A browser start applies the setting at once (onStartup: tabs
 * restored then navigate at once); the browser keeps it between starts, and
 * applyNetworkPredictionForStart repairs any drift on every worker start.
 */
export function listenForNetworkPrediction(): void {
  browser.permissions.onAdded.addListener(() => void applyNetworkPrediction());
  browser.permissions.onRemoved.addListener(() => void applyNetworkPrediction());
  browser.runtime.onStartup.addListener(() => void applyNetworkPrediction());
  // The administrator's policy may ask for it (or stop asking) at any time.
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void applyNetworkPrediction();
  });
}

/** Applies the setting once for this worker start (errors are logged, never thrown). */
export function applyNetworkPredictionForStart(): Promise<void> {
  return applyNetworkPrediction().then(
    () => undefined,
    (error: unknown) => console.error('network prediction: could not apply', error),
  );
}

type PreconnectKinds = 'getPreconnectStatus' | 'setPreventPreconnect';

export function preconnectHandlers(): HandlersFor<PreconnectKinds> {
  return {
    // Applies before answering: what the popup shows is what holds now, even
    // if another extension or a policy took the setting over since.
    async getPreconnectStatus() {
      return applyNetworkPrediction();
    },

    async setPreventPreconnect({ enabled }) {
      const { locked } = await loadWanted();
      if (locked) throw new Error('setPreventPreconnect: this setting is managed by your organization');
      const value: PreconnectChoice = { preventPreconnect: enabled };
      await browser.storage.local.set({ [PRECONNECT_KEY]: value });
      const status = await applyNetworkPrediction();
      if (!enabled) await dropPermissionIfUnwanted();
      return { ...status, permission: await hasPermission() };
    },
  };
}
