/**
 * Messages the background sends to content scripts in tabs. Kept apart from
 * protocol.ts (which builds zod schemas at load) so the content script stays small.
 */
export const RECHECK_MESSAGE = { kind: 'recheck' } as const;

export function isRecheckMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === RECHECK_MESSAGE.kind;
}
