/**
 * The local activity log on the options page: on/off (unless an administrator
 * set it), counts per organization, the latest entries, export as CSV or
 * JSON (a file the browser saves; nothing is sent), and clear.
 */
import type { OrganizationSummary } from '../../core/verdict-view';
import { browser } from '../../platform/browser';
import { sendMessage } from '../../platform/messaging';
import { activityByOrganization, activityToCsv, activityToJson, type ActivityEntry } from '../../shared/activity-log';
import { pickText } from '../../shared/i18n';
import { levelKey } from '../../shared/policy-text';
import type { ActivityLogResponse } from '../../shared/protocol';
import { ACTIVITY_LOG_KEY } from '../../shared/storage-keys';
import { byId, el, errorText } from '../shared/dom';
import { formatDateTime, lang, t } from '../shared/page-text';
import { dayStamp, downloadText } from './download';

/** Entries shown on the page; the exports hold them all. */
const SHOWN = 100;

let latest: ActivityLogResponse | null = null;

function announce(text: string): void {
  const status = byId('log-status', HTMLElement);
  status.textContent = '';
  setTimeout(() => (status.textContent = text), 50);
}

function namesOf(organizations: readonly OrganizationSummary[]): (id: string) => string {
  const names = new Map(organizations.map((o) => [o.id, pickText(o.name, lang)]));
  return (id) => names.get(id) ?? id;
}

function eventText(entry: ActivityEntry): string {
  if (entry.event === 'warning-shown') return t('optionsLogEventShown');
  if (entry.event === 'exception-granted') return t('optionsLogEventGranted');
  if (entry.event === 'notice-acknowledged') return t('optionsLogEventAcknowledged');
  return t('optionsLogEventProceeded');
}

function detailText(entry: ActivityEntry): string {
  const parts: string[] = [];
  if (entry.statement) parts.push(t(entry.statement === 'not-for-work' ? 'optionsLogStatementNotForWork' : 'optionsLogStatementResponsibility'));
  if (entry.justification) parts.push(t('optionsLogReason', [entry.justification]));
  if (entry.approver) parts.push(t('optionsLogApprover', [entry.approver]));
  if (entry.until !== undefined) parts.push(t('optionsLogUntil', [formatDateTime(entry.until)]));
  if (entry.noticeId && entry.noticeVersion) parts.push(t('optionsLogNoticeVersion', [entry.noticeId, entry.noticeVersion]));
  if (entry.count !== undefined) parts.push(t('optionsLogCount', [String(entry.count), formatDateTime(entry.lastAt ?? entry.at)]));
  if (entry.initiator) parts.push(t('optionsLogInitiator', [entry.initiator]));
  else if (entry.openedByPage) parts.push(t('optionsLogOpenedByPage'));
  return parts.join(' · ');
}

function renderSummary(response: ActivityLogResponse): HTMLElement {
  const name = namesOf(response.organizations);
  const rows = activityByOrganization(response.entries);
  if (rows.length === 0) return el('p', { className: 'muted', text: t('optionsLogEmpty') });
  return el(
    'table',
    { className: 'log-summary' },
    el('caption', { text: t('optionsLogSummaryCaption') }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { text: t('optionsLogColOrganization'), attrs: { scope: 'col' } }),
        el('th', { text: t('optionsLogColShown'), attrs: { scope: 'col' } }),
        el('th', { text: t('optionsLogColProceeded'), attrs: { scope: 'col' } }),
      ),
    ),
    el(
      'tbody',
      {},
      ...rows.map((row) =>
        el(
          'tr',
          { attrs: { 'data-organization-id': row.organizationId } },
          el('th', { text: name(row.organizationId), attrs: { scope: 'row' } }),
          el('td', { text: String(row.shown) }),
          el('td', { text: String(row.proceeded) }),
        ),
      ),
    ),
  );
}

