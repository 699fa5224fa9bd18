/**
 * Which sentence the options page and the popup show for the pre-connect
 * protection's state. Pure and free of zod, so the pages can import it
 * without bundling the schema code of network-prediction.ts.
 */
import type { PreconnectState, PreconnectStatus } from './network-prediction';

/** The options page's sentence for each state once the protection is wanted. */
const OPTIONS_TEXT: Record<Exclude<PreconnectState, 'off'>, string> = {
  on: 'optionsPreconnectOn',
  'on-elsewhere': 'optionsPreconnectOnElsewhere',
  'needs-permission': 'optionsPreconnectNeedsPermission',
  'refused-policy': 'optionsPreconnectRefusedPolicy',
  'refused-extension': 'optionsPreconnectRefusedExtension',
  unavailable: 'optionsPreconnectUnavailable',
};

/** The popup speaks only when pre-connecting was asked to be off and is not. */
const POPUP_TEXT: Partial<Record<PreconnectState, string>> = {
  'needs-permission': 'popupPreconnectNeedsPermission',
  'refused-policy': 'popupPreconnectRefusedPolicy',
  'refused-extension': 'popupPreconnectRefusedExtension',
  unavailable: 'popupPreconnectUnavailable',
};

/** True for the states in which the protection was asked for and does not hold. */
export const isPreconnectProblem = (state: PreconnectState): boolean => state !== 'off' && state !== 'on' && state !== 'on-elsewhere';

/**
 * The message key for `status` on the options page or in the popup, or null
 * for nothing to say. When the administrator asked for the protection and
 * only the person's grant is missing, the sentence says whose wish it is.
 */
export function preconnectMessageKey(status: Pick<PreconnectStatus, 'state' | 'locked'>, surface: 'options' | 'popup'): string | null {
  if (status.state === 'off') return null;
  if (status.state === 'needs-permission' && status.locked) {
    return surface === 'options' ? 'optionsPreconnectNeedsPermissionManaged' : 'popupPreconnectNeedsPermissionManaged';
  }
  return (surface === 'options' ? OPTIONS_TEXT[status.state] : POPUP_TEXT[status.state]) ?? null;
}
