/**
 * The banner (caution), the note (notice) and the toast, inside one host
 * element with a CLOSED shadow root: the page can neither style nor read
 * what it says. Dismissals live in memory for this document only; nothing
 * is written to the page's storage or cookies, which the site could read.
 */
import { OVERLAY_CSS } from './overlay-style';
import type { ReminderLine } from './reminders';

const HOST_TAG = 'ai-policy-guard-banner';
const TOAST_MS = 6000;

export type Panel = 'banner' | 'note';

export interface OverlayText {
  brand: string;
  heading: Record<Panel | 'toast', string>;
  dismiss: string;
}

/** The note before any profile is chosen: its sentence and its two actions. */
export interface HintContent {
  text: string;
  choose: { label: string; run(): void };
  never: { label: string; run(): void };
  /** Called when the person closes it, by any of its buttons. */
  closed(): void;
}

export interface Overlay {
  /** Shows one panel (hiding the other) unless the person dismissed it earlier in this document. */
  show(panel: Panel, lines: readonly ReminderLine[]): void;
  /** Shows the note before any profile is chosen (until an action or × closes it). */
  hint(content: HintContent): void;
  /** Takes that note away (a profile was turned on meanwhile). */
  clearHint(): void;
  toast(lines: readonly ReminderLine[]): void;
  /** Takes everything off the page. */
  clear(): void;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** document_start: <body> may not exist yet, and a host put before it would precede <head>. */
function whenBodyExists(run: () => void): void {
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run, { once: true });
}

export function createOverlay(text: OverlayText, lang: string): Overlay {
  // A copy of this script orphaned by an extension update may have left its host behind.
  for (const stale of document.querySelectorAll(HOST_TAG)) stale.remove();
  const host = document.createElement(HOST_TAG);
  const root = host.attachShadow({ mode: 'closed' });
  root.append(element('style', '', OVERLAY_CSS));
  const dismissed = new Set<Panel>();
  const panels = new Map<Panel | 'toast', HTMLElement>();
  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  let wanted = false;

  function mount(): void {
    wanted = true;
    whenBodyExists(() => {
      if (wanted && !host.isConnected && document.body) document.documentElement.append(host);
    });
  }

  // role=status boxes are created once and then refilled: screen readers
  // announce changes to a live region they already know about.
  function box(kind: Panel | 'toast'): HTMLElement {
    let node = panels.get(kind);
    if (!node) {
      node = element('div', kind);
      node.setAttribute('role', 'status');
      node.lang = lang;
      root.append(node);
      panels.set(kind, node);
    }
    return node;
  }

  function fill(kind: Panel | 'toast', lines: readonly ReminderLine[]): HTMLElement {
    const node = box(kind);
    const list = element('ul');
    for (const line of lines) {
      const item = element('li');
      item.append(element('b', '', line.organization), line.text);
      list.append(item);
    }
    const body = element('div', 'body');
    body.append(element('span', 'brand', text.brand), element('p', 'head', text.heading[kind]), list);
    node.replaceChildren(body);
    if (kind !== 'toast') {
      const close = element('button', '', '×');
      close.type = 'button';
      close.setAttribute('aria-label', text.dismiss);
      close.addEventListener('click', () => {
        dismissed.add(kind);
        node.hidden = true;
      });
      node.append(close);
    }
    return node;
  }

  let hintBox: HTMLElement | null = null;

  function button(label: string, className: string, run: () => void): HTMLButtonElement {
    const node = element('button', className, label);
    node.type = 'button';
    node.addEventListener('click', run);
    return node;
  }

  function clearToast(): void {
    clearTimeout(toastTimer);
    panels.get('toast')?.replaceChildren();
  }

  return {
    show(panel, lines) {
      const other: Panel = panel === 'banner' ? 'note' : 'banner';
      const otherBox = panels.get(other);
      if (otherBox) otherBox.hidden = true;
      fill(panel, lines).hidden = dismissed.has(panel);
      mount();
    },
    toast(lines) {
      const node = fill('toast', lines);
      // Below the banner while it is shown, so the two do not overlap.
      const banner = panels.get('banner');
      node.style.top = `${(banner && !banner.hidden ? banner.offsetHeight : 0) + 16}px`;
      clearTimeout(toastTimer);
      toastTimer = setTimeout(clearToast, TOAST_MS);
      mount();
    },
    hint(content) {
      hintBox?.remove();
      const node = element('div', 'note hint');
      node.setAttribute('role', 'status');
      node.lang = lang;
      const close = () => {
        node.hidden = true;
        content.closed();
      };
      const actions = element('div', 'actions');
      actions.append(
        button(content.choose.label, 'action primary', () => {
          close();
          content.choose.run();
        }),
        button(content.never.label, 'action', () => {
          close();
          content.never.run();
        }),
      );
      const body = element('div', 'body');
      body.append(element('span', 'brand', text.brand), element('p', 'head', content.text), actions);
      const dismiss = button('×', 'close', close);
      dismiss.setAttribute('aria-label', text.dismiss);
      node.append(body, dismiss);
      root.append(node);
      hintBox = node;
      mount();
    },
    clearHint() {
      hintBox?.remove();
      hintBox = null;
    },
    clear() {
      clearToast();
      hintBox?.remove();
      hintBox = null;
      for (const [kind, node] of panels) if (kind !== 'toast') node.hidden = true;
      wanted = false;
      host.remove();
    },
  };
}