function renderEntries(response: ActivityLogResponse): HTMLElement | null {
  if (response.entries.length === 0) return null;
  const name = namesOf(response.organizations);
  const newest = response.entries.slice(-SHOWN).reverse();
  return el(
    'table',
    { id: 'log-entries', className: 'log-entries' },
    el(
      'caption',
      {
        text:
          response.entries.length > SHOWN
            ? t('optionsLogShownSome', [String(SHOWN), String(response.entries.length), String(response.cap)])
            : t('optionsLogShownAll', [String(response.entries.length), String(response.cap)]),
      },
    ),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['optionsLogColTime', 'optionsLogColEvent', 'optionsLogColSite', 'optionsLogColDetail'].map((key) =>
          el('th', { text: t(key), attrs: { scope: 'col' } }),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      ...newest.map((entry) =>
        el(
          'tr',
          { attrs: { 'data-event': entry.event } },
          el('td', {}, el('time', { text: formatDateTime(entry.at), attrs: { datetime: new Date(entry.at).toISOString() } })),
          el('td', {}, eventText(entry), ' ', el('span', { className: `badge level-${entry.level}`, text: t(levelKey(entry.level)) })),
          el(
            'td',
            { className: 'log-site' },
            el('code', { text: entry.host }),
            el('span', { className: 'log-orgs', text: entry.organizations.map(name).join(', ') }),
          ),
          el('td', { className: 'log-detail', text: detailText(entry) }),
        ),
      ),
    ),
  );
}

export async function showActivityLog(): Promise<void> {
  const toggle = byId('log-enabled', HTMLInputElement);
  const lock = byId('log-lock', HTMLElement);
  const error = byId('log-error', HTMLElement);
  try {
    const response = await sendMessage('getActivityLog', {});
    latest = response;
    toggle.checked = response.enabled;
    toggle.disabled = response.locked;
    lock.hidden = !response.locked;
    lock.textContent = response.locked ? t('optionsLogLocked') : '';
    const dropped = byId('log-dropped', HTMLElement);
    dropped.hidden = response.drops === null;
    dropped.textContent = response.drops
      ? t('optionsLogDropped', [String(response.drops.count), String(response.cap), formatDateTime(response.drops.lastAt)])
      : '';
    byId('log-summary', HTMLElement).replaceChildren(renderSummary(response));
    const entries = renderEntries(response);
    byId('log-table', HTMLElement).replaceChildren(...(entries ? [entries] : []));
    const empty = response.entries.length === 0;
    for (const id of ['log-export-csv', 'log-export-json', 'log-clear']) byId(id, HTMLButtonElement).disabled = empty;
  } catch (e) {
    error.textContent = t('optionsLoadFailed', [errorText(e)]);
  }
}

export function setUpActivityLog(): void {
  const toggle = byId('log-enabled', HTMLInputElement);
  const error = byId('log-error', HTMLElement);
  toggle.addEventListener('change', async () => {
    error.textContent = '';
    try {
      await sendMessage('updateSettings', { activityLog: toggle.checked });
      announce(t(toggle.checked ? 'optionsLogTurnedOn' : 'optionsLogTurnedOff'));
    } catch (e) {
      toggle.checked = !toggle.checked;
      error.textContent = t('optionsLogFailed', [errorText(e)]);
    }
  });
  byId('log-export-csv', HTMLButtonElement).addEventListener('click', () => {
    if (!latest) return;
    downloadText(`ai-policy-guard-activity-${dayStamp(Date.now())}.csv`, activityToCsv(latest.entries), 'text/csv;charset=utf-8');
    announce(t('optionsLogExported', [String(latest.entries.length)]));
  });
  byId('log-export-json', HTMLButtonElement).addEventListener('click', () => {
    if (!latest) return;
    downloadText(`ai-policy-guard-activity-${dayStamp(Date.now())}.json`, activityToJson(latest.entries, Date.now()), 'application/json');
    announce(t('optionsLogExported', [String(latest.entries.length)]));
  });
  byId('log-clear', HTMLButtonElement).addEventListener('click', async () => {
    if (!window.confirm(t('optionsLogClearConfirm'))) return;
    try {
      await sendMessage('clearActivityLog', {});
      announce(t('optionsLogCleared'));
    } catch (e) {
      error.textContent = t('optionsLogFailed', [errorText(e)]);
    }
  });
  // A warning shown in another tab appears here while the page is open.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && ACTIVITY_LOG_KEY in changes) void showActivityLog();
  });
}
