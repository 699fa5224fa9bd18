/**
 * The last rule sync and what it met, for the status page: kept in
 * storage.session (a worker stops; the answer must outlive it, not the
 * browser session, since rules are synced again at every start).
 */
import { browser } from '../platform/browser';
import type { SyncStatus } from '../shared/enforcement-status';
import { SYNC_STATUS_KEY } from '../shared/storage-keys';
import type { RuleSyncResult } from './rules';

export async function recordSync(reason: string, sync: () => Promise<RuleSyncResult>): Promise<RuleSyncResult> {
  try {
    const result = await sync();
    const status: SyncStatus = { at: Date.now(), reason, error: null, dynamic: result.dynamic, session: result.session };
    await browser.storage.session.set({ [SYNC_STATUS_KEY]: status }).catch(() => undefined);
    return result;
  } catch (error) {
    const status: SyncStatus = { at: Date.now(), reason, error: error instanceof Error ? error.message : String(error), dynamic: null, session: null };
    await browser.storage.session.set({ [SYNC_STATUS_KEY]: status }).catch(() => undefined);
    throw error;
  }
}

export async function loadSyncStatus(): Promise<SyncStatus | null> {
  const raw = (await browser.storage.session.get(SYNC_STATUS_KEY))[SYNC_STATUS_KEY] as Partial<SyncStatus> | undefined;
  if (!raw || typeof raw.at !== 'number' || typeof raw.reason !== 'string') return null;
  return {
    at: raw.at,
    reason: raw.reason,
    error: typeof raw.error === 'string' ? raw.error : null,
    dynamic: typeof raw.dynamic === 'number' ? raw.dynamic : null,
    session: typeof raw.session === 'number' ? raw.session : null,
  };
}
