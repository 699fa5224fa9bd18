/**
 * The options page's data: custom organization policies (import, export,
 * remove), the local activity log (read, clear), and reset.
 */
import {
  MAX_CUSTOM_ORGANIZATIONS,
  customPoliciesFile,
  mergeCustomPolicies,
  parseCustomPoliciesFile,
  removeCustomOrganization,
} from '../core/custom-organizations';
import { summarizeOrganization } from '../core/verdict-view';
import { ACTIVITY_LOG_CAP } from '../shared/activity-log';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { clearActivityLog, loadActivityLog } from './activity';
import { loadEffectiveState } from './effective';
import type { BackgroundContext, HandlersFor } from './handler-types';
import { resetNetworkPrediction } from './network-prediction';
import { loadPolicySet, shippedBundle, updateCustomPolicies } from './policy-set';
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

export function dataHandlers(ctx: BackgroundContext): HandlersFor<DataKinds> {
  return {
    async importCustomPolicies({ text }) {
      const parsed = parseCustomPoliciesFile(text, shippedBundle);
      if (!parsed.ok) {
        const more = parsed.errors.length - MAX_ERRORS_SHOWN;
        throw new Error([...parsed.errors.slice(0, MAX_ERRORS_SHOWN), ...(more > 0 ? [`… ${more} more`] : [])].join('\n'));
      }
      const result = await updateCustomPolicies((current) => {
        const merged = mergeCustomPolicies(current, parsed.policies);
        if (merged.value.organizations.length > MAX_CUSTOM_ORGANIZATIONS) {
          throw new Error(`organizations: at most ${MAX_CUSTOM_ORGANIZATIONS} custom organizations can be kept`);
        }
        return merged;
      });
      await ctx.applyState('custom-policies');
      return { added: result.added, replaced: result.replaced };
    },

    async exportCustomPolicies() {
      return customPoliciesFile((await loadPolicySet()).custom);
    },

    async removeCustomOrganization({ organizationId }) {
      const result = await updateCustomPolicies((current) => {
        const value = removeCustomOrganization(current, organizationId);
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
        enabled: effective.activityLog,
        locked: effective.activityLogLocked,
        cap: ACTIVITY_LOG_CAP,
        organizations: policies.bundle.organizations.map(summarizeOrganization),
      };
    },

    async clearActivityLog() {
      await clearActivityLog();
      return {};
    },

    async resetAll() {
      // The administrator's policy lives in storage.managed and is untouched.
      await updateCustomPolicies(() => ({ value: { sources: [], organizations: [] } }));
      await clearActivityLog();
      await clearStorageNotice();
      const { policies } = await loadEffectiveState();
      await updateSettings(policies.knownOrganizations, () => ({ ...DEFAULT_SETTINGS, onboarded: true }));
      await updateExceptions(() => []);
      await resetNetworkPrediction();
      await ctx.applyState('reset');
      return {};
    },
  };
}
