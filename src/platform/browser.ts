/**
 * The only module that reaches the `browser`/`chrome` globals for the
 * background and the pages. Everything else goes through src/platform, so
 * browser glue stays thin and testable.
 *
 * Firefox's `browser` is used as it is. Chrome's MV3 `chrome.*` already
 * returns promises, so instead of webextension-polyfill (20 KB that the
 * service worker evaluated at every start) only the three places where
 * Chrome and the promise-based API still differ are adapted, the way the
 * polyfill adapts them:
 * - `runtime.onMessage`: a listener answers by returning a promise (Chrome
 *   wants `sendResponse` and `return true`);
 * - `runtime.sendMessage`, `tabs.sendMessage`: "no listener answered" is an
 *   answer of `undefined`, not an error (Chrome rejects); a receiving end that
 *   does not exist still rejects.
 * The types stay those of webextension-polyfill (types only, nothing of it is
 * bundled).
 */
import type Browser from 'webextension-polyfill';

export type { Runtime, Tabs, Storage } from 'webextension-polyfill';

type Listener = (message: unknown, sender: unknown, sendResponse: (response?: unknown) => void) => unknown;

interface ChromeEvent {
  addListener(listener: Listener): void;
  removeListener(listener: Listener): void;
  hasListener(listener: Listener): boolean;
}

/** Chrome's answer when every listener returned without answering. */
const NO_RESPONSE = 'The message port closed before a response was received.';
/** How a rejected listener's error crosses to the sender (the polyfill's marker, kept for compatibility). */
const REJECT_MARKER = '__mozWebExtensionPolyfillReject__';

interface RejectReply {
  [REJECT_MARKER]: true;
  message: string;
}

function isRejectReply(reply: unknown): reply is RejectReply {
  return typeof reply === 'object' && reply !== null && (reply as Partial<RejectReply>)[REJECT_MARKER] === true;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** A listener that may answer by returning a promise, as Chrome wants it: `sendResponse` later and `true` now. */
function answeringListener(listener: Listener): Listener {
  return (message, sender, sendResponse) => {
    let answered = false;
    let result: unknown;
    try {
      result = listener(message, sender, (response) => {
        answered = true;
        sendResponse(response);
      });
    } catch (error) {
      result = Promise.reject(error);
    }
    if (result === true || answered) return result === true;
    if (!isThenable(result)) return false;
    Promise.resolve(result).then(
      (response) => sendResponse(response),
      (error: unknown) => {
        const message = error !== null && typeof error === 'object' && typeof (error as Error).message === 'string' ? (error as Error).message : 'An unexpected error occurred';
        sendResponse({ [REJECT_MARKER]: true, message } satisfies RejectReply);
      },
    ).catch((error: unknown) => console.error('Failed to send onMessage reply', error));
    return true;
  };
}

function messageEvent(event: ChromeEvent): ChromeEvent {
  const wrappers = new WeakMap<Listener, Listener>();
  const wrapped = (listener: Listener): Listener => {
    let wrapper = wrappers.get(listener);
    if (!wrapper) {
      wrapper = answeringListener(listener);
      wrappers.set(listener, wrapper);
    }
    return wrapper;
  };
  return {
    addListener: (listener) => event.addListener(wrapped(listener)),
    removeListener: (listener) => event.removeListener(wrapped(listener)),
    hasListener: (listener) => event.hasListener(wrapped(listener)),
  };
}

function sendMessageOf(send: (...args: unknown[]) => Promise<unknown>) {
  return async (...args: unknown[]): Promise<unknown> => {
    let reply: unknown;
    try {
      reply = await send(...args);
    } catch (error) {
      if (error instanceof Error && error.message === NO_RESPONSE) return undefined;
      throw error;
    }
    if (isRejectReply(reply)) throw new Error(reply.message);
    return reply;
  };
}

/** `target` with `overrides` in front; everything else read from `target`, methods called on it. */
function overlay<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, property) {
      if (typeof property === 'string' && Object.hasOwn(overrides, property)) return overrides[property];
      const value: unknown = Reflect.get(t, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
}

interface ChromeLike {
  runtime: { id?: string; onMessage: ChromeEvent; onMessageExternal?: ChromeEvent; sendMessage(...args: unknown[]): Promise<unknown> };
  tabs?: { sendMessage(...args: unknown[]): Promise<unknown> };
}

function fromChrome(chrome: ChromeLike): Browser.Browser {
  const runtime = overlay(chrome.runtime, {
    onMessage: messageEvent(chrome.runtime.onMessage),
    ...(chrome.runtime.onMessageExternal ? { onMessageExternal: messageEvent(chrome.runtime.onMessageExternal) } : {}),
    sendMessage: sendMessageOf((...args) => chrome.runtime.sendMessage(...args)),
  });
  const tabs = chrome.tabs && overlay(chrome.tabs, { sendMessage: sendMessageOf((...args) => chrome.tabs!.sendMessage(...args)) });
  return overlay(chrome, { runtime, ...(tabs ? { tabs } : {}) }) as unknown as Browser.Browser;
}

const globals = globalThis as unknown as { browser?: { runtime?: { id?: string } }; chrome?: ChromeLike };

/** Firefox's own `browser`, else Chrome's `chrome` adapted. */
export const browser: Browser.Browser = globals.browser?.runtime?.id
  ? (globals.browser as unknown as Browser.Browser)
  : fromChrome(globals.chrome as ChromeLike);
