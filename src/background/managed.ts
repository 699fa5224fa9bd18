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
  answerNeedsLastSeen,
  applyManagedChanges,
  readLastSeenPolicy,
  resolveManagedAnswer,
  resolvePresentValues,
  type LastSeenPolicy,
  type ManagedAnswer,
  type ManagedFallback,
  type ManagedResolution,
  type StorageChange,
} from '../shared/managed-read';
import { boundManagedValue, boundManagedValues } from '../shared/managed-bounds';
import type { ManagedReadContext } from '../shared/managed-policy';
import type { ManagedReport } from '../shared/managed-types';
import { MANAGED_LAST_SEEN_DIGEST_KEY, MANAGED_LAST_SEEN_KEY } from '../shared/storage-keys';
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

/** The digest stored beside the last policy seen; null when there is none (or a version before digests kept the copy). */
async function loadLastSeenDigest(): Promise<string | null> {
  const stored = (await browser.storage.local.get(MANAGED_LAST_SEEN_DIGEST_KEY))[MANAGED_LAST_SEEN_DIGEST_KEY];
  return typeof stored === 'string' ? stored : null;
}

/** SHA-256 (hex) of the values as JSON: the same policy read twice gives the same text (the browser keeps keys in order). */
async function digestOf(values: Record<string, unknown>): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(values))));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The copy and its digest, in one write (or one removal): neither is ever stored without the other. */
function storeLastSeen(remember: LastSeenPolicy | null, digest: string | null): Promise<void> {
  return remember === null
    ? browser.storage.local.remove([MANAGED_LAST_SEEN_KEY, MANAGED_LAST_SEEN_DIGEST_KEY])
    : browser.storage.local.set({ [MANAGED_LAST_SEEN_KEY]: remember, [MANAGED_LAST_SEEN_DIGEST_KEY]: digest });
}

let lastSeenWrites: Promise<unknown> = Promise.resolve();

/** One write of the last policy seen at a time, in the order they were decided. */
function rememberLastSeen(change: () => Promise<void>): Promise<void> {
  const run = lastSeenWrites.then(change);
  lastSeenWrites = run.catch(() => undefined);
  return run;
}

export interface ManagedValues {
  values: Record<string, unknown> | undefined;
  fallback: ManagedFallback | null;
  /** SHA-256 of `values` when they are the browser's answer as read (not a fallback): what the validated reading is kept under. */
  digest: string | null;
}

async function readManagedValues(): Promise<ManagedValues> {
  // Beside the browser's answer: the digest of the last policy seen and, only
  // when there is none (nothing seen, the usual case; or a copy kept by a version
  // before digests), the copy itself, so an answer without values seldom waits
  // for a second read. A large policy seen before is read back only when it is needed.
  const [answer, seen, type] = await Promise.all([
    askBrowser(),
    loadLastSeenDigest().then(async (seenDigest) => ({ seenDigest, copy: seenDigest === null ? await loadLastSeen() : undefined })),
    loadInstallType(),
  ]);
  const { seenDigest } = seen;
  let resolution: ManagedResolution;
  let digest: string | null = null;
  if (answerNeedsLastSeen(answer)) {
    const lastSeen = seen.copy !== undefined ? seen.copy : await loadLastSeen();
    resolution = resolveManagedAnswer(answer, lastSeen, Date.now(), type === 'admin');
  } else {
    // A policy with values: whether it is the one seen last is all that is needed,
    // and the digest tells that without reading the whole copy back.
    const values = (answer as { values: Record<string, unknown> }).values;
    digest = await digestOf(values);
    resolution = resolvePresentValues(values, digest === seenDigest, Date.now());
  }
  if (resolution.remember !== undefined) {
    const remember = resolution.remember;
    const rememberDigest = remember === null ? null : (digest ?? (await digestOf(remember.values)));
    // A refused write (a full storage) must not stop the policy applying now.
    await rememberLastSeen(() => storeLastSeen(remember, rememberDigest)).catch((error: unknown) => console.warn('last policy seen not stored', error));
  }
  return { values: resolution.values, fallback: resolution.fallback, digest };
}

/** Bumped by every change the browser reports: a read begun before it is not shared after it. */
let managedEpoch = 0;
/** A read and the epoch it began in; settledAt once it has answered (null while under way). */
interface SharedRead {
  epoch: number;
  read: Promise<ManagedValues>;
  settledAt: number | null;
}
let shared: SharedRead | null = null;

/**
 * How long a finished read answers later callers too, unless the browser
 * reports a change first. Opening the popup or the options page sends several
 * messages at once, and each handing over of a large policy costs as much as
 * the rest of the answer (about 50 ms for 605 KB); a change the browser
 * reports starts a new read at once, and no reading is older than this.
 */
export const MANAGED_READ_REUSE_MS = 5_000;

/**
 * The managed values that apply now (undefined when nothing is managed), and
 * why, when they are the last seen. Callers that ask while a read is under way
 * share it (a worker start asks from several places at once, and a large
 * policy costs as much to hand over as the rest of the start), and so do
 * callers up to MANAGED_READ_REUSE_MS after it finished, unless the browser
 * reported a change since that read began. A read that failed is not shared
 * once it has failed.
 */
export function loadManagedValues(): Promise<ManagedValues> {
  const now = Date.now();
  if (shared && shared.epoch === managedEpoch && (shared.settledAt === null || now - shared.settledAt < MANAGED_READ_REUSE_MS)) return shared.read;
  const entry: SharedRead = { epoch: managedEpoch, read: readManagedValues(), settledAt: null };
  shared = entry;
  entry.read.then(
    () => {
      entry.settledAt = Date.now();
    },
    () => {
      if (shared === entry) shared = null;
    },
  );
  return entry.read;
}

/**
 * readManagedPolicy (src/shared/managed-policy.ts), without loading the schema
 * library when nothing is managed: the usual case, and the one every start meets.
 */
export function readManaged(values: Record<string, unknown> | undefined, context: ManagedReadContext, digest: string | null = null): ManagedReport {
  if (values === undefined) return { present: false, policy: {}, problems: [], fallback: context.fallback ?? null };
  if (digest === null || context.fallback) return validation().readManagedPolicy(values, context);
  // The same policy read against the same catalog and the same custom organizations reads the same:
  // kept while the worker lives, so a start (or a burst of messages) validates a large policy once.
  const key = `${digest}\n${[...context.knownOrganizations].sort().join(',')}`;
  if (readCache?.key === key && readCache.bundle === context.bundle) return readCache.report;
  const report = validation().readManagedPolicy(values, context);
  readCache = { key, bundle: context.bundle, report };
  return report;
}

let readCache: { key: string; bundle: PolicyBundle; report: ManagedReport } | null = null;


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
  managedEpoch += 1;
  return rememberLastSeen(async () => {
    const next = applyManagedChanges(await loadLastSeen(), bounded, Date.now());
    await storeLastSeen(next, next === null ? null : await digestOf(next.values));
  });
}
