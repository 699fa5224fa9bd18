/**
 * The citation cards: for each organization, what it announced, in the
 * source's own words, with the date, reasons, status and where it was reported.
 */
import type { CitationView, CitedRule } from '../../core/verdict-view';
import type { ContextQuote, Notice, Source } from '../../core/policy-schema';
import { pickText } from '../../shared/i18n';
import { reportedText } from '../../shared/data-age';
import { applicabilityText, categoryText } from '../../shared/device-text';
import { scopeKey, statusKey } from '../../shared/policy-text';
import { citationBadgeKey } from '../../shared/verdict-text';
import { el, field, formatDay, type RenderContext } from './dom';

/** What every card needs beyond the citation itself. */
export interface CitationContext extends RenderContext {
  /** The service's name, for "KB blocks DeepSeek on its network". */
  service: string;
  /** The clock the data's age is computed against. */
  now: Date;
  /** What to show of an administrator's notice that changed or asks to be acknowledged (src/pages/shared/notice-update.ts). */
  noticeUpdate?: (organizationId: string, noticeId: string) => HTMLElement | null;
}

export interface NoticeGroup {
  notice: Notice;
  source: Source;
  rules: CitedRule[];
}

/**
 * Several rules of one organization can come from the same notice (KHNP's one
 * notice covers work use of every generative AI service): show the notice once.
 */
export function groupByNotice(rules: readonly CitedRule[]): NoticeGroup[] {
  const groups = new Map<string, NoticeGroup>();
  for (const rule of rules) {
    const group = groups.get(rule.notice.id);
    if (group) group.rules.push(rule);
    else groups.set(rule.notice.id, { notice: rule.notice, source: rule.source, rules: [rule] });
  }
  return [...groups.values()];
}

export function renderCitations(citations: readonly CitationView[], ctx: CitationContext): HTMLElement {
  return el(
    'section',
    { className: 'citations', attrs: { 'aria-labelledby': 'citations-heading' } },
    el('h2', { id: 'citations-heading', text: ctx.t('interstitialCitationsHeading') }),
    // Reports age; the organizations' rules may not be what they were.
    el('p', { className: 'data-age-caveat', text: ctx.t('dataAgeMayHaveChanged') }),
    ...citations.map((citation) => renderCitation(citation, ctx)),
  );
}

function renderCitation(citation: CitationView, ctx: CitationContext): HTMLElement {
  const name = pickText(citation.organization.name, ctx.lang);
  return el(
    'article',
    { className: `citation citation-${citation.level}`, attrs: { 'aria-label': name, 'data-organization-id': citation.organization.id } },
    el(
      'div',
      { className: 'citation-header' },
      el('h3', { text: name }),
      el('span', { className: `badge level-${citation.level}`, text: ctx.t(citationBadgeKey(citation)) }),
    ),
    ...groupByNotice(citation.rules).flatMap((group) => {
      const update = ctx.noticeUpdate?.(citation.organization.id, group.notice.id) ?? null;
      return update === null ? [renderNotice(group, name, ctx)] : [update, renderNotice(group, name, ctx)];
    }),
  );
}

