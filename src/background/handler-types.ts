/** The shape every message handler module of the background fills in. */
import type { Runtime } from '../platform/browser';
import type { MessageKind, RequestOf, ResponseMap } from '../shared/protocol';

export interface BackgroundContext {
  /** Rebuilds rules and re-checks open tabs after a state change. */
  applyState(reason: string): Promise<void>;
  /** Schedules the alarm that retires the next exception to expire. */
  scheduleExpiry(): Promise<void>;
}

export type Handler<K extends MessageKind> = (request: RequestOf<K>, sender: Runtime.MessageSender) => Promise<ResponseMap[K]>;
export type Handlers = { [K in MessageKind]: Handler<K> };
export type HandlersFor<K extends MessageKind> = { [P in K]: Handler<P> };
