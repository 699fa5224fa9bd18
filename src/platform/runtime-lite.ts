/**
 * Messaging for the content script without webextension-polyfill, which would
 * triple its size: Chrome's MV3 `chrome.runtime` and Firefox's `browser.runtime`
 * both return promises from sendMessage.
 */
import type { MessageKind, Reply, RequestOf, ResponseMap } from '../shared/protocol';

type LiteListener = (
  message: unknown,
  sender: { id?: string },
  sendResponse: (response?: unknown) => void,
) => boolean | undefined;

interface LiteRuntime {
  sendMessage(message: unknown): Promise<unknown>;
  getURL(path: string): string;
  /** Undefined once the extension was reloaded, updated or removed under a running content script. */
  id: string | undefined;
  onMessage: { addListener(listener: LiteListener): void; removeListener(listener: LiteListener): void };
}

declare const browser: { runtime: LiteRuntime } | undefined;
declare const chrome: { runtime: LiteRuntime; i18n: { getMessage(key: string, subs?: string[]): string; getUILanguage(): string } };

export const runtime: LiteRuntime = typeof browser !== 'undefined' ? browser.runtime : chrome.runtime;

export function getMessage(key: string, subs?: string[]): string {
  const api = typeof browser !== 'undefined' ? (browser as unknown as typeof chrome).i18n : chrome.i18n;
  return api.getMessage(key, subs);
}

export function getUILanguage(): string {
  const api = typeof browser !== 'undefined' ? (browser as unknown as typeof chrome).i18n : chrome.i18n;
  return api.getUILanguage();
}

export async function sendMessage<K extends MessageKind>(kind: K, request: RequestOf<K>): Promise<ResponseMap[K]> {
  const reply = (await runtime.sendMessage({ kind, request })) as Reply<ResponseMap[K]> | undefined;
  if (!reply) throw new Error(`${kind}: no reply`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}

/**
 * Listens for messages from this extension only. A non-undefined result of
 * `handler` is sent back synchronously: Chrome rejects the sender's promise
 * ("message port closed") when a listener exists but never answers, and
 * returning a promise from the listener is not supported in every Chrome
 * we target. Returns a function that removes the listener.
 */
export function onMessage(handler: (message: unknown) => unknown): () => void {
  const listener: LiteListener = (message, sender, sendResponse) => {
    if (sender.id !== runtime.id) return undefined;
    const result = handler(message);
    if (result !== undefined) sendResponse(result);
    return undefined;
  };
  runtime.onMessage.addListener(listener);
  return () => runtime.onMessage.removeListener(listener);
}

/** False once the extension context is gone ("Extension context invalidated"). */
export function isContextAlive(): boolean {
  try {
    return Boolean(runtime.id);
  } catch {
    return false;
  }
}
