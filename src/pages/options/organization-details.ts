/**
 * The expandable facts under each organization on the options page: sector
 * and country at once, and its notices with each rule (service, level,
 * scope) fetched from the background when first opened.
 */
import type { OrganizationSummary } from '../../core/verdict-view';
import type { Notice, Rule } from '../../core/policy-schema';
import { sendMessage } from '../../platform/messaging';
import { pickText } from '../../shared/i18n';
import { scopeKey, sectorKey, statusKey } from '../../shared/policy-text';
import { ruleBadgeKey } from '../../shared/verdict-text';
import type { OrganizationDetailsResponse } from '../../shared/protocol';
import { el, errorText } from '../shared/dom';
import { lang, t } from '../shared/page-text';
import { localDay, noticePhase } from '../../core/notice-lifecycle';

/** "KR" → "South Korea"; "US-TX" → "United States (US-TX)"; "EU" → "European Union". */
export function regionName(code: string): string {
  const [country = code] = code.split('-');
  let name = country;
  try {
    name = new Intl.DisplayNames(lang, { type: 'region' }).of(country) ?? country;
  } catch {
    // An unknown code is shown as it is.
  }
  return code === country ? name : `${name} (${code})`;
}

function formatDay(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  // A calendar day, not an instant: formatted in UTC so no time zone shifts it.
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

function targetName(rule: Rule, details: OrganizationDetailsResponse): string {
  if ('service' in rule.target) {
    const id = rule.target.service;
    return (lang === 'ko' ? details.serviceNamesKo?.[id] : undefined) ?? details.serviceNames[id] ?? id;
  }
  const category = details.categoryNames[rule.target.category];
  return category ? pickText(category, lang) : rule.target.category;
}

/** The source's English words; for a Korean reader, the translation labelled as one, then the original. */
function titleValue(text: string, ko: string | undefined): Node {
  if (lang !== 'ko' || !ko) return el('q', { lang: 'en', text });
  return el(
    'span',
    {},
    el('q', { lang: 'ko', text: ko }),
    ' ',
    el('span', { className: 'muted', text: `${t('interstitialTranslationLabel')} ${t('interstitialDateSourceSays', [text])}` }),
  );
}

function renderNotice(notice: Notice, details: OrganizationDetailsResponse): HTMLElement {
  const rules = details.organization.rules.filter((r) => r.notice === notice.id);
  const source = details.sources.find((s) => s.id === notice.source);
  const facts = el('dl', { className: 'org-facts' });
  const add = (label: string, value: Node | string) => facts.append(el('dt', { text: label }), el('dd', {}, value));
  // The title as the English report gives it, and for a Korean reader its translation, labelled as one.
  if (notice.title) add(t('interstitialNoticeTitleLabel'), titleValue(notice.title.text, notice.title.ko));
  add(t('interstitialDateLabel'), notice.date ? el('time', { text: formatDay(notice.date.on), attrs: { datetime: notice.date.on } }) : t('interstitialNoDate'));
  add(t('interstitialStatusLabel'), t(statusKey(notice.status)));
  // An administrator's notice with a life cycle: its version, and whether it applies today.
  if (notice.version !== undefined) add(t('noticeVersionLabel'), notice.version);
  if (notice.effective !== undefined || notice.expires !== undefined) {
    const phase = noticePhase(notice, localDay(Date.now()));
    const text =
      phase === 'upcoming'
        ? t('noticePhaseUpcoming', [formatDay(notice.effective ?? '')])
        : phase === 'expired'
          ? t('noticePhaseExpired', [formatDay(notice.expires ?? '')])
          : t('noticePhaseInEffect');
    add(t('noticePeriodLabel'), el('span', { className: `notice-phase notice-phase-${phase}`, text, attrs: { 'data-phase': phase } }));
  }
  // Only where the notice itself says so; a work-tasks scope says nothing of personal use.
  if (notice.personalUse) add(t('interstitialPersonalUse').replace(/:$/, ''), titleValue(notice.personalUse.sourceSays, notice.personalUse.ko));
  if (source) add(t('interstitialSourceLabel'), `${pickText(source.publisher, lang)}, ${source.date}`);
  return el(
    'li',
    { className: 'org-notice' },
    facts,
    rules.length > 0 &&
      el(
        'ul',
        { className: 'org-rules' },
        ...rules.map((rule) =>
          el(
            'li',
            {},
            el('span', { className: 'org-rule-target', text: targetName(rule, details) }),
            ' ',
            el('span', { className: `badge level-${rule.level}`, text: t(ruleBadgeKey(rule.level, notice.status)) }),
            ' ',
            el('span', { className: 'org-rule-scope', text: t(scopeKey(rule.scope, rule.level)) }),
          ),
        ),
      ),
  );
}

export function organizationDetails(org: OrganizationSummary): HTMLDetailsElement {
  const name = pickText(org.name, lang);
  const notices = el('div', { className: 'org-notices', attrs: { 'aria-live': 'polite' } });
  const details = el(
    'details',
    { className: 'org-details', attrs: { 'data-organization-id': org.id } },
    el(
      'summary',
      {},
      el('span', { text: t('optionsDetails'), attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'visually-hidden', text: t('optionsDetailsAbout', [name]) }),
    ),
    el(
      'dl',
      { className: 'org-facts' },
      el('dt', { text: t('optionsSectorLabel') }),
      el('dd', { text: t(sectorKey(org.sector)) }),
      el('dt', { text: t('optionsCountryLabel') }),
      el('dd', { text: regionName(org.country) }),
    ),
    notices,
  );
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    notices.replaceChildren(el('p', { className: 'muted', text: t('optionsDetailsLoading') }));
    try {
      const response = await sendMessage('getOrganizationDetails', { organizationId: org.id });
      notices.replaceChildren(
        el('p', { className: 'org-notices-title', text: t('optionsNoticesHeading') }),
        el('ul', { className: 'org-notice-list' }, ...response.organization.notices.map((n) => renderNotice(n, response))),
      );
    } catch (error) {
      loaded = false;
      notices.replaceChildren(el('p', { className: 'field-error', text: t('optionsLoadFailed', [errorText(error)]) }));
    }
  });
  return details;
}
