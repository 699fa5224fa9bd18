/**
 * Renders each state of the interstitial from a VerdictView. Pure DOM work:
 * no browser API and no matching; the background decided, this page explains.
 */
import type { VerdictResponse } from '../../shared/protocol';
import type { VerdictView } from '../../core/verdict-view';
import { isStoppingLevel } from '../../core/policy-enums';
import { pickText, type UiLanguage } from '../../shared/i18n';
import { serviceName as localServiceName } from '../../shared/service-name';
import { pickPartialText } from '../../shared/managed-types';
import { renderCitations } from './citations';
import { renderDeviceQuestion, type AnswerDevice } from './device-question';
import { el, field, type RenderContext } from './dom';
import { renderWayForward } from './proceed';
import { headingKey } from '../../shared/verdict-text';
import { ledeKey, type Arrival } from '../../shared/arrival';
import { renderSignedException } from './signed-exception';
import { renderNoticeUpdate } from '../shared/notice-update';
import { dateTimeFormat } from '../../shared/intl-formats';

/** Longest address text put into the page; a hostile fragment can be far longer. */
const DISPLAY_LIMIT = 4096;

export type PageState = 'unchecked' | 'failed' | 'none' | 'stopped';

export interface Page {
  main: HTMLElement;
  heading: HTMLElement;
  lede: HTMLElement;
  content: HTMLElement;
  alert: HTMLElement;
  /** The row of main actions (Go back); absent inside a frame. */
  actions: HTMLElement | null;
}

export function findPage(doc: Document): Page {
  const need = (id: string): HTMLElement => {
    const node = doc.getElementById(id);
    if (!node) throw new Error(`interstitial: #${id} is missing from index.html`);
    return node;
  };
  return {
    main: need('main'),
    heading: need('heading'),
    lede: need('lede'),
    content: need('content'),
    alert: need('alert'),
    actions: doc.querySelector<HTMLElement>('.actions'),
  };
}

export function isStopping(verdict: VerdictView): boolean {
  return isStoppingLevel(verdict.level);
}

export function serviceName(verdict: VerdictView, lang: UiLanguage): string {
  return verdict.service ? localServiceName(verdict.service, lang) : (verdict.host ?? '');
}

function setHeading(page: Page, heading: string, lede: string): void {
  page.heading.textContent = heading;
  page.lede.textContent = lede;
  page.lede.hidden = lede === '';
  document.title = heading;
}

/** The address, in full in a tooltip, visually cut to one line by CSS. */
function addressCode(url: string): HTMLElement {
  const shown = url.length > DISPLAY_LIMIT ? `${url.slice(0, DISPLAY_LIMIT)}…` : url;
  return el('code', { className: 'blocked-url', text: shown, attrs: { title: shown } });
}

export function renderAddress(url: string, ctx: RenderContext): HTMLElement {
  return field(ctx.t('interstitialAddressLabel'), addressCode(url), 'field address');
}

function renderServiceFacts(verdict: VerdictView, ctx: RenderContext): HTMLElement {
  const { t } = ctx;
  const list = el('dl', { className: 'facts' });
  const add = (label: string, value: string | Node): void => {
    list.append(el('dt', { text: label }), el('dd', {}, value));
  };
  if (verdict.service) {
    add(t('interstitialServiceLabel'), localServiceName(verdict.service, ctx.lang));
    add(t('interstitialVendorLabel'), verdict.service.vendor);
    if (verdict.service.dataLocation) {
      add(t('interstitialDataLocationLabel'), pickText(verdict.service.dataLocation.summary, ctx.lang));
    }
  }
  add(t('interstitialAddressLabel'), addressCode(verdict.href ?? ''));
  return el(
    'section',
    { className: 'service', attrs: { 'aria-labelledby': 'service-heading' } },
    el('h2', { id: 'service-heading', text: t('interstitialServiceHeading') }),
    list,
  );
}

/** The administrator's own words for this page, as plain text. */
function renderOrganizationMessage(response: VerdictResponse, ctx: RenderContext): HTMLElement | null {
  const message = pickPartialText(response.customMessage, ctx.lang);
  if (message === null) return null;
  return el(
    'section',
    { id: 'organization-message', className: 'organization-message', attrs: { 'aria-labelledby': 'organization-message-heading' } },
    el('h2', { id: 'organization-message-heading', text: ctx.t('interstitialOrganizationMessage') }),
    el('p', { className: 'organization-message-text', text: message }),
  );
}

