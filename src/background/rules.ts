/**
 * The one owner of the extension's declarativeNetRequest rules. Every change
 * rebuilds the whole set from settings and exceptions and swaps it in, so IDs
 * never collide and the last call always wins.
 *
 * Profile rules (redirects, blocks) are dynamic rules: they persist across
 * browser restarts. Proceed exceptions are session rules, cleared with the
 * browser session exactly like the storage.session they come from.
 *
 * Rules first, the verdict table after: allow rules that no longer hold are
 * removed before anything else, the redirect and block rules are written
 * whatever happens to the table, and a table that cannot be written (the
 * storage quota, its size bound) is removed, so warning pages ask the
 * background. A failed cache write never leaves a rule stale.
 */
import { browser } from '../platform/browser';
import { verdictTableArea } from '../platform/storage-access';
import { compileDnrRules, type DnrRule } from '../core/dnr';
import { canonicalJson, verdictTableFits } from '../core/verdict-table-build';
import { VERDICT_KEY_PARAM, type VerdictTable } from '../core/verdict-table';
import type { PolicyBundle } from '../core/policy-schema';
import type { ProceedException } from '../core/decision-types';
import type { DeviceContext } from '../core/device-context';
import { lastingInterstitialUrl } from '../shared/paths';
import { VERDICT_TABLE_KEY, VERDICT_TABLE_KEY_KEY } from '../shared/storage-keys';

type ChromeRule = Parameters<typeof browser.declarativeNetRequest.updateDynamicRules>[0] extends infer O
  ? O extends { addRules?: (infer R)[] }
    ? R
    : never
  : never;

/**
 * The interstitial at the extension's own, lasting origin: the background's
 * origin (chrome-extension://<extension id>, moz-extension://<uuid>), not
 * runtime.getURL.
 *
 * In Chromium the interstitial is web-accessible with `use_dynamic_url`, and
 * runtime.getURL answers with an address whose host is a random GUID made
 * anew for every browser session. The dynamic rules persist across a restart
 * but that GUID does not: a rule naming it sent every banned navigation of
 * the first seconds after a restart (restored tabs, links opened at
 * start-up) to chrome-error://, until the worker rebuilt the rules. Chromium
 * follows a redirect rule to the extension-id address, while web pages still
 * can neither load nor fetch it (they could fetch the GUID address), so the
 * lasting address keeps what use_dynamic_url protects and survives restarts.
 */
export const interstitialUrl = lastingInterstitialUrl;

let queue: Promise<unknown> = Promise.resolve();

/** Runs rule updates one after another: rapid toggles end in the final state. */
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

export interface RuleSyncResult {
  dynamic: number;
  session: number;
}

/** What the rules are compiled from: the policies in force (shipped + custom) and what applies. */
export interface RuleInput {
  bundle: PolicyBundle;
  /** The user's profiles and those an administrator forced on. */
  enabledOrganizations: readonly string[];
  exceptions: ProceedException[];
  /** Where this browser is: decides whether a network-scoped ban is a rule here at all. */
  deviceContext: DeviceContext;
  /** The verdicts these rules stand for, built from the same state (src/core/verdict-table.ts). */
  verdictTable: VerdictTable<unknown>;
}

/** Whether the installed rules are exactly the compiled ones (same ids, same content); anything else is rewritten. */
function sameRules(installed: readonly unknown[], compiled: readonly DnrRule[]): boolean {
  if (installed.length !== compiled.length) return false;
  const byId = (r: unknown) => (r as { id: number }).id;
  const sort = (rules: readonly unknown[]) => [...rules].sort((x, y) => byId(x) - byId(y));
  return canonicalJson(sort(installed)) === canonicalJson(sort(compiled));
}

/**
 * The session (allow) rules become `wanted` in two steps: those that no longer
 * hold go first, in a call of their own, so that a failure adding the others
 * (a rule limit, say) cannot keep an ended exception's rule in place.
 */
