/**
 * Reading `storage.managed` so that it fails closed. Pure and zod-free: the
 * background passes in what the browser answered and the last policy it saw.
 *
 * Only the browser's own "nothing is managed" answer counts as unmanaged:
 * Chrome resolves `{}` when no policy exists, Firefox rejects with "Managed
 * storage manifest not found". But Chrome also answers `{}` before its policy
 * store is ready (w3c/webextensions#547; seen here: a policy written before
 * launch was not visible at 1.5 s, was at 3-6 s), and any read can fail. So
 * an empty read after a policy was seen, or any other error, keeps the last
 * policy seen (stored locally) until `storage.onChanged` says it changed.
 */

/** What one `storage.managed.get()` gave. */
export type ManagedAnswer =
  | { kind: 'values'; values: Record<string, unknown> }
  | { kind: 'error'; message: string };

/** The last policy the browser handed over, kept in storage.local. */
export interface LastSeenPolicy {
  values: Record<string, unknown>;
  /** Epoch ms of the read (or change) that gave it. */
  seenAt: number;
}

/**
 * Why the last policy seen (or, with none seen, the restrictive reading)
 * applies instead of what was just read. `admin-empty`: the browser installed
 * the extension by policy, yet handed over no values, which is what Chrome
 * does when every value had the wrong type for managed-schema.json.
 */
export interface ManagedFallback {
  reason: 'empty-read' | 'read-failed' | 'admin-empty';
  /** The browser's error, for `read-failed`. */
  detail: string | null;
  /** When the policy applied was seen; for the restrictive reading, when it was decided. */
  seenAt: number;
  /** True when no policy was ever seen and the restrictive reading applies. */
  restrictive?: boolean;
}

/**
 * What an extension installed by policy applies when the policy it was given
 * never arrived and none was seen before: every profile locked as it stands,
 * no way past a block, a reason before any proceed, the log on and locked,
 * and a work device. The reader reports each key like any other value.
 */
export const RESTRICTIVE_READING: Readonly<Record<string, unknown>> = Object.freeze({
  lockProfiles: true,
  allowProceedOnBlock: false,
  requireJustification: true,
  activityLog: true,
  deviceContext: 'work',
});

export interface ManagedResolution {
  /** The values to apply; undefined when nothing is managed. */
  values: Record<string, unknown> | undefined;
  fallback: ManagedFallback | null;
  /** What to store as the last policy seen: a new value, `null` to forget it, `undefined` to leave it. */
  remember: LastSeenPolicy | null | undefined;
}

/** Firefox's answer when policies.json has nothing for this extension. */
export function isNoManagedStorageError(message: string): boolean {
  return /managed storage manifest not found/i.test(message);
}

function isEmpty(values: Record<string, unknown>): boolean {
  return Object.keys(values).length === 0;
}

/**
 * True when resolving `answer` needs the whole last policy seen: only an
 * answer with values can be resolved knowing no more than whether they are the
 * ones seen last (the stored digest tells that without reading the copy).
 */
export function answerNeedsLastSeen(answer: ManagedAnswer): boolean {
  return !(answer.kind === 'values' && !isEmpty(answer.values));
}

/** A policy with values applies as read; it is remembered unless it is the one seen last. */
export function resolvePresentValues(values: Record<string, unknown>, sameAsLastSeen: boolean, now: number): ManagedResolution {
  return { values, fallback: null, remember: sameAsLastSeen ? undefined : { values, seenAt: now } };
}

/**
 * `adminInstalled`: the browser says it installed this extension by policy
 * (`management.getSelf().installType === 'admin'`), so an empty managed area
 * is a policy that did not arrive, never "nothing managed".
 */
export function resolveManagedAnswer(answer: ManagedAnswer, lastSeen: LastSeenPolicy | null, now: number, adminInstalled = false): ManagedResolution {
  if (answer.kind === 'values' && !isEmpty(answer.values)) {
    return resolvePresentValues(answer.values, lastSeen !== null && JSON.stringify(lastSeen.values) === JSON.stringify(answer.values), now);
  }
  if (answer.kind === 'error' && isNoManagedStorageError(answer.message)) {
    // Firefox reads policies.json once, at start-up: this answer is final for the session.
    return { values: undefined, fallback: null, remember: lastSeen ? null : undefined };
  }
  if (adminInstalled && answer.kind === 'values') {
    if (lastSeen !== null && !isEmpty(lastSeen.values)) {
      return { values: lastSeen.values, fallback: { reason: 'admin-empty', detail: null, seenAt: lastSeen.seenAt }, remember: undefined };
    }
    return {
      values: { ...RESTRICTIVE_READING },
      fallback: { reason: 'admin-empty', detail: null, seenAt: now, restrictive: true },
      remember: undefined,
    };
  }
  if (lastSeen === null || isEmpty(lastSeen.values)) {
    return { values: undefined, fallback: null, remember: undefined };
  }
  return {
    values: lastSeen.values,
    fallback:
      answer.kind === 'error'
        ? { reason: 'read-failed', detail: answer.message, seenAt: lastSeen.seenAt }
        : { reason: 'empty-read', detail: null, seenAt: lastSeen.seenAt },
    remember: undefined,
  };
}

/** One key's change, as `storage.onChanged` reports it. */
export interface StorageChange {
  oldValue?: unknown;
  newValue?: unknown;
}

/**
 * The last policy seen after `storage.onChanged` for the managed area: the
 * browser's word on what changed, so a removed key (or a removed policy) is
 * gone from then on even if the next read comes back empty.
 */
export function applyManagedChanges(
  lastSeen: LastSeenPolicy | null,
  changes: Record<string, StorageChange>,
  now: number,
): LastSeenPolicy | null {
  const values: Record<string, unknown> = { ...(lastSeen?.values ?? {}) };
  for (const [key, change] of Object.entries(changes)) {
    if (change.newValue === undefined) delete values[key];
    else values[key] = change.newValue;
  }
  return isEmpty(values) ? null : { values, seenAt: now };
}

/** Reads the stored copy; anything unusable counts as "none seen". */
export function readLastSeenPolicy(raw: unknown): LastSeenPolicy | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const { values, seenAt } = raw as { values?: unknown; seenAt?: unknown };
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return null;
  if (typeof seenAt !== 'number' || !Number.isFinite(seenAt)) return null;
  return { values: values as Record<string, unknown>, seenAt };
}
