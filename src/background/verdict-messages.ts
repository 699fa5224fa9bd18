/**
 * The interstitial's and content script's messages: what applies to a URL,
 * a deliberate proceed, and the record that a warning was shown.
 */
import { activeException, pruneExceptions } from '../core/decide';
import type { Decision } from '../core/decision-types';
import { isStoppingLevel } from '../core/policy-enums';
import { grantedDecisionOf } from '../core/exception-policy';
import { buildVerdictView } from '../core/verdict-view';
import { initiatorOrigin, type ActivityEntry } from '../shared/activity-log';
import { warningKey } from '../shared/warning-dedupe';
import { recordActivity, recordWarningShown } from './activity';
import { decideOptions, loadEffectiveState } from './effective';
import { loadStandingExceptions } from './exceptions';
import type { BackgroundContext, HandlersFor } from './handler-types';
import { passGate } from './lowering-gate';
import { updateExceptions } from './state';
import { verdictPageOf } from './verdict-table';

type VerdictKinds = 'getVerdict' | 'proceedAnyway' | 'recordWarningShown';

const isStopping = (decision: Decision): decision is Decision & { level: 'block' | 'warn' } => isStoppingLevel(decision.level);

function activityOf(decision: Decision & { level: 'block' | 'warn' }, at: number, initiator?: string, openedByPage = false): ActivityEntry {
  const origin = initiatorOrigin(initiator);
  return {
    at,
    event: 'warning-shown',
    serviceId: decision.serviceId ?? '',
    host: decision.url?.host ?? '',
    level: decision.level,
    organizations: decision.citations.map((c) => c.organizationId),
    ...(origin ? { initiator: origin } : {}),
    ...(openedByPage ? { openedByPage: true as const } : {}),
  };
}

export function verdictHandlers(ctx: BackgroundContext): HandlersFor<VerdictKinds> {
  return {
    async getVerdict({ url }) {
      const state = await loadEffectiveState();
      const { policies, effective } = state;
      const decision = policies.decider.decideForUrl(url, decideOptions(effective));
      const now = Date.now();
      const exceptions = await loadStandingExceptions(state, now);
      const exception = activeException(exceptions, decision.serviceId, now);
      return {
        ...verdictPageOf(effective, state.notices),
        verdict: buildVerdictView(policies.bundle, decision),
        exceptionExpiresAt: exception?.expiresAt ?? null,
        exceptionSigned: exception?.approvedBy !== undefined,
      };
    },

    async proceedAnyway({ url, statement, justification, initiator }, sender) {
      const state = await loadEffectiveState();
      const { policies, effective } = state;
      const decision = policies.decider.decideForUrl(url, decideOptions(effective));
      // The one gate: proceeding allowed, the statement the strictest stop asks, the reason when required.
      const passed = passGate('proceedAnyway', state, { path: 'proceed', decision, ...(statement ? { statement } : {}), ...(justification !== undefined ? { justification } : {}) });
      if (!decision.url || !decision.serviceId || !isStopping(decision)) throw new Error('proceedAnyway: nothing to proceed past');
      const confirmed = passed.statement;
      const reason = passed.justification ?? '';
      const now = Date.now();
      if (effective.activityLog) {
        // Logged before the way opens: a required reason must not be lost to a failed write.
        // What was confirmed is the statement the gate required, beside the level and organizations it stepped past.
        await recordActivity({
          ...activityOf(decision, now, initiator, sender.tab?.openerTabId !== undefined),
          event: 'proceeded',
          ...(confirmed ? { statement: confirmed } : {}),
          ...(reason ? { justification: reason } : {}),
        });
      }
      const expiresAt = now + effective.proceedMinutes * 60_000;
      const serviceId = decision.serviceId;
      // Kept with the decision it steps past: a stricter one later ends it.
      const granted = grantedDecisionOf(decision);
      if (granted === null) throw new Error('proceedAnyway: nothing to proceed past');
      await updateExceptions((current, at) => [
        ...pruneExceptions(current, at).filter((e) => e.serviceId !== serviceId),
        {
          serviceId,
          createdAt: now,
          expiresAt,
          granted,
          ...(confirmed ? { statement: confirmed } : {}),
          ...(reason ? { justification: reason } : {}),
        },
      ]);
      await ctx.applyState('proceed');
      await ctx.scheduleExpiry();
      return { url: decision.url.href, expiresAt };
    },

    async recordWarningShown({ url, initiator }, sender) {
      const state = await loadEffectiveState();
      const { policies, effective } = state;
      if (!effective.activityLog) return { recorded: false };
      const decision = policies.decider.decideForUrl(url, decideOptions(effective));
      const now = Date.now();
      if (!isStopping(decision) || !decision.url || activeException(await loadStandingExceptions(state, now), decision.serviceId, now)) {
        return { recorded: false };
      }
      // One entry per stopped navigation: a page looping its tab back here adds nothing.
      const recorded = await recordWarningShown(activityOf(decision, now, initiator, sender.tab?.openerTabId !== undefined), warningKey(sender.tab?.id, decision.url.host));
      return { recorded };
    },
  };
}