async function replaceSessionRules(installed: readonly { id: number }[], wanted: readonly DnrRule[]): Promise<void> {
  const dnr = browser.declarativeNetRequest;
  const byId = new Map(wanted.map((r) => [r.id, canonicalJson(r)]));
  const stale = installed.filter((r) => byId.get(r.id) !== canonicalJson(r)).map((r) => r.id);
  if (stale.length > 0) await dnr.updateSessionRules({ removeRuleIds: stale });
  const kept = new Set(installed.map((r) => r.id).filter((id) => !stale.includes(id)));
  const added = wanted.filter((r) => !kept.has(r.id));
  if (added.length > 0) await dnr.updateSessionRules({ addRules: added as unknown as ChromeRule[] });
}

/**
 * Stores the table the new rules name, unless it is already there, in the
 * area only the extension can reach (storage.local in Chrome, storage.session
 * in Firefox: src/platform/storage-access.ts). One that is over its bound or
 * refused by the storage is removed instead (a failed removal leaves a table
 * under another key, which no rule names: pages ask the background either
 * way). Never throws: the rules are already in place.
 */
async function storeVerdictTable(table: VerdictTable<unknown>): Promise<void> {
  const area = verdictTableArea();
  const both = [VERDICT_TABLE_KEY, VERDICT_TABLE_KEY_KEY];
  try {
    // The key alone, not the table: set with it in one call (below), so it is there only when the table is.
    const stored = (await area.get(VERDICT_TABLE_KEY_KEY))[VERDICT_TABLE_KEY_KEY];
    if (stored === table.key) return;
    if (verdictTableFits(table)) await area.set({ [VERDICT_TABLE_KEY]: table, [VERDICT_TABLE_KEY_KEY]: table.key });
    else await area.remove(both);
  } catch (error) {
    console.warn('verdict table not stored; warning pages will ask the background', error);
    await area.remove(both).catch(() => undefined);
  }
}

/**
 * Firefox: removes the table that versions before storage.session kept in
 * storage.local, where content scripts can write too. No page reads it there;
 * it is removed so that nothing a page could have forged lingers beside the
 * settings. Run at install and update. Never throws.
 */
export async function removeLocalVerdictTable(): Promise<void> {
  if (__TARGET__ !== 'firefox') return;
  await browser.storage.local.remove(VERDICT_TABLE_KEY).catch((error: unknown) => console.warn('the old verdict table was not removed', error));
}

/** The rules a state compiles to: dynamic (what stops pages) and session (proceed exceptions). */
export function compileRuleSet({ bundle, enabledOrganizations, exceptions, deviceContext, verdictTable }: RuleInput): { dynamic: DnrRule[]; session: DnrRule[] } {
  const rules = compileDnrRules({
    bundle,
    enabledOrganizations,
    exceptions,
    deviceContext,
    now: Date.now(),
    // The table's key rides on every redirect: the page finds the verdicts of the rules that sent it.
    interstitialUrl: `${interstitialUrl()}?${VERDICT_KEY_PARAM}=${verdictTable.key}`,
    target: __TARGET__,
  });
  const isException = (r: DnrRule) => r.action.type === 'allow' || r.action.type === 'allowAllRequests';
  return { dynamic: rules.filter((r) => !isException(r)), session: rules.filter(isException) };
}

export function syncRules(load: () => Promise<RuleInput>): Promise<RuleSyncResult> {
  return serialized(async () => {
    // State is read inside the queue so each run sees every earlier write.
    const input = await load();
    const { verdictTable } = input;
    const { dynamic, session } = compileRuleSet(input);

    const dnr = browser.declarativeNetRequest;
    const [oldDynamic, oldSession] = await Promise.all([dnr.getDynamicRules(), dnr.getSessionRules()]);
    // Every worker start syncs; most find the rules already right. Leaving them be
    // spares the browser re-indexing its rules while a page may be loading.
    // Exceptions first: an allow rule whose exception has ended (an update or a
    // reload keeps session rules, not the storage.session they came from) goes
    // before anything else is rebuilt or written.
    if (!sameRules(oldSession, session)) await replaceSessionRules(oldSession, session);
    if (!sameRules(oldDynamic, dynamic)) {
      await dnr.updateDynamicRules({
        removeRuleIds: oldDynamic.map((r) => r.id),
        addRules: dynamic as unknown as ChromeRule[],
      });
    }
    // Then the table the new rules name. Until it is stored, a page they send
    // finds the old table under another key, misses, and asks the background.
    await storeVerdictTable(verdictTable);
    return { dynamic: dynamic.length, session: session.length };
  });
}