function renderNotice(group: NoticeGroup, organization: string, ctx: CitationContext): HTMLElement {
  const { notice, source } = group;
  const { t } = ctx;
  const box = el('div', { className: 'notice' });

  const scopes = new Map<string, string>();
  for (const rule of group.rules) {
    const key = scopeKey(rule.scope, rule.level);
    scopes.set(key, t(key));
  }
  box.append(
    el(
      'ul',
      { className: 'scopes' },
      ...[...scopes.values()].map((text) => el('li', { text })),
      // Only a notice that says so: a work-tasks scope alone says nothing of personal use.
      notice.personalUse &&
        el(
          'li',
          { className: 'personal-use' },
          t('interstitialPersonalUse'),
          ' ',
          el('q', { lang: 'en', text: notice.personalUse.sourceSays }),
          ctx.lang === 'ko' && notice.personalUse.ko ? translation(notice.personalUse.ko, ctx) : null,
        ),
    ),
  );

  // Whether each rule's scope reaches this device (a network ban on one's own laptop does not).
  const applies = new Map<string, { text: string; kind: string }>();
  for (const rule of group.rules) {
    const text = applicabilityText(rule, organization, ctx.service, ctx.t);
    applies.set(text, { text, kind: rule.applies });
  }
  box.append(
    el(
      'ul',
      { className: 'applies' },
      ...[...applies.values()].map(({ text, kind }) => el('li', { className: `applies-${kind}`, text, attrs: { 'data-applies': kind } })),
    ),
  );

  // A category rule that is no ban names no service: say this service's place in it is not known.
  const unnamed = new Set(group.rules.flatMap((rule) => categoryText(rule, ctx.service, ctx.t) ?? []));
  for (const text of unnamed) box.append(el('p', { className: 'category-note', text }));

  const reminders = new Set(group.rules.flatMap((rule) => (rule.reminder ? [pickText(rule.reminder, ctx.lang)] : [])));
  for (const reminder of reminders) box.append(el('p', { className: 'reminder', text: reminder }));

  if (notice.title) {
    box.append(field(t('interstitialNoticeTitleLabel'), el('q', { lang: 'en', text: notice.title.text })));
    if (ctx.lang === 'ko' && notice.title.ko) box.append(translation(notice.title.ko, ctx));
  }

  box.append(renderDate(notice, ctx));

  for (const quote of notice.quotes) {
    box.append(el('blockquote', { className: 'notice-quote', lang: 'en', text: quote.text }));
    if (ctx.lang === 'ko' && quote.ko) box.append(translation(quote.ko, ctx));
  }

  if (notice.reasons.length > 0) {
    box.append(
      el('p', { className: 'field-label field-block', text: t('interstitialReasonsLabel') }),
      el('ul', { className: 'reasons' }, ...notice.reasons.map((reason) => el('li', { text: pickText(reason, ctx.lang) }))),
    );
  }

  if (notice.context) box.append(renderContext(notice.context, ctx));

  box.append(field(t('interstitialStatusLabel'), t(statusKey(notice.status))));
  box.append(renderSource(source, ctx));
  box.append(el('p', { className: 'data-age', text: reportedText(source.date, ctx.now, ctx.lang, ctx.t) }));
  if (notice.url) box.append(renderNoticeLink(notice.url, ctx));
  return box;
}

/**
 * The organization's own page for the notice (https only, checked when the
 * policy was read): a plain link the person may follow, never fetched here.
 */
function renderNoticeLink(url: string, ctx: RenderContext): HTMLElement {
  const link = el('a', {
    className: 'notice-link',
    text: url,
    attrs: { href: url, target: '_blank', rel: 'noopener noreferrer', referrerpolicy: 'no-referrer' },
  });
  return field(ctx.t('interstitialNoticeLinkLabel'), link, 'field notice-url');
}

/**
 * Background the article gives next to the notice that is not the
 * organization's own words or reasons: set apart and labelled as such, each
 * with a line saying whose words these are.
 */
function renderContext(items: readonly ContextQuote[], ctx: RenderContext): HTMLElement {
  return el(
    'div',
    { className: 'context', attrs: { role: 'note' } },
    el('p', { className: 'field-label field-block context-label', text: ctx.t('interstitialContextLabel') }),
    ...items.flatMap((item) => [
      el('p', { className: 'context-about', text: pickText(item.about, ctx.lang) }),
      el('blockquote', { className: 'context-quote', lang: 'en', text: item.text }),
      ctx.lang === 'ko' && item.ko ? translation(item.ko, ctx) : null,
    ]),
  );
}

function renderDate(notice: Notice, ctx: RenderContext): HTMLElement {
  const label = ctx.t('interstitialDateLabel');
  if (!notice.date) return field(label, ctx.t('interstitialNoDate'));
  const value = el(
    'span',
    {},
    el('time', { attrs: { datetime: notice.date.on }, text: formatDay(notice.date.on, ctx.lang) }),
    ' ',
    // The day is worked out from the article's own words ("starting Thursday"): show them.
    el('span', { className: 'muted', text: ctx.t('interstitialDateSourceSays', [notice.date.sourceSays]) }),
  );
  return field(label, value);
}

function renderSource(source: Source, ctx: RenderContext): HTMLElement {
  const value = el(
    'span',
    {},
    pickText(source.publisher, ctx.lang),
    ', ',
    el('cite', { lang: 'en', text: source.headline }),
    ', ',
    el('time', { attrs: { datetime: source.date }, text: source.date }),
  );
  return field(ctx.t('interstitialSourceLabel'), value, 'field source');
}

function translation(text: string, ctx: RenderContext): HTMLElement {
  return el(
    'p',
    { className: 'translation', lang: 'ko' },
    el('span', { className: 'translation-label', text: ctx.t('interstitialTranslationLabel') }),
    ' ',
    text,
  );
}
