/**
 * Answers the typed messages of src/shared/protocol.ts. Every message is
 * validated, and each kind is accepted only from the contexts that
 * src/shared/message-senders.ts lists for it.
 */
import { browser, type Runtime } from '../platform/browser';
import { isAllowedSender, senderContext } from '../shared/message-senders';
import type { Envelope, Reply } from '../shared/protocol';
import { readCommonEnvelope } from '../shared/protocol-kinds';
import { validation } from './lazy-validation';
import { dataHandlers } from './data-messages';
import { hintHandlers } from './hint-messages';
import { exceptionHandlers } from './exception-messages';
import { signedExceptionHandlers } from './signed-exception-messages';
import { noticeHandlers } from './notice-messages';
import type { BackgroundContext, Handlers } from './handler-types';
import { preconnectHandlers } from './network-prediction';
import { settingsHandlers } from './settings-messages';
import { statusHandlers } from './status-messages';
import { verdictHandlers } from './verdict-messages';
import { warningHandlers } from './warning-messages';

export type { BackgroundContext } from './handler-types';

export function createHandlers(ctx: BackgroundContext): Handlers {
  return {
    ...verdictHandlers(ctx),
    ...settingsHandlers(ctx),
    ...dataHandlers(ctx),
    ...exceptionHandlers(ctx),
    ...signedExceptionHandlers(ctx),
    ...noticeHandlers(ctx),
    ...preconnectHandlers(),
    ...statusHandlers(),
    ...hintHandlers(),
    ...warningHandlers(),
  };
}

export async function dispatch(
  handlers: Handlers,
  message: unknown,
  sender: Runtime.MessageSender,
): Promise<Reply<unknown>> {
  if (sender.id !== browser.runtime.id) return { ok: false, error: 'unknown sender' };
  // The common requests are read without the schema library; the rest, and anything malformed, go to zod.
  const common = readCommonEnvelope(message);
  const parsed = common ? { ok: true as const, envelope: common as Envelope } : validation().parseEnvelope(message);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const { kind, request } = parsed.envelope;
  const context = senderContext(sender, browser.runtime.id, browser.runtime.getURL(''));
  if (!isAllowedSender(kind, context)) return { ok: false, error: `${kind}: not allowed from this context` };
  try {
    const handler = handlers[kind] as (r: unknown, s: Runtime.MessageSender) => Promise<unknown>;
    return { ok: true, data: await handler(request, sender) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
