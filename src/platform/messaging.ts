/** Typed request/reply over runtime messaging, for pages (not the content script). */
import { browser } from './browser';
import type { MessageKind, Reply, RequestOf, ResponseMap } from '../shared/protocol';

export async function sendMessage<K extends MessageKind>(kind: K, request: RequestOf<K>): Promise<ResponseMap[K]> {
  const reply = (await browser.runtime.sendMessage({ kind, request })) as Reply<ResponseMap[K]> | undefined;
  if (!reply) throw new Error(`${kind}: no reply from the background`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}
