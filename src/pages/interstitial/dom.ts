/**
 * Small DOM builders for the interstitial. Text only ever enters the page as
 * textContent or attribute values: the URL and the policy text are untrusted
 * as far as this page is concerned.
 */
import type { UiLanguage } from '../../shared/i18n';
import { dateTimeFormat } from '../../shared/intl-formats';

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

/** A calendar day from the policy data (YYYY-MM-DD), in the UI language (the same spelling the notice's age uses). */
export { formatReportDay as formatDay } from '../../shared/data-age';

/** Local clock time (HH:MM) of an epoch-ms instant, in the UI language. */
export function formatClock(epochMs: number, lang: UiLanguage): string {
  return dateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(epochMs);
}