/**
 * The approved alternative (the company's own AI assistant): a link beside
 * Go back. Only an https URL from the managed policy (checked when it was
 * read) is ever linked.
 */
function renderAlternative(response: VerdictResponse, ctx: RenderContext): HTMLElement | null {
  const alternative = response.approvedAlternative;
  if (!alternative) return null;
  let url: URL;
  try {
    url = new URL(alternative.url);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  const label = pickPartialText(alternative.label, ctx.lang) ?? url.host;
  return el('a', {
    id: 'approved-alternative',
    className: 'button-secondary button-link',
    text: ctx.t('interstitialAlternative', [label]),
    attrs: { href: url.href, rel: 'noopener noreferrer' },
  });
}

/** warn/block: what was stopped, why (each organization's notice), and the way forward. */
export function renderStopped(
  page: Page,
  response: VerdictResponse,
  rawUrl: string,
  ctx: RenderContext,
  answerDevice: AnswerDevice,
  now: Date = new Date(),
  arrival: Arrival = 'redirect',
): void {
  const { verdict } = response;
  const name = serviceName(verdict, ctx.lang);
  const key = headingKey(verdict.level === 'block' ? 'block' : 'warn', verdict.citations);
  setHeading(page, ctx.t(key, [name]), ctx.t(ledeKey(arrival)));
  const alternative = renderAlternative(response, ctx);
  if (alternative && page.actions) page.actions.append(alternative);
  page.content.replaceChildren(
    ...[renderOrganizationMessage(response, ctx)].filter((node): node is HTMLElement => node !== null),
    renderServiceFacts(verdict, ctx),
    ...[renderDeviceQuestion(response, ctx, answerDevice)].filter((node): node is HTMLElement => node !== null),
    renderCitations(verdict.citations, {
      ...ctx,
      service: name,
      now,
      noticeUpdate: (organizationId, noticeId) =>
        renderNoticeUpdate(
          response.notices.find((n) => n.organizationId === organizationId && n.noticeId === noticeId),
          { t: ctx.t, formatDay: (ms) => dateTimeFormat(ctx.lang, { dateStyle: 'long' }).format(ms), url: rawUrl },
        ),
    }),
    renderWayForward(response, rawUrl, ctx),
    // An approver's signed exception: offered even where proceeding is turned off.
    renderSignedException(response, ctx),
  );
}

/** none/caution/notice: nothing to stop any more (a profile was switched off meanwhile). */
export function renderNoRestriction(page: Page, url: string, ctx: RenderContext): void {
  setHeading(page, ctx.t('interstitialNoRestriction'), ctx.t('interstitialNoRestrictionLede'));
  page.content.replaceChildren(renderAddress(url, ctx));
}

export function renderUnchecked(page: Page, rawUrl: string, ctx: RenderContext): void {
  setHeading(page, ctx.t('interstitialUncheckable'), ctx.t('interstitialUncheckableLede'));
  page.content.replaceChildren(rawUrl === '' ? el('p', { className: 'muted', text: ctx.t('interstitialNoAddress') }) : renderAddress(rawUrl, ctx));
}

export function renderFailed(page: Page, rawUrl: string, error: string, ctx: RenderContext): void {
  setHeading(page, ctx.t('interstitialLoadFailed'), ctx.t('interstitialLoadFailedLede'));
  page.alert.textContent = ctx.t('interstitialErrorDetail', [error]);
  page.content.replaceChildren(renderAddress(rawUrl, ctx));
}

/**
 * Inside a frame (a banned site embedded in another page) there is no room
 * and no reason for the whole story, and no way forward: a compact line and
 * a link to the same page in its own tab.
 */
export function renderFramed(page: Page, state: PageState, verdict: VerdictView | null, ctx: RenderContext): void {
  const text =
    state === 'stopped' && verdict
      ? ctx.t('interstitialFrameBlocked', [serviceName(verdict, ctx.lang)])
      : state === 'none'
        ? ctx.t('interstitialNoRestriction')
        : state === 'failed'
          ? ctx.t('interstitialLoadFailed')
          : ctx.t('interstitialUncheckable');
  page.heading.textContent = text;
  document.title = text;
  page.lede.hidden = true;
  const link = el('a', {
    className: 'frame-link',
    text: ctx.t('interstitialFrameOpen'),
    attrs: { href: location.href, target: '_blank', rel: 'noopener noreferrer' },
  });
  page.content.replaceChildren(el('p', {}, link));
}
