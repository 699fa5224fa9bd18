/**
 * Signed exceptions from the pages: this device's code and the tokens
 * pasted here, and a new token handed over.
 *
 * The gate a signed exception passes (src/core/lowering-gate.ts, path
 * `signed-exception`): it is the administrator's decision, made by an
 * approver whose key the managed policy holds, not the person's. So the
 * person's limits on lowering a stop (proceeding turned off, the proceed
 * time, a required reason: the approver gave theirs) do not apply; what
 * does: only the person's own pages may hand a token over
 * (message-senders.ts), nothing changes before the signature, the key, the
 * revocations, the device and the time are checked, and it is logged
 * before the rules let the site through.
 */
import { decideForService } from '../core/decide';
import { grantEndsAt } from '../core/exception-grant';
import { isStoppingLevel } from '../core/policy-enums';
import { recordActivity } from './activity';
import { decideOptions, loadEffectiveState } from './effective';
import type { BackgroundContext, HandlersFor } from './handler-types';
import { checkExceptionToken } from './exception-verify';
import { passGate } from './lowering-gate';
import { validation } from './lazy-validation';
import { checkStoredGrants, grantViewOf, loadDeviceCode, tokenContext, updateStoredGrants } from './signed-exceptions';

export function signedExceptionHandlers(ctx: BackgroundContext): HandlersFor<'getSignedExceptions' | 'applyExceptionToken'> {
  return {
    async getSignedExceptions() {
      const state = await loadEffectiveState();
      const now = Date.now();
      const names = new Map(state.policies.bundle.services.map((s) => [s.id, s.name]));
      const grants = (await checkStoredGrants(state, now))
        .flatMap((g) => grantViewOf(g, names) ?? [])
        .sort((a, b) => b.acceptedAt - a.acceptedAt);
      return { deviceCode: await loadDeviceCode(), approverKeys: state.managed.policy.exceptionApprovers?.length ?? 0, grants };
    },

    async applyExceptionToken({ token }) {
      const state = await loadEffectiveState();
      const now = Date.now();
      const { parseExceptionToken } = validation();
      const check = await checkExceptionToken(parseExceptionToken(token), await tokenContext(state, now));
      if (!check.ok) return { accepted: false, reason: check.reason };
      const { payload } = check.parsed;
      const { policies, effective } = state;
      const gate = passGate('applyExceptionToken', state, { path: 'signed-exception', services: payload.services, reason: payload.reason });
      if (effective.activityLog) {
        const options = decideOptions(effective);
        for (const serviceId of payload.services) {
          const service = policies.bundle.services.find((s) => s.id === serviceId);
          const decision = decideForService(policies.decider, service, options);
          const level = decision && isStoppingLevel(decision.level) ? decision.level : 'none';
          await recordActivity({
            at: now,
            event: 'exception-granted',
            serviceId,
            host: service?.hosts[0]?.host ?? serviceId,
            level,
            organizations: level === 'none' ? [] : (decision?.citations.map((c) => c.organizationId) ?? []),
            justification: gate.justification ?? payload.reason,
            approver: payload.approver,
            until: Date.parse(payload.until),
            tokenId: payload.id,
          });
        }
      }
      const stored = { token: check.parsed.token, acceptedAt: now };
      await updateStoredGrants((current) => [
        // Pasting the same token again keeps its first acceptance; expired and unreadable ones go.
        ...current.filter((g) => {
          const other = parseExceptionToken(g.token)?.payload;
          return other !== undefined && other.id !== payload.id && grantEndsAt(other) > now;
        }),
        current.find((g) => g.token === stored.token) ?? stored,
      ]);
      await ctx.applyState('signed-exception');
      await ctx.scheduleExpiry();
      const names = new Map(policies.bundle.services.map((s) => [s.id, s.name]));
      const grant = grantViewOf({ stored, check }, names);
      if (grant === null) throw new Error('applyExceptionToken: the token could not be read back');
      return { accepted: true, grant };
    },
  };
}
