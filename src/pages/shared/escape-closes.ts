/**
 * Escape closes the open disclosure (an organization's details, the
 * interstitial's "proceed" section), as Escape closes any popup or dialog:
 * the one holding focus, else the only one open. Focus that was inside it (or
 * nowhere) goes back to its summary, so the keyboard user is not lost.
 */
export function closeDisclosureOnEscape(doc: Document = document): void {
  doc.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const active = doc.activeElement;
    const around = active?.closest<HTMLDetailsElement>('details[open]') ?? null;
    const open = doc.querySelectorAll<HTMLDetailsElement>('details[open]');
    const target = around ?? (open.length === 1 ? open[0] : undefined);
    if (!target) return;
    event.preventDefault();
    target.open = false;
    if (around || active === null || active === doc.body) target.querySelector('summary')?.focus();
  });
}
