/**
 * "I have read this version" on an administrator's notice that asks for it
 * (src/core/notice-lifecycle.ts). Acknowledging lowers nothing (the notice's
 * rules stop what they stopped), so it needs no gate; it is logged ("saw
 * notice v3 on …") and asked again only for the next version.
 */
import { isStoppingLevel } from '../core/policy-enums';
import { noticeKey } from '../core/notice-lifecycle';
import { recordActivity } from './activity';
import { decideOptions, loadEffectiveState } from './effective';
import type { BackgroundContext, HandlersFor } from './handler-types';
import { updateNoticeRecords } from './notice-records';

export function noticeHandlers(ctx: BackgroundContext): HandlersFor<'acknowledgeNotice'> {
  return {
    async acknowledgeNotice({ url, organizationId, noticeId, version }) {
      const state = await loadEffectiveState();
      const view = state.notices.find((n) => n.organizationId === organizationId && n.noticeId === noticeId);
      // Only the version in force, and only where the notice asks for it.
      if (view === undefined || view.version !== version || !view.acknowledgeNeeded) return { acknowledged: false };
      const now = Date.now();
      if (state.effective.activityLog) {
        const decision = state.policies.decider.decideForUrl(url, decideOptions(state.effective));
        await recordActivity({
          at: now,
          event: 'notice-acknowledged',
          serviceId: decision.serviceId ?? 'none',
          host: decision.url?.host ?? 'none',
          level: isStoppingLevel(decision.level) ? decision.level : 'none',
          organizations: [organizationId],
          noticeId,
          noticeVersion: version,
        });
      }
      const key = noticeKey(organizationId, noticeId);
      await updateNoticeRecords((current) => {
        const record = current[key];
        return record === undefined || record.version !== version ? current : { ...current, [key]: { ...record, acknowledged: version } };
      });
      // The verdict table carries the notices: rebuilt, so the next warning no longer asks.
      await ctx.applyState('notice-acknowledged');
      return { acknowledged: true };
    },
  };
}
