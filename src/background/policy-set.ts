/**
 * The policies in force: the shipped bundle plus the custom organizations
 * stored in storage.local. The decider built from them is cached while the
 * stored custom policies stay the same; the storage is the truth.
 */
import { browser } from '../platform/browser';
import { createDecider, type Decider } from '../core/decide';
import {
  EMPTY_CUSTOM_POLICIES,
  mergeIntoBundle,
  readStoredCustomPolicies,
  type CustomPolicies,
} from '../core/custom-organizations';
import type { PolicyBundle } from '../core/policy-schema';
import { CUSTOM_POLICIES_KEY, STORAGE_NOTICE_KEY } from '../shared/storage-keys';
import { bundle as shippedBundle } from './bundle';

export interface PolicySet {
  /** Shipped and custom organizations together. */
  bundle: PolicyBundle;
  decider: Decider;
  knownOrganizations: ReadonlySet<string>;
  custom: CustomPolicies;
}

function build(custom: CustomPolicies): PolicySet {
  const bundle = mergeIntoBundle(shippedBundle, custom);
  return {
    bundle,
    decider: createDecider(bundle),
    knownOrganizations: new Set(bundle.organizations.map((o) => o.id)),
    custom,
  };
}

let cache: { key: string; set: PolicySet } = { key: 'null', set: build(EMPTY_CUSTOM_POLICIES) };

export async function loadPolicySet(): Promise<PolicySet> {
  const stored = (await browser.storage.local.get(CUSTOM_POLICIES_KEY))[CUSTOM_POLICIES_KEY];
  const key = JSON.stringify(stored ?? null);
  if (key === cache.key) return cache.set;
  const { value, dropped } = readStoredCustomPolicies(stored, shippedBundle);
  if (dropped.length > 0) {
    // What could not be used is removed once, and the person is told where it was.
    await browser.storage.local.set({ [CUSTOM_POLICIES_KEY]: value, [STORAGE_NOTICE_KEY]: dropped.join('\n') });
    cache = { key: JSON.stringify(value), set: build(value) };
  } else {
    cache = { key, set: build(value) };
  }
  return cache.set;
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
    const result = change((await loadPolicySet()).custom);
    await saveCustomPolicies(result.value);
    return result;
  });
  writes = run.catch(() => undefined);
  return run;
}
