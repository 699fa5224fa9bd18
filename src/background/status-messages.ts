/**
 * getEnforcementStatus: the status page's answer, read from the live
 * browser each time (the managed area, the installed rules, private-window
 * access, network prediction, the last sync). Nothing is sent anywhere.
 */
import { browser } from '../platform/browser';
import { pickText } from '../shared/i18n';
import type { EnforcementStatus } from '../shared/enforcement-status';
import { MANAGED_LAST_SEEN_KEY } from '../shared/storage-keys';
import { readLastSeenPolicy } from '../shared/managed-read';
import { loadEffectiveState } from './effective';
import type { HandlersFor } from './handler-types';
import { loadInstallType } from './managed';
import { applyNetworkPrediction } from './network-prediction';
import { loadRuleInput } from './rule-input';
import { rulesDigest } from '../core/rule-digest';
import { compileRuleSet } from './rules';
import { loadSettings } from './state';
import { loadSyncStatus } from './sync-status';

/** The hosts a rule set stops: the requestDomains of every rule that is not an exception. */
function stoppedHosts(rules: readonly { action: { type: string }; condition: { requestDomains?: string[] } }[]): string[] {
  const hosts = new Set<string>();
  for (const rule of rules) {
    if (rule.action.type === 'allow' || rule.action.type === 'allowAllRequests') continue;
    for (const host of rule.condition.requestDomains ?? []) hosts.add(host);
  }
  return [...hosts].sort();
}

export async function readEnforcementStatus(): Promise<EnforcementStatus> {
  const readAt = Date.now();
  const [state, installType, installed, privateWindows, preconnect, sync, stored, input] = await Promise.all([
    loadEffectiveState(),
    loadInstallType(),
    browser.declarativeNetRequest.getDynamicRules(),
    browser.extension.isAllowedIncognitoAccess().catch(() => false),
    applyNetworkPrediction(),
    loadSyncStatus(),
    browser.storage.local.get(MANAGED_LAST_SEEN_KEY),
    loadRuleInput(),
  ]);
  const { managed, effective, policies } = state;
  const settings = await loadSettings(policies.knownOrganizations);
  const expected = compileRuleSet(input).dynamic;
  const lastSeen = readLastSeenPolicy(stored[MANAGED_LAST_SEEN_KEY]);
  // The browser's values are remembered as the last policy seen whenever it hands any over.
  const keys = !managed.present ? [] : Object.keys(managed.fallback?.restrictive ? managed.policy : (lastSeen?.values ?? managed.policy)).sort();
  const nameOf = (id: string) => {
    const org = policies.bundle.organizations.find((o) => o.id === id);
    return org ? pickText(org.name, 'en') : id;
  };
  const forced = new Set(effective.forcedOrganizations);
  return {
    readAt,
    version: browser.runtime.getManifest().version,
    browser: __TARGET__,
    installType,
    managed: {
      present: managed.present,
      keys,
      seenAt: managed.fallback ? managed.fallback.seenAt : (lastSeen?.seenAt ?? (managed.present ? readAt : null)),
      problems: managed.problems,
      fallback: managed.fallback,
    },
    profiles: effective.enabledOrganizations.map((id) => ({ id, name: nameOf(id), setBy: forced.has(id) ? 'policy' : 'you' })),
    profilesLocked: effective.profilesLocked,
    device: {
      context: effective.deviceContext,
      setBy: managed.policy.deviceContext !== undefined || effective.deviceContextHeld ? 'policy' : settings.deviceContext !== undefined ? 'you' : null,
    },
    rules: {
      installed: installed.length,
      hosts: stoppedHosts(installed as unknown as Parameters<typeof stoppedHosts>[0]),
      digest: rulesDigest(installed),
      expected: expected.length,
      expectedDigest: rulesDigest(expected),
    },
    privateWindows,
    preconnect: { wanted: preconnect.wanted, state: preconnect.state, error: preconnect.error },
    sync,
  };
}

export function statusHandlers(): HandlersFor<'getEnforcementStatus'> {
  return {
    getEnforcementStatus: () => readEnforcementStatus(),
  };
}
