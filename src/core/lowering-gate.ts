/**
 * The one gate for every path that lowers a decision. Proceeding past a
 * warning, answering "Is this a work device?", turning a profile off,
 * importing or removing an organization, a reset: each makes some page
 * stop less, so each asks this module whether the administrator's policy
 * lets the person do it, and what it must ask and record first. Chrome's own
 * policy stack works the same way: a lower source never overrides a higher
 * one, whatever screen it comes from.
 *
 * The rule: a stop the policy holds (one its forced or locked profiles
 * make) is only ever lowered the way proceeding lowers it, and only where
 * proceeding is open. Where the policy turns proceeding off or asks for a
 * reason, an answer or a setting that would lift such a stop without that
 * reason is refused.
 *
 * Pure: the background's handlers ask it, and unit tests hold it to the rule.
 */
import type { Decision, DecisionLevel, ProceedStatement } from './decision-types';
import { isStoppingLevel, levelRank } from './policy-enums';
import type { Scope } from './policy-schema';

/** What the administrator's policy says about getting past a stop. */
export interface GatePolicy {
  allowProceedOnBlock: boolean;
  allowProceedOnWarn: boolean;
  requireJustification: boolean;
  /** The administrator said where this browser is (managed `deviceContext`). */
  deviceContextManaged: boolean;
  /** Profiles the policy holds on: the forced ones, and every one that is on while profiles are locked. */
  heldOrganizations: readonly string[];
}

/**
 * The policy restricts what getting past a stop takes: proceeding is turned
 * off (past a block or past a warning), or a reason is required.
 */
export function restrictsProceeding(policy: Pick<GatePolicy, 'allowProceedOnBlock' | 'allowProceedOnWarn' | 'requireJustification'>): boolean {
  return !policy.allowProceedOnBlock || !policy.allowProceedOnWarn || policy.requireJustification;
}

/**
 * Under a policy that restricts proceeding and does not say where this
 * browser is, the person's answer is no way out: the device stays "not
 * said", which reads every rule as written (a network or office-device ban
 * stops here as on a work device). Only the administrator can answer it.
 */
export function deviceAnswerHeld(policy: Pick<GatePolicy, 'allowProceedOnBlock' | 'allowProceedOnWarn' | 'requireJustification' | 'deviceContextManaged'>): boolean {
  return !policy.deviceContextManaged && restrictsProceeding(policy);
}

interface StatementRule {
  level: DecisionLevel;
  scope: Scope;
}

/**
 * What proceeding must confirm, from the strictest stopping rule. "This is
 * not for work" answers only a ban on work use (KHNP, Kakao); as soon as any
 * stopping rule reaches further (KB Financial Group's block on its network),
 * the person confirms they know the service is blocked and take
 * responsibility, whatever milder profile is on beside it. Null when nothing
 * stops the page.
 */
export function requiredStatement(decision: { citations: readonly { rules: readonly StatementRule[] }[] }): ProceedStatement | null {
  const stopping = decision.citations.flatMap((c) => c.rules.filter((r) => isStoppingLevel(r.level)));
  if (stopping.length === 0) return null;
  return stopping.every((r) => r.scope === 'work-tasks') ? 'not-for-work' : 'responsibility';
}

/** One service that a change would stop less, and the organizations whose stop it lifts or lowers. */
export interface LoweredStop {
  serviceId: string;
  from: 'warn' | 'block';
  to: DecisionLevel;
  organizations: string[];
}

/**
 * The stops `after` lowers, service by service: the level drops, or an
 * organization that stopped the service stops it no longer (or less). A
 * service missing from `after` (gone from the catalog) counts as lowered to
 * nothing.
 */
export function loweredStops(serviceIds: readonly string[], before: (id: string) => Decision | null, after: (id: string) => Decision | null): LoweredStop[] {
  const lowered: LoweredStop[] = [];
  for (const serviceId of serviceIds) {
    const was = before(serviceId);
    if (was === null || !isStoppingLevel(was.level)) continue;
    const now = after(serviceId);
    const nowLevel: DecisionLevel = now?.level ?? 'none';
    const organizations = was.citations.flatMap((c) => {
      if (!isStoppingLevel(c.level)) return [];
      const still = now?.citations.find((n) => n.organizationId === c.organizationId);
      return still !== undefined && levelRank(still.level) >= levelRank(c.level) ? [] : [c.organizationId];
    });
    const levelDropped = nowLevel === 'none' || levelRank(nowLevel) < levelRank(was.level);
    if (levelDropped || organizations.length > 0) lowered.push({ serviceId, from: was.level, to: nowLevel, organizations });
  }
  return lowered;
}

