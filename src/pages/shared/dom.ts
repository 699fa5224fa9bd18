/**
 * DOM builders for the popup and options pages. Text only ever enters the
 * page as textContent or attribute values, never as markup: organization
 * names and error texts come from data this page does not control.
 */
type Child = Node | string | null | undefined | false;

export interface Props {
  className?: string;
  id?: string;
  text?: string;
  lang?: string;
  hidden?: boolean;
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
  if (props.hidden) node.hidden = true;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** The element with this id, checked to be of the expected kind (a page bug otherwise). */
export function byId<T extends HTMLElement>(id: string, kind: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof kind)) throw new Error(`#${id} is missing or not a ${kind.name}`);
  return node;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
