/**
 * Profiles and settings for the popup and the options page, with what an
 * administrator forced or locked. A locked value is refused here, not only
 * greyed out on the page.
 */
import { summarizeOrganization } from '../core/verdict-view';
import { isProfileLocked } from '../shared/effective-settings';
import type { RequestOf, SettingsResponse } from '../shared/protocol';
import type { Settings } from '../shared/settings';
import { decideOptions, loadEffectiveState, type EffectiveState } from './effective';
import type { BackgroundContext, HandlersFor } from './handler-types';
import { passGate, stopsLoweredBy } from './lowering-gate';
import { clearStorageNotice, loadStorageNotice, updateSettings } from './state';

type SettingsKinds =
  | 'getProfiles'
  | 'setProfileEnabled'
  | 'getSettings'
  | 'updateSettings'
  | 'setDeviceContext'
  | 'dismissStorageNotice'
  | 'getManagedPolicy'
  | 'getOrganizationDetails';

function settingsResponse({ settings, effective }: Pick<EffectiveState, 'settings' | 'effective'>): SettingsResponse {
  return {
    ...settings,
    effective: {
      proceedMinutes: effective.proceedMinutes,
      activityLog: effective.activityLog,
      allowProceedOnBlock: effective.allowProceedOnBlock,
      allowProceedOnWarn: effective.allowProceedOnWarn,
      deviceContext: effective.deviceContext,
      deviceContextHeld: effective.deviceContextHeld,
    },
    locked: {
      proceedMinutes: effective.proceedMinutesLocked,
      activityLog: effective.activityLogLocked,
      deviceContext: effective.deviceContextLocked,
    },
  };
}

function withProfile(settings: Settings, id: string, enabled: boolean): Settings {
  const set = new Set(settings.enabledOrganizations);
  if (enabled) set.add(id);
  else set.delete(id);
  return { ...settings, enabledOrganizations: [...set].sort(), onboarded: true };
}

export function settingsHandlers(ctx: BackgroundContext): HandlersFor<SettingsKinds> {
  /** The options page's settings and the warning's device answer: one path, each kind named in its refusals. */
  async function changeSettings(kind: 'updateSettings' | 'setDeviceContext', change: RequestOf<'updateSettings'>): Promise<SettingsResponse> {
    const { policies, effective } = await loadEffectiveState();
    if (change.deviceContext !== undefined && effective.deviceContextLocked && !effective.deviceContextHeld) {
      throw new Error(`${kind}: where this browser is, is set by your organization`);
    }
    if (change.deviceContext !== undefined && change.deviceContext !== effective.deviceContext) {
      // The answer lowers every stop it turns into a note: the gate decides whether the policy lets it.
      const after = { ...decideOptions(effective), deviceContext: change.deviceContext };
      passGate(kind, { policies, effective }, { path: 'device-context', lowered: stopsLoweredBy({ policies, effective }, after) });
    }
    if (change.proceedMinutes !== undefined && effective.proceedMinutesLocked) {
      throw new Error(`${kind}: the proceed time is set by your organization`);
    }
    if (change.activityLog !== undefined && effective.activityLogLocked) {
      throw new Error(`${kind}: the activity log is set by your organization`);
    }
    await updateSettings(policies.knownOrganizations, (s) => ({
      ...s,
      ...(change.proceedMinutes !== undefined ? { proceedMinutes: change.proceedMinutes } : {}),
      ...(change.activityLog !== undefined ? { activityLog: change.activityLog } : {}),
      ...(change.uiLanguage !== undefined ? { uiLanguage: change.uiLanguage } : {}),
      ...(change.deviceContext !== undefined ? { deviceContext: change.deviceContext } : {}),
    }));
    // Where the browser is decides which rules stop a page: rebuild them and re-check open tabs.
    // A shorter proceed time shortens the exceptions already running.
    const deviceChanged = change.deviceContext !== undefined && change.deviceContext !== effective.deviceContext;
    if (deviceChanged || change.proceedMinutes !== undefined) await ctx.applyState(deviceChanged ? 'device-context' : 'settings');
    return settingsResponse(await loadEffectiveState());
  }

  const handlers: HandlersFor<SettingsKinds> = {
    async getProfiles() {
      const { policies, effective } = await loadEffectiveState();
      return {
        organizations: policies.bundle.organizations.map(summarizeOrganization),
        enabled: effective.enabledOrganizations,
        forced: effective.forcedOrganizations,
        locked: effective.profilesLocked,
        // A stored custom organization that the administrator's own replaces is not the one shown.
        custom: policies.custom.organizations.map((o) => o.id).filter((id) => !policies.managed.organizations.some((o) => o.id === id)),
        fromOrganization: policies.managed.organizations.map((o) => o.id),
        // Read after the state: reading it may have stored a notice of what it had to drop.
        storageNotice: await loadStorageNotice(),
      };
    },

    async setProfileEnabled({ organizationId, enabled }) {
      const { policies, effective } = await loadEffectiveState();
      if (!policies.knownOrganizations.has(organizationId)) {
        throw new Error(`setProfileEnabled: unknown organization ${organizationId}`);
      }
      if (isProfileLocked(effective, organizationId)) {
        throw new Error(`setProfileEnabled: ${organizationId} is locked by your organization`);
      }
      if (!enabled) {
        const after = { ...decideOptions(effective), enabledOrganizations: effective.enabledOrganizations.filter((id) => id !== organizationId) };
        passGate('setProfileEnabled', { policies, effective }, { path: 'profile', lowered: stopsLoweredBy({ policies, effective }, after) });
      }
      await updateSettings(policies.knownOrganizations, (s) => withProfile(s, organizationId, enabled));
      await ctx.applyState('profile');
      return { enabled: (await loadEffectiveState()).effective.enabledOrganizations };
    },

    async getSettings() {
      return settingsResponse(await loadEffectiveState());
    },

    async updateSettings(change) {
      return changeSettings('updateSettings', change);
    },

    async setDeviceContext({ deviceContext }) {
      return changeSettings('setDeviceContext', { deviceContext });
    },

    async dismissStorageNotice() {
      await clearStorageNotice();
      return {};
    },

    async getManagedPolicy() {
      return (await loadEffectiveState()).managed;
    },

    async getOrganizationDetails({ organizationId }) {
      const { policies } = await loadEffectiveState();
      const organization = policies.bundle.organizations.find((o) => o.id === organizationId);
      if (!organization) throw new Error(`getOrganizationDetails: unknown organization ${organizationId}`);
      const cited = new Set(organization.notices.map((n) => n.source));
      const { bundle } = policies;
      return {
        organization,
        sources: bundle.sources.filter((s) => cited.has(s.id)),
        fromOrganization: policies.managed.organizations.some((o) => o.id === organizationId),
        custom:
          !policies.managed.organizations.some((o) => o.id === organizationId) &&
          policies.custom.organizations.some((o) => o.id === organizationId),
        serviceNames: Object.fromEntries(bundle.services.map((s) => [s.id, s.name])),
        serviceNamesKo: Object.fromEntries(bundle.services.flatMap((s) => (s.nameKo ? [[s.id, s.nameKo]] : []))),
        categoryNames: Object.fromEntries(bundle.categories.map((c) => [c.id, c.name])),
      };
    },
  };
  return handlers;
}