/** A path that lowers a decision, and what it brings to the gate. */
export type LoweringRequest =
  | {
      path: 'proceed';
      decision: Decision;
      /** What the page says the person ticked. */
      statement?: ProceedStatement;
      justification?: string;
    }
  | {
      path: 'device-context' | 'profile' | 'import' | 'remove-organization' | 'reset';
      lowered: readonly LoweredStop[];
    }
  | {
      /**
       * An approver's signed exception (src/core/exception-token.ts), its
       * signature, key, revocations, device and time already checked.
       */
      path: 'signed-exception';
      services: readonly string[];
      /** The approver's reason, as signed. */
      reason: string;
    };

export type GateAnswer =
  | {
      ok: true;
      /** What was confirmed, to record with the exception and in the log (proceed only). */
      statement: ProceedStatement | null;
      justification: string | null;
      /** The services the change lets through. */
      unblocked: string[];
    }
  | { ok: false; error: string };

const refuse = (error: string): GateAnswer => ({ ok: false, error });

/** Whether the policy lets a person past this stop with a tick alone. */
function passableWithoutReason(level: 'warn' | 'block', policy: GatePolicy): boolean {
  const open = level === 'block' ? policy.allowProceedOnBlock : policy.allowProceedOnWarn;
  return open && !policy.requireJustification;
}

function gateProceed(request: Extract<LoweringRequest, { path: 'proceed' }>, policy: GatePolicy): GateAnswer {
  const { decision } = request;
  if (!decision.url || !decision.serviceId) return refuse('no policy matches this URL');
  const level = decision.level;
  if (!isStoppingLevel(level)) return refuse('nothing to proceed past');
  // The decision carries the administrator's allowProceedOnBlock/OnWarn.
  if (!decision.proceedAllowed) return refuse('proceeding is turned off for this site');
  if (decision.url.scheme !== 'http' && decision.url.scheme !== 'https') return refuse('only http(s) pages can be opened');
  const required = requiredStatement(decision);
  if (required === null) return refuse('nothing to proceed past');
  if (request.statement !== required) {
    return refuse(
      required === 'responsibility'
        ? 'this page is blocked: proceeding confirms that you take responsibility, not only that it is not for work'
        : 'proceeding past this page confirms that it is not for work',
    );
  }
  const reason = request.justification?.trim() ?? '';
  if (policy.requireJustification && reason === '') return refuse('your organization requires a reason before proceeding');
  return { ok: true, statement: required, justification: reason === '' ? null : reason, unblocked: [decision.serviceId] };
}

/**
 * Asks whether this lowering may happen. A refusal says why, in words a
 * person can act on; the caller throws it across the message boundary.
 */
export function gateLowering(request: LoweringRequest, policy: GatePolicy): GateAnswer {
  if (request.path === 'proceed') return gateProceed(request, policy);
  // The administrator's own decision, made through a key their policy lists: the limits the
  // policy sets on the person (proceeding off, a reason required) do not bind it. It is
  // logged with the approver's reason like every other way past a stop.
  if (request.path === 'signed-exception') {
    const reason = request.reason.trim();
    if (request.services.length === 0 || reason === '') return refuse('a signed exception names its services and its reason');
    return { ok: true, statement: null, justification: reason, unblocked: [...new Set(request.services)] };
  }
  // Only the administrator answers it then; an answer that changed nothing today could lower a stop tomorrow.
  if (request.path === 'device-context' && deviceAnswerHeld(policy)) {
    return refuse(
      "your organization's policy limits proceeding and does not say where this browser is, so its rules apply as written here; only your organization can change this",
    );
  }
  const held = new Set(policy.heldOrganizations);
  const blocked = request.lowered.filter((stop) => !passableWithoutReason(stop.from, policy) && stop.organizations.some((id) => held.has(id)));
  if (blocked.length > 0) {
    const services = [...new Set(blocked.map((s) => s.serviceId))].join(', ');
    return refuse(`this would let you past ${services}, which your organization's policy does not let you open this way`);
  }
  return { ok: true, statement: null, justification: null, unblocked: [...new Set(request.lowered.map((s) => s.serviceId))] };
}
