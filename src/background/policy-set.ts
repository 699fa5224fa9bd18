/**
 * The policies in force: the shipped bundle, the custom organizations
 * stored in storage.local, and the administrator's own organizations from
 * the managed policy. The decider built from them is cached while those stay
 * the same; the storage is the truth.
 */
import { browser } from '../platform/browser';
import { administratorFirst } from '../core/citation-order';
import { createDecider, type Decider } from '../core/decide';
import type { CustomPolicies } from '../core/custom-organizations';
import type { PolicyBundle } from '../core/policy-schema';
import { localDay, rulesInEffect } from '../core/notice-lifecycle';
import { CUSTOM_POLICIES_KEY, STORAGE_NOTICE_KEY } from '../shared/storage-keys';
import { bundle as shippedBundle } from './bundle';
import { validation } from './lazy-validation';

const EMPTY_CUSTOM_POLICIES: CustomPolicies = { sources: [], organizations: [] };

/** mergeIntoBundle, without loading the schema library when there is nothing to merge (most people). */
function mergeIntoBundle(bundle: PolicyBundle, custom: CustomPolicies): PolicyBundle {
  return custom.organizations.length === 0 ? bundle : validation().mergeIntoBundle(bundle, custom);
}

export interface PolicySet {
  /** Shipped, the user's custom and the administrator's organizations together. */
  bundle: PolicyBundle;
  decider: Decider;
  knownOrganizations: ReadonlySet<string>;
  /** The user's own custom organizations, as stored. */
  custom: CustomPolicies;
  /** The administrator's organizations (managed key `organizations`). */
  managed: CustomPolicies;
}

/**
 * The administrator's organizations are cited first (among equals) and win: a user's custom
 * organization or source with the same id is left out of the bundle (it
 * stays stored), so nothing imported can replace or re-word what the
 * organization deployed.
 */
function build(custom: CustomPolicies, managed: CustomPolicies, today: string): PolicySet {
  const managedIds = new Set(managed.organizations.map((o) => o.id));
  const managedSources = new Set(managed.sources.map((s) => s.id));
  const userOrganizations = custom.organizations.filter(
    (o) => !managedIds.has(o.id) && !o.notices.some((n) => managedSources.has(n.source)),
  );
  const user = { sources: custom.sources.filter((s) => !managedSources.has(s.id)), organizations: userOrganizations };
  // A notice before its first day or after its last stops nothing (src/core/notice-lifecycle.ts).
  const bundle = administratorFirst(mergeIntoBundle(mergeIntoBundle(shippedBundle, rulesInEffect(user, today)), rulesInEffect(managed, today)), managedIds);
  let decider: Decider | undefined;
  return {
    bundle,
    // Built on first use: answering the popup or the options page needs no host index.
    get decider() {
      decider ??= createDecider(bundle);
      return decider;
    },
    knownOrganizations: new Set(bundle.organizations.map((o) => o.id)),
    custom,
    managed,
  };
}

let storedCache: { key: string; value: CustomPolicies } = { key: 'null', value: EMPTY_CUSTOM_POLICIES };

/** The user's custom organizations, as stored (what could not be used is dropped once, and said). */
export async function loadCustomPolicies(): Promise<CustomPolicies> {
  return customPoliciesFrom((await browser.storage.local.get(CUSTOM_POLICIES_KEY))[CUSTOM_POLICIES_KEY]);
}

/** loadCustomPolicies, from the value under CUSTOM_POLICIES_KEY that the caller read (with other keys, in one read). */
export async function customPoliciesFrom(stored: unknown): Promise<CustomPolicies> {
  const key = JSON.stringify(stored ?? null);
  if (key === storedCache.key) return storedCache.value;
  if (stored === undefined || stored === null) {
    storedCache = { key, value: EMPTY_CUSTOM_POLICIES };
    return storedCache.value;
  }
  const { value, dropped } = validation().readStoredCustomPolicies(stored, shippedBundle);
  if (dropped.length > 0) {
    // What could not be used is removed once, and the person is told where it was.
    // A refused write must not stop the state loading (the rules are built from
    // it): what is read is used, and the next read drops the same again.
    await browser.storage.local.set({ [CUSTOM_POLICIES_KEY]: value, [STORAGE_NOTICE_KEY]: dropped.join('\n') }).catch((error: unknown) => {
      console.warn('cleaned custom policies not stored', error);
    });
    storedCache = { key: JSON.stringify(value), value };
  } else {
    storedCache = { key, value };
  }
  return value;
}

let cache: { custom: CustomPolicies; managed: CustomPolicies; managedKey: string; today: string; set: PolicySet } | null = null;

/**
 * The policies in force, the administrator's organizations included.
 * `stored`: the custom policies when the caller has just read them (one storage read less).
 */
export async function loadPolicySet(managed: CustomPolicies = EMPTY_CUSTOM_POLICIES, stored?: CustomPolicies): Promise<PolicySet> {
  const custom = stored ?? (await loadCustomPolicies());
  const today = localDay(Date.now());
  // The managed reading is kept while the policy is the same (src/background/managed.ts): the same object, no need to compare its text.
  const sameManaged = cache?.managed === managed;
  const managedKey = sameManaged ? cache!.managedKey : managed.organizations.length === 0 ? '' : JSON.stringify(managed);
  if (cache && cache.custom === custom && cache.managedKey === managedKey && cache.today === today) return cache.set;
  cache = { custom, managed, managedKey, today, set: build(custom, managed, today) };
  return cache.set;
}

/** Ids of the shipped and the user's custom organizations (what a policy may force on besides its own). */
export function knownWithout(custom: CustomPolicies): ReadonlySet<string> {
  return new Set([...shippedBundle.organizations.map((o) => o.id), ...custom.organizations.map((o) => o.id)]);
}

export async function saveCustomPolicies(custom: CustomPolicies): Promise<void> {
  await browser.storage.local.set({ [CUSTOM_POLICIES_KEY]: custom });
}

export { shippedBundle };

let writes: Promise<unknown> = Promise.resolve();

/**
 * Read-modify-write of the custom policies, one at a time. `change` may throw
 * to refuse the change; nothing is written then.
 */
export function updateCustomPolicies<R extends { value: CustomPolicies }>(change: (current: CustomPolicies) => R): Promise<R> {
  const run = writes.then(async () => {
    const result = change(await loadCustomPolicies());
    await saveCustomPolicies(result.value);
    return result;
  });
  writes = run.catch(() => undefined);
  return run;
}
