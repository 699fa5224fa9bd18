/**
 * Answers the typed messages of src/shared/protocol.ts. Every message is
 * validated; state-changing kinds are accepted only from our own pages.
 */
import { browser, type Runtime } from '../platform/browser';
import { activeException, pruneExceptions, type createDecider } from '../core/decide';
import { buildVerdictView, summarizeOrganization } from '../core/verdict-view';
import type { PolicyBundle } from '../core/policy-schema';
import {
  PRIVILEGED_KINDS,
  parseEnvelope,
  type Envelope,
  type MessageKind,
  type Reply,
  type RequestOf,
  type ResponseMap,
} from '../shared/protocol';
import type { Settings } from '../shared/settings';
import {
  clearStorageNotice,
  loadExceptions,
  loadSettings,
  loadStorageNotice,
  saveExceptions,
  updateSettings,
} from './state';

type Decider = ReturnType<typeof createDecider>;

export interface BackgroundContext {
  bundle: PolicyBundle;
  decider: Decider;
  knownOrganizations: ReadonlySet<string>;
  /** Rebuilds rules and re-checks open tabs after a state change. */
  applyState(reason: string): Promise<void>;
  /** Schedules the alarm that retires the next exception to expire. */
  scheduleExpiry(): Promise<void>;
}

type Handlers = { [K in MessageKind]: (request: RequestOf<K>, sender: Runtime.MessageSender) => Promise<ResponseMap[K]> };

function isOwnPage(sender: Runtime.MessageSender): boolean {
  // sender.origin is missing in Firefox; the page URL is what both browsers give.
  const base = browser.runtime.getURL('');
  return typeof sender.url === 'string' && sender.url.startsWith(base);
}

export function createHandlers(ctx: BackgroundContext): Handlers {
  const settingsNow = () => loadSettings(ctx.knownOrganizations);

  return {
    async getVerdict({ url }) {
      const settings = await settingsNow();
      const decision = ctx.decider.decideForUrl(url, {
        enabledOrganizations: settings.enabledOrganizations,
        allowProceedOnBlock: true,
      });
      const exceptions = await loadExceptions(Date.now());
      const exception = activeException(exceptions, decision.serviceId, Date.now());
      return {
        verdict: buildVerdictView(ctx.bundle, decision),
        exceptionExpiresAt: exception?.expiresAt ?? null,
        proceedMinutes: settings.proceedMinutes,
      };
    },

    async proceedAnyway({ url }) {
      const settings = await settingsNow();
      const decision = ctx.decider.decideForUrl(url, {
        enabledOrganizations: settings.enabledOrganizations,
        allowProceedOnBlock: true,
      });
      if (!decision.url || !decision.serviceId) throw new Error('proceedAnyway: no policy matches this URL');
      if (decision.level !== 'warn' && decision.level !== 'block') throw new Error('proceedAnyway: nothing to proceed past');
      if (!decision.proceedAllowed) throw new Error('proceedAnyway: proceeding is turned off for this site');
      if (decision.url.scheme !== 'http' && decision.url.scheme !== 'https') {
        throw new Error('proceedAnyway: only http(s) pages can be opened');
      }
      const now = Date.now();
      const expiresAt = now + settings.proceedMinutes * 60_000;
      const kept = pruneExceptions(await loadExceptions(now), now).filter((e) => e.serviceId !== decision.serviceId);
      await saveExceptions([...kept, { serviceId: decision.serviceId, createdAt: now, expiresAt }]);
      await ctx.applyState('proceed');
      await ctx.scheduleExpiry();
      return { url: decision.url.href, expiresAt };
    },

    async getProfiles() {
      const settings = await settingsNow();
      return {
        organizations: ctx.bundle.organizations.map(summarizeOrganization),
        enabled: settings.enabledOrganizations,
        storageNotice: await loadStorageNotice(),
      };
    },

    async setProfileEnabled({ organizationId, enabled }) {
      if (!ctx.knownOrganizations.has(organizationId)) throw new Error(`setProfileEnabled: unknown organization ${organizationId}`);
      const next = await updateSettings(ctx.knownOrganizations, (s) => withProfile(s, organizationId, enabled));
      await ctx.applyState('profile');
      return { enabled: next.enabledOrganizations };
    },

    async getSettings() {
      return settingsNow();
    },

    async updateSettings(change) {
      return updateSettings(ctx.knownOrganizations, (s) => ({
        ...s,
        ...(change.proceedMinutes !== undefined ? { proceedMinutes: change.proceedMinutes } : {}),
      }));
    },

    async dismissStorageNotice() {
      await clearStorageNotice();
      return {};
    },
  };
}

function withProfile(settings: Settings, id: string, enabled: boolean): Settings {
  const set = new Set(settings.enabledOrganizations);
  if (enabled) set.add(id);
  else set.delete(id);
  return { ...settings, enabledOrganizations: [...set].sort(), onboarded: true };
}

export async function dispatch(
  handlers: Handlers,
  message: unknown,
  sender: Runtime.MessageSender,
): Promise<Reply<unknown>> {
  if (sender.id !== browser.runtime.id) return { ok: false, error: 'unknown sender' };
  const parsed = parseEnvelope(message);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const { kind, request } = parsed.envelope as Envelope;
  if (PRIVILEGED_KINDS.has(kind) && !isOwnPage(sender)) return { ok: false, error: `${kind}: not allowed from this context` };
  try {
    const handler = handlers[kind] as (r: unknown, s: Runtime.MessageSender) => Promise<unknown>;
    return { ok: true, data: await handler(request, sender) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
