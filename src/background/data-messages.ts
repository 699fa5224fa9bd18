/**
 * The options page's data: custom organization policies (import, export,
 * remove), the local activity log (read, clear), and reset.
 *
 * What the administrator's policy holds is refused here, whatever a page
 * shows: an import or a remove cannot touch a forced or locked profile or
 * one of the organization's own, the log cannot be cleared while the policy
 * keeps it, and reset leaves forced and locked profiles as they are.
 */
import type { DecideOptions } from '../core/decision-types';
import { summarizeOrganization } from '../core/verdict-view';
import { ACTIVITY_LOG_CAP } from '../shared/activity-log';
import { DEFAULT_SETTINGS } from '../shared/stored-fast';
import { heldByPolicy, heldSourceConflicts, logHeldByPolicy, profilesKeptOnReset } from '../shared/policy-locks';
import { clearActivityLog, loadActivityDrops, loadActivityLog } from './activity';
import { decideOptions, loadEffectiveState, type EffectiveState } from './effective';
import type { BackgroundContext, HandlersFor } from './handler-types';
import { passGate, stopsLoweredBy, stopsOfOrganizations } from './lowering-gate';
import { validation } from './lazy-validation';
import { resetNetworkPrediction } from './network-prediction';
import { loadCustomPolicies, loadPolicySet, shippedBundle, updateCustomPolicies } from './policy-set';
import { clearStorageNotice, updateExceptions, updateSettings } from './state';

type DataKinds =
  | 'importCustomPolicies'
  | 'exportCustomPolicies'
  | 'removeCustomOrganization'
  | 'getActivityLog'
  | 'clearActivityLog'
  | 'resetAll';

/** Errors cross the message boundary as one string: one problem a line, the first 20. */
const MAX_ERRORS_SHOWN = 20;

function held({ policies, effective }: Pick<EffectiveState, 'policies' | 'effective'>, id: string): string | null {
  return heldByPolicy(effective, policies.managed.organizations.map((o) => o.id), id);
}

export function dataHandlers(ctx: BackgroundContext): HandlersFor<DataKinds> {
  return {
    async importCustomPolicies({ text }) {
      const { parseCustomPoliciesFile, mergeCustomPolicies, customPoliciesOverLimit } = validation();
      const parsed = parseCustomPoliciesFile(text, shippedBundle);
      if (!parsed.ok) {
        const more = parsed.errors.length - MAX_ERRORS_SHOWN;
        throw new Error([...parsed.errors.slice(0, MAX_ERRORS_SHOWN), ...(more > 0 ? [`… ${more} more`] : [])].join('\n'));
      }
      const state = await loadEffectiveState();
      const refused = parsed.policies.organizations.flatMap((org, i) => {
        const why = held(state, org.id);
        return why ? [`organizations.${i}.id: "${org.id}" ${why}; an import cannot replace it`] : [];
      });
      // Nor may it reword a source that a held organization cites.
      refused.push(...heldSourceConflicts(parsed.policies, await loadCustomPolicies(), (id) => held(state, id) !== null));
      if (refused.length > 0) throw new Error(refused.slice(0, MAX_ERRORS_SHOWN).join('\n'));
      // A replaced organization's stops may be lowered by its new version.
      passGate('importCustomPolicies', state, {
        path: 'import',
        lowered: stopsOfOrganizations(state, parsed.policies.organizations.map((o) => o.id)),
      });
      const result = await updateCustomPolicies((current) => {
        const merged = mergeCustomPolicies(current, parsed.policies);
        // Thrown before anything is written: what was stored stays as it was.
        const over = customPoliciesOverLimit(merged.value);
        if (over !== null) throw new Error(over);
        return merged;
      });
      await ctx.applyState('custom-policies');
      return { added: result.added, replaced: result.replaced };
    },

    async exportCustomPolicies() {
      return validation().customPoliciesFile((await loadPolicySet()).custom);
    },

    async removeCustomOrganization({ organizationId }) {
      const state = await loadEffectiveState();
      const why = held(state, organizationId);
      if (why) throw new Error(`removeCustomOrganization: "${organizationId}" ${why} and cannot be removed`);
      passGate('removeCustomOrganization', state, { path: 'remove-organization', lowered: stopsOfOrganizations(state, [organizationId]) });
      const result = await updateCustomPolicies((current) => {
        const value = validation().removeCustomOrganization(current, organizationId);
        return { value, removed: value.organizations.length !== current.organizations.length };
      });
      if (result.removed) {
        const { policies } = await loadEffectiveState();
        // Forget it was turned on, so a later import with the same id starts off.
        await updateSettings(policies.knownOrganizations, (s) => ({
          ...s,
          enabledOrganizations: s.enabledOrganizations.filter((id) => id !== organizationId),
        }));
        await ctx.applyState('custom-policies');
      }
      return { removed: result.removed };
    },

    async getActivityLog() {
      const { policies, effective } = await loadEffectiveState();
      return {
        entries: await loadActivityLog(),
        drops: await loadActivityDrops(),
        enabled: effective.activityLog,
        locked: effective.activityLogLocked,
        cap: ACTIVITY_LOG_CAP,
        organizations: policies.bundle.organizations.map(summarizeOrganization),
      };
    },

    async clearActivityLog() {
      if (logHeldByPolicy((await loadEffectiveState()).effective)) {
        throw new Error('clearActivityLog: your organization keeps the activity log, so it cannot be cleared here');
      }
      await clearActivityLog();
      return {};
    },

    async resetAll() {
      // The administrator's policy lives in storage.managed and is untouched;
      // what it forces or locks, and a log it keeps, stay as they are.
      const before = await loadEffectiveState();
      const { effective } = before;
      const keep = profilesKeptOnReset(effective);
      // What the reset leaves on, where the person's own answers are gone: the gate sees what that lowers.
      const after: DecideOptions = {
        ...decideOptions(effective),
        enabledOrganizations: effective.profilesLocked ? effective.enabledOrganizations : effective.forcedOrganizations,
        deviceContext: before.managed.policy.deviceContext ?? 'unsaid',
      };
      passGate('resetAll', before, { path: 'reset', lowered: stopsLoweredBy(before, after) });
      const kept = await updateCustomPolicies((current) => {
        const organizations = current.organizations.filter((o) => keep.has(o.id));
        const cited = new Set(organizations.flatMap((o) => o.notices.map((n) => n.source)));
        return { value: { sources: current.sources.filter((s) => cited.has(s.id)), organizations } };
      });
      const keptLog = logHeldByPolicy(effective);
      if (!keptLog) await clearActivityLog();
      await clearStorageNotice();
      const { policies } = await loadEffectiveState();
      await updateSettings(policies.knownOrganizations, (s) => ({
        ...DEFAULT_SETTINGS,
        onboarded: true,
        enabledOrganizations: effective.profilesLocked ? s.enabledOrganizations : [],
      }));
      await updateExceptions(() => []);
      await resetNetworkPrediction();
      await ctx.applyState('reset');
      // Named by organization: what stays on (forced, or every profile that was on under lockProfiles) and the custom ones it needs.
      const stayOn = effective.profilesLocked ? effective.enabledOrganizations : effective.forcedOrganizations;
      const keptIds = [...new Set([...stayOn, ...kept.value.organizations.map((o) => o.id)])];
      const keptNames = keptIds.map((id) => before.policies.bundle.organizations.find((o) => o.id === id)?.name ?? { en: id, ko: id });
      return { keptOrganizations: keptIds, keptNames, keptLog };
    },
  };
}
