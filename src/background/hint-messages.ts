/**
 * The note before any profile is chosen: whether a catalog page should show
 * it (once per service per browser session), "Don't show this again", and
 * "Choose yours", which opens the profile list. Sent by the content script:
 * none of these reveals or changes more than the note itself.
 */
import { browser } from '../platform/browser';
import { profileHint } from '../core/profile-hint';
import { OPTIONS_PATH } from '../shared/paths';
import { PROFILE_HINT_SHOWN_KEY, TAB_OPENS_KEY } from '../shared/storage-keys';
import { loadEffectiveState } from './effective';
import type { HandlersFor } from './handler-types';
import { admitTabOpen, readOpenTimes } from '../shared/tab-open-limit';
import { updateSettings } from './state';

type HintKinds = 'getProfileHint' | 'turnOffProfileHint' | 'openProfileList';

async function shownThisSession(): Promise<string[]> {
  const stored = (await browser.storage.session.get(PROFILE_HINT_SHOWN_KEY))[PROFILE_HINT_SHOWN_KEY];
  return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
}

let claims: Promise<unknown> = Promise.resolve();

export function hintHandlers(): HandlersFor<HintKinds> {
  return {
    getProfileHint({ url }) {
      // One claim at a time: two tabs opening DeepSeek together show the note once.
      const run = claims.then(async () => {
        const { policies, settings, effective } = await loadEffectiveState();
        const decision = policies.decider.decideForUrl(url, { enabledOrganizations: [], allowProceedOnBlock: false });
        const shown = await shownThisSession();
        const hint = profileHint(policies.bundle, decision.serviceId, {
          enabledOrganizations: effective.enabledOrganizations,
          off: settings.profileHintOff === true,
          shownThisSession: shown,
        });
        if (hint.show === 'no' || decision.serviceId === null) return { show: 'no' as const };
        const found = policies.bundle.services.find((s) => s.id === decision.serviceId);
        if (hint.show === 'new') await browser.storage.session.set({ [PROFILE_HINT_SHOWN_KEY]: [...shown, decision.serviceId] });
        return { show: hint.show, count: hint.count, service: found?.name ?? decision.serviceId, ...(found?.nameKo ? { serviceKo: found.nameKo } : {}) };
      });
      claims = run.catch(() => undefined);
      return run;
    },

    async turnOffProfileHint() {
      const { policies } = await loadEffectiveState();
      await updateSettings(policies.knownOrganizations, (s) => ({ ...s, profileHintOff: true }));
      return {};
    },

    openProfileList() {
      // Checked and counted in one queue, so messages racing cannot both slip under the limit.
      const run = claims.then(async () => {
        const stored = (await browser.storage.session.get(TAB_OPENS_KEY))[TAB_OPENS_KEY];
        const { open, times } = admitTabOpen(readOpenTimes(stored), Date.now());
        await browser.storage.session.set({ [TAB_OPENS_KEY]: times });
        if (!open) throw new Error('openProfileList: too many tabs opened in the last minute');
        await browser.tabs.create({ url: browser.runtime.getURL(`${OPTIONS_PATH}#profiles`) });
        return {};
      });
      claims = run.catch(() => undefined);
      return run;
    },
  };
}
