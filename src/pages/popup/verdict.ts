/**
 * The popup's answer to "does any of my organizations have a policy on this
 * site?". It renders the background's VerdictView; it never matches URLs.
 */
import type { DecisionLevel } from '../../core/decision-types';
import { reportedText } from '../../shared/data-age';
import { applicabilityText, categoryText } from '../../shared/device-text';
import { pickText } from '../../shared/i18n';
import { serviceName } from '../../shared/service-name';
import { citationBadgeKey, explainKey, verdictBadgeKey } from '../../shared/verdict-text';
import type { VerdictResponse } from '../../shared/protocol';
import { el } from '../shared/dom';
import { formatClock, formatDateTime, lang, t } from '../shared/page-text';
import { renderNoticeUpdate } from '../shared/notice-update';
import { dateTimeFormat } from '../../shared/intl-formats';

export type VerdictState =
  | { kind: 'checking' }
  /** The tab's address is hidden from us (not an AI service) or there is none. */
  | { kind: 'no-address' }
  | { kind: 'verdict'; response: VerdictResponse; profilesOn: number }
  | { kind: 'failed'; error: string };

function badge(level: DecisionLevel, key: string): HTMLElement {
  return el('span', { className: `badge level-${level}`, text: t(key) });
}

/** Each report's day with the organizations it is cited for, in citation order. */
export function reportDays(citations: VerdictResponse['verdict']['citations']): { day: string; names: string[] }[] {
  const days = new Map<string, string[]>();
  for (const c of citations) {
    const name = pickText(c.organization.name, lang);
    for (const day of new Set(c.rules.map((r) => r.source.date))) {
      const names = days.get(day) ?? [];
      if (!names.includes(name)) names.push(name);
      days.set(day, names);
    }
  }
  return [...days].map(([day, names]) => ({ day, names }));
}

/** `section` is #verdict; `body` is its live region, replaced on every render. */
export function renderVerdict(section: HTMLElement, body: HTMLElement, state: VerdictState): void {
  if (state.kind === 'checking') {
    section.dataset.level = 'unknown';
    body.replaceChildren(el('p', { className: 'verdict-title', text: t('popupChecking') }));
    return;
  }
  if (state.kind === 'failed') {
    section.dataset.level = 'unknown';
    body.replaceChildren(
      el('p', { className: 'verdict-title', text: t('popupCheckFailed') }),
      el('p', { className: 'verdict-detail' }, t('popupErrorDetail'), ' ', el('code', { lang: 'en', text: state.error })),
    );
    return;
  }
  const verdict = state.kind === 'verdict' ? state.response.verdict : null;
  if (state.kind === 'no-address' || !verdict || verdict.href === null || verdict.service === null) {
    section.dataset.level = 'none';
    body.replaceChildren(el('p', { className: 'verdict-title', text: t('popupNoPolicy') }));
    return;
  }

  const { response, profilesOn } = state;
  const service = serviceName(verdict.service, lang);
  section.dataset.level = verdict.level;
  const head = el(
    'div',
    { className: 'verdict-head' },
    el('p', { className: 'verdict-title' }, el('span', { className: 'verdict-service', text: service }), ' ', badge(verdict.level, verdictBadgeKey(verdict.level, verdict.citations))),
    verdict.host !== null && el('p', { className: 'verdict-host', text: verdict.host }),
  );

  if (verdict.level === 'none') {
    const text = profilesOn === 0 ? t('popupServiceNoProfiles', [service]) : t('popupServiceNone', [service]);
    body.replaceChildren(head, el('p', { className: 'verdict-explain', text }));
    return;
  }

  const cited = el(
    'ul',
    { className: 'verdict-orgs', attrs: { 'aria-labelledby': 'verdict-orgs-label' } },
    ...verdict.citations.map((c) => {
      const name = pickText(c.organization.name, lang);
      // Whether each of its rules reaches this device, one line per distinct answer.
      // A category rule that is no ban names no service: say so here too (Samsung's company PCs).
      const applies = [
        ...new Set([...c.rules.map((r) => applicabilityText(r, name, service, t)), ...c.rules.flatMap((r) => categoryText(r, service, t) ?? [])]),
      ];
      const updates = [...new Set(c.rules.map((r) => r.notice.id))].flatMap(
        (noticeId) =>
          renderNoticeUpdate(
            response.notices.find((n) => n.organizationId === c.organization.id && n.noticeId === noticeId),
            { t, formatDay: (ms) => dateTimeFormat(lang, { dateStyle: 'long' }).format(ms), url: verdict.href ?? '' },
          ) ?? [],
      );
      return el(
        'li',
        { attrs: { 'data-organization-id': c.organization.id } },
        el('span', { className: 'verdict-org-name', text: name }),
        ' ',
        badge(c.level, citationBadgeKey(c)),
        el('ul', { className: 'verdict-applies' }, ...applies.map((text) => el('li', { text }))),
        ...updates,
      );
    }),
  );
  // When each cited report was published and how long ago, computed now, and whose it is:
  // an administrator's own notice has its own date.
  const now = new Date();
  const age = el(
    'div',
    { className: 'verdict-age' },
    ...reportDays(verdict.citations).map(({ day, names }) =>
      el('p', { className: 'data-age', text: t('dataAgeFor', [names.join(', '), reportedText(day, now, lang, t)]) }),
    ),
    el('p', { className: 'data-age-caveat', text: t('dataAgeMayHaveChanged') }),
  );
  const expires = response.exceptionExpiresAt;
  // While an exception is active the pages are not being stopped: say that instead.
  const explain =
    expires !== null
      ? el('p', {
          className: 'verdict-exception',
          text: response.exceptionSigned ? t('popupSignedUntil', [formatDateTime(expires)]) : t('popupExceptionUntil', [formatClock(expires)]),
        })
      : el('p', { className: 'verdict-explain', text: t(explainKey(verdict.level, verdict.citations)) });
  body.replaceChildren(
    head,
    explain,
    el('p', { id: 'verdict-orgs-label', className: 'verdict-orgs-label', text: t('popupCitedBy') }),
    cited,
    age,
  );
}
