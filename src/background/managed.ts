/**
 * Reads the administrator's policy from storage.managed, failing closed (see
 * src/shared/managed-read.ts): only the browser's "nothing is managed" answer
 * counts as unmanaged; an empty read after a policy was seen, or any error,
 * keeps the last policy seen, stored in storage.local, until
 * `storage.onChanged` reports a change to the managed area.
 *
 * Kept cheap when nothing is managed: one managed read, one local read, and
 * the zod-based reader only runs on values that exist.
 */
import { browser } from '../platform/browser';
import type { PolicyBundle } from '../core/policy-schema';
import {
  applyManagedChanges,
  readLastSeenPolicy,
  resolveManagedAnswer,
  type ManagedAnswer,
  type ManagedFallback,
  type StorageChange,
} from '../shared/managed-read';
import { boundManagedValue, boundManagedValues } from '../shared/managed-bounds';
import type { ManagedReadContext } from '../shared/managed-policy';
import type { ManagedReport } from '../shared/managed-types';
import { MANAGED_LAST_SEEN_KEY } from '../shared/storage-keys';
import { validation } from './lazy-validation';

async function askBrowser(): Promise<ManagedAnswer> {
  try {
    const values: unknown = await browser.storage.managed.get();
    if (typeof values === 'object' && values !== null && !Array.isArray(values)) {
      // Bounded before it is compared, stored or read (src/shared/managed-bounds.ts).
      return { kind: 'values', values: boundManagedValues(values as Record<string, unknown>) };
    }
    return { kind: 'error', message: 'storage.managed answered with something other than an object' };
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

let installType: Promise<string | null> | null = null;

/**
 * How the browser installed this extension: 'admin' when by policy (Chrome's
 * ExtensionInstallForcelist / ExtensionSettings, Firefox's ExtensionSettings).
 * `management.getSelf` needs no permission. Asked once per worker life: it
 * cannot change while the extension runs.
 */
export function loadInstallType(): Promise<string | null> {
  installType ??= browser.management
    .getSelf()
    .then((self) => self.installType ?? null)
    .catch(() => null);
  return installType;
}

async function loadLastSeen() {
  const stored = await browser.storage.local.get(MANAGED_LAST_SEEN_KEY);
  const lastSeen = readLastSeenPolicy(stored[MANAGED_LAST_SEEN_KEY]);
  // A copy kept by a version that did not bound it is bounded now.
  return lastSeen && { ...lastSeen, values: boundManagedValues(lastSeen.values) };
}

let lastSeenWrites: Promise<unknown> = Promise.resolve();

/** One write of the last policy seen at a time, in the order they were decided. */
function rememberLastSeen(change: () => Promise<void>): Promise<void> {
  const run = lastSeenWrites.then(change);
  lastSeenWrites = run.catch(() => undefined);
  return run;
}

/** The managed values that apply now (undefined when nothing is managed), and why, when they are the last seen. */
export async function loadManagedValues(): Promise<{ values: Record<string, unknown> | undefined; fallback: ManagedFallback | null }> {
  const [answer, lastSeen, type] = await Promise.all([askBrowser(), loadLastSeen(), loadInstallType()]);
  const resolution = resolveManagedAnswer(answer, lastSeen, Date.now(), type === 'admin');
  if (resolution.remember !== undefined) {
    const remember = resolution.remember;
    // A refused write (a full storage) must not stop the policy applying now.
    await rememberLastSeen(() =>
      remember === null
        ? browser.storage.local.remove(MANAGED_LAST_SEEN_KEY)
        : browser.storage.local.set({ [MANAGED_LAST_SEEN_KEY]: remember }),
    ).catch((error: unknown) => console.warn('last policy seen not stored', error));
  }
  return { values: resolution.values, fallback: resolution.fallback };
}

/**
 * readManagedPolicy (src/shared/managed-policy.ts), without loading the schema
 * library when nothing is managed: the usual case, and the one every start meets.
 */
export function readManaged(values: Record<string, unknown> | undefined, context: ManagedReadContext): ManagedReport {
  if (values === undefined) return { present: false, policy: {}, problems: [], fallback: context.fallback ?? null };
  return validation().readManagedPolicy(values, context);
}

export async function loadManagedPolicy(bundle: PolicyBundle, knownOrganizations: ReadonlySet<string>): Promise<ManagedReport> {
  const { values, fallback } = await loadManagedValues();
  return readManaged(values, { bundle, knownOrganizations, fallback });
}

/**
 * `storage.onChanged` for the managed area: the browser's own word that the
 * policy changed, so what it reports replaces the last policy seen, a
 * removed key or a removed policy included.
 */
export function noteManagedChange(changes: Record<string, StorageChange>): Promise<void> {
  const bounded: Record<string, StorageChange> = {};
  for (const [key, change] of Object.entries(changes)) {
    bounded[key] = change.newValue === undefined ? {} : { newValue: boundManagedValue(key, change.newValue) };
  }
  return rememberLastSeen(async () => {
    const next = applyManagedChanges(await loadLastSeen(), bounded, Date.now());
    if (next === null) await browser.storage.local.remove(MANAGED_LAST_SEEN_KEY);
    else await browser.storage.local.set({ [MANAGED_LAST_SEEN_KEY]: next });
  });
}
