/**
 * Reads the administrator's policy from storage.managed. No policy at all is
 * the normal case: Chrome then answers `{}`, Firefox rejects ("Managed storage
 * manifest not found"); both mean "nothing is managed".
 */
import { browser } from '../platform/browser';
import { readManagedPolicy, type ManagedReport } from '../shared/managed-policy';

export async function loadManagedPolicy(knownOrganizations: ReadonlySet<string>): Promise<ManagedReport> {
  let raw: unknown;
  try {
    raw = await browser.storage.managed.get();
  } catch {
    raw = undefined;
  }
  const isEmpty = typeof raw === 'object' && raw !== null && Object.keys(raw).length === 0;
  return readManagedPolicy(isEmpty ? undefined : raw, knownOrganizations);
}
