/**
 * Notices when the person pastes into, or sends from, a page's text field, so
 * a caution reminder can reappear at that moment. It looks only at which kind
 * of element the event happened in: never at clipboardData, a field's value
 * or its text, so nothing typed or pasted is read, kept or sent.
 */

// input.type reports 'text' for a missing or unknown type attribute.
const TEXT_INPUT_TYPES = new Set(['text', 'search']);

export function isTextField(target: EventTarget | null | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type);
  return target.isContentEditable;
}

/** The element the event started in, inside the page's own open shadow roots too. */
const origin = (event: Event): EventTarget | null => event.composedPath()[0] ?? event.target;

/** Calls `onActivity` at most once per `minIntervalMs`. Returns a function that stops watching. */
export function watchPromptActivity(onActivity: () => void, minIntervalMs = 5000): () => void {
  let last = -Infinity;
  const fire = (): void => {
    const now = Date.now();
    if (now - last < minIntervalMs) return;
    last = now;
    onActivity();
  };
  const onPaste = (event: Event): void => {
    if (isTextField(origin(event))) fire();
  };
  // isComposing: Enter also commits a Korean/Japanese IME composition; that is not a send.
  const onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && isTextField(origin(event))) fire();
  };
  // Capture phase on window: the page cannot stop these before we see them.
  const options = { capture: true, passive: true };
  window.addEventListener('paste', onPaste, options);
  window.addEventListener('keydown', onKeydown, options);
  window.addEventListener('submit', fire, options);
  return () => {
    window.removeEventListener('paste', onPaste, options);
    window.removeEventListener('keydown', onKeydown, options);
    window.removeEventListener('submit', fire, options);
  };
}
