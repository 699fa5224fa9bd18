/**
 * What the content script needs of the extension API, over the same
 * webextension-polyfill `browser` as the background and the pages.
 */
import { browser } from './browser';
import type { MessageKind, Reply, RequestOf, ResponseMap } from '../shared/protocol';

export const runtime = {
  getURL: (path: string): string => browser.runtime.getURL(path),
};

export const getMessage = (key: string, subs?: string[]): string => browser.i18n.getMessage(key, subs);

export const getUILanguage = (): string => browser.i18n.getUILanguage();

export async function sendMessage<K extends MessageKind>(kind: K, request: RequestOf<K>): Promise<ResponseMap[K]> {
  const reply = (await browser.runtime.sendMessage({ kind, request })) as Reply<ResponseMap[K]> | undefined;
  if (!reply) throw new Error(`${kind}: no reply`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}

/**
 * Listens for messages from this extension only; a non-undefined result of
 * `handler` is the answer. Returns a function that removes the listener.
 */
export function onMessage(handler: (message: unknown) => unknown): () => void {
  const listener = (message: unknown, sender: { id?: string }): Promise<unknown> | undefined => {
    if (sender.id !== browser.runtime.id) return undefined;
    const result = handler(message);
    return result === undefined ? undefined : Promise.resolve(result);
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

/** False once the extension context is gone ("Extension context invalidated"). */
export function isContextAlive(): boolean {
  try {
    return Boolean(browser.runtime.id);
  } catch {
    return false;
  }
}
