/**
 * The one owner of the extension's declarativeNetRequest rules. Every change
 * rebuilds the whole set from settings and exceptions and swaps it in one
 * update call, so IDs never collide and the last call always wins.
 *
 * Profile rules (redirects, blocks) are dynamic rules: they persist across
 * browser restarts. Proceed exceptions are session rules, cleared with the
 * browser session exactly like the storage.session they come from.
 */
import { browser } from '../platform/browser';
import { compileDnrRules, type DnrRule } from '../core/dnr';
import { canonicalJson } from '../core/verdict-table-build';
import { VERDICT_KEY_PARAM, type VerdictTable } from '../core/verdict-table';
import type { PolicyBundle } from '../core/policy-schema';
import type { ProceedException } from '../core/decision-types';
import type { DeviceContext } from '../core/device-context';
import { lastingInterstitialUrl } from '../shared/paths';
import { VERDICT_TABLE_KEY } from '../shared/storage-keys';

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

export function syncRules(load: () => Promise<RuleInput>): Promise<RuleSyncResult> {
  return serialized(async () => {
    // State is read inside the queue so each run sees every earlier write.
    const { bundle, enabledOrganizations, exceptions, deviceContext, verdictTable } = await load();
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
    const dynamic = rules.filter((r) => !isException(r));
    const session = rules.filter(isException);

    const dnr = browser.declarativeNetRequest;
    const [oldDynamic, oldSession, stored] = await Promise.all([
      dnr.getDynamicRules(),
      dnr.getSessionRules(),
      browser.storage.local.get(VERDICT_TABLE_KEY),
    ]);
    // The table goes in before the rules that name it: a page they send finds it there.
    // A page sent by the rules still in place carries the old key, misses, and asks the background.
    const storedKey = (stored[VERDICT_TABLE_KEY] as { key?: unknown } | undefined)?.key;
    if (storedKey !== verdictTable.key) await browser.storage.local.set({ [VERDICT_TABLE_KEY]: verdictTable });
    // Every worker start syncs; most find the rules already right. Leaving them be
    // spares the browser re-indexing its rules while a page may be loading.
    // Exceptions first: an allow rule whose exception has ended (an update or a
    // reload keeps session rules, not the storage.session they came from) goes
    // before anything else is rebuilt.
    if (!sameRules(oldSession, session)) {
      await dnr.updateSessionRules({
        removeRuleIds: oldSession.map((r) => r.id),
        addRules: session as unknown as ChromeRule[],
      });
    }
    if (!sameRules(oldDynamic, dynamic)) {
      await dnr.updateDynamicRules({
        removeRuleIds: oldDynamic.map((r) => r.id),
        addRules: dynamic as unknown as ChromeRule[],
      });
    }
    return { dynamic: dynamic.length, session: session.length };
  });
}
