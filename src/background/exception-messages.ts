/**
 * The running proceed exceptions, listed for the popup and the options page,
 * and "End now": the exception goes, the rules are rebuilt and open tabs on
 * the service are sent back to the interstitial.
 */
import { grantedPastLimitOnly } from '../core/stance';
import { loadEffectiveState } from './effective';
import { loadStandingProceeds } from './exceptions';
import type { BackgroundContext, HandlersFor } from './handler-types';
import { updateExceptions } from './state';

export function exceptionHandlers(ctx: BackgroundContext): HandlersFor<'getExceptions' | 'endException'> {
  return {
    async getExceptions() {
      const state = await loadEffectiveState();
      const now = Date.now();
      const names = new Map(state.policies.bundle.services.map((s) => [s.id, s.name]));
      const namesKo = new Map(state.policies.bundle.services.flatMap((s) => (s.nameKo ? [[s.id, s.nameKo] as const] : [])));
      const exceptions = (await loadStandingProceeds(state, now))
        .filter((e) => e.createdAt <= now)
        .sort((a, b) => a.expiresAt - b.expiresAt || a.serviceId.localeCompare(b.serviceId))
        .map((e) => ({
          serviceId: e.serviceId,
          serviceName: names.get(e.serviceId) ?? e.serviceId,
          ...(namesKo.has(e.serviceId) ? { serviceNameKo: namesKo.get(e.serviceId) } : {}),
          createdAt: e.createdAt,
          expiresAt: e.expiresAt,
          statement: e.statement ?? null,
          ...(grantedPastLimitOnly(state.policies.bundle, e.serviceId, e.granted.organizations) ? { limitedOnly: true as const } : {}),
          justification: e.justification ?? null,
        }));
      return { exceptions };
    },

    async endException({ serviceId }) {
      let ended = false;
      await updateExceptions((current) => {
        const kept = current.filter((e) => e.serviceId !== serviceId);
        ended = kept.length !== current.length;
        return kept;
      });
      if (ended) await ctx.applyState('end-exception');
      return { ended };
    },
  };
}
