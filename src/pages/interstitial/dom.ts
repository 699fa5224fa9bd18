/**
 * Small DOM builders for the interstitial. Text only ever enters the page as
 * textContent or attribute values: the URL and the policy text are untrusted
 * as far as this page is concerned.
 */
import type { UiLanguage } from '../../shared/i18n';

export type Translate = (key: string, substitutions?: string[]) => string;

/** What every renderer needs: the UI language and the message lookup. */
export interface RenderContext {
  lang: UiLanguage;
  t: Translate;
}

type Child = Node | string | null | undefined | false;

interface Props {
  className?: string;
  text?: string;
  lang?: string;
  id?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.id) node.id = props.id;
  if (props.lang) node.lang = props.lang;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** "label: value" on one line, the label styled apart so it reads as a field. */
export function field(label: string, value: Node | string, className = 'field'): HTMLParagraphElement {
  return el('p', { className }, el('span', { className: 'field-label', text: label }), ' ', value);
}

/** A calendar day from the policy data (YYYY-MM-DD), in the UI language. */
export function formatDay(isoDay: string, lang: UiLanguage): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  if (!m) return isoDay;
  // The day is a calendar date, not an instant: format it in UTC so no time zone shifts it.
  const instant = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(instant);
}

/** Local clock time (HH:MM) of an epoch-ms instant, in the UI language. */
export function formatClock(epochMs: number, lang: UiLanguage): string {
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(epochMs);
}
