/**
 * One line in the popup when pre-connecting was asked to be off (by the
 * person or the administrator) and is not: the browser may still open
 * connections to a banned site before it is stopped. Says nothing otherwise.
 */
import { sendMessage } from '../../platform/messaging';
import { preconnectMessageKey } from '../../shared/preconnect-text';
import { byId } from '../shared/dom';
import { t } from '../shared/page-text';

export async function showPreconnectNotice(): Promise<void> {
  const line = byId('preconnect-notice', HTMLElement);
  let key: string | undefined;
  try {
    key = preconnectMessageKey(await sendMessage('getPreconnectStatus', {}), 'popup') ?? undefined;
  } catch {
    // The popup's other sections report a background that does not answer.
    key = undefined;
  }
  line.textContent = key ? t(key) : '';
  line.hidden = !key;
}
