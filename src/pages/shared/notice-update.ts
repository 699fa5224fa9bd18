/**
 * An administrator's notice that changed (src/core/notice-lifecycle.ts), on
 * the warning and in the popup: "Updated on …", what changed, and where the
 * notice asks for it, "I have read version …", asked once per version.
 */
import type { NoticeLifecycleView } from '../../core/notice-lifecycle';
import { sendMessage } from '../../platform/messaging';
import { el } from './dom';

export type Translate = (key: string, substitutions?: string[]) => string;

export interface NoticeUpdateContext {
  t: Translate;
  formatDay: (epochMs: number) => string;
  /** The page's address, for the log entry. */
  url: string;
}

function changedWords(view: NoticeLifecycleView): { removed: string[]; added: string[] } {
  const before = view.before ?? [];
  const after = view.after ?? [];
  return { removed: before.filter((w) => !after.includes(w)), added: after.filter((w) => !before.includes(w)) };
}

/** Null when there is nothing to say about this notice's version. */
export function renderNoticeUpdate(view: NoticeLifecycleView | undefined, ctx: NoticeUpdateContext): HTMLElement | null {
  if (view === undefined || (view.updatedAt === null && !view.acknowledgeNeeded)) return null;
  const { t } = ctx;
  const box = el('div', {
    className: 'notice-update',
    attrs: { 'data-notice-id': view.noticeId, 'data-organization-id': view.organizationId, 'data-version': view.version },
  });
  if (view.updatedAt !== null) {
    box.append(el('p', { className: 'notice-updated', text: t('noticeUpdatedOn', [ctx.formatDay(view.updatedAt), view.version]) }));
    const { removed, added } = changedWords(view);
    const list = (key: string, words: string[], className: string) =>
      words.length === 0 ? null : el('div', { className }, el('p', { className: 'field-label field-block', text: t(key) }), ...words.map((w) => el('blockquote', { lang: 'en', text: w })));
    const what = [list('noticeChangedBefore', removed, 'notice-before'), list('noticeChangedNow', added, 'notice-now')].filter((n) => n !== null);
    box.append(what.length > 0 ? el('div', { className: 'notice-changes' }, ...what) : el('p', { className: 'muted', text: t('noticeChangedOther') }));
  }
  if (view.acknowledgeNeeded) {
    const status = el('p', { className: 'notice-ack-status', attrs: { role: 'status' } });
    const button = el('button', { className: 'button-secondary notice-ack', text: t('noticeAcknowledge', [view.version]), attrs: { type: 'button' } });
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const answer = await sendMessage('acknowledgeNotice', {
          url: ctx.url,
          organizationId: view.organizationId,
          noticeId: view.noticeId,
          version: view.version,
        });
        if (answer.acknowledged) {
          button.remove();
          status.textContent = t('noticeAcknowledged', [view.version]);
        } else button.disabled = false;
      } catch (error) {
        status.textContent = error instanceof Error ? error.message : String(error);
        button.disabled = false;
      }
    });
    box.append(el('p', { className: 'notice-ack-ask', text: t('noticeAcknowledgeAsk') }), button, status);
  }
  return box;
}
