/**
 * The organization profiles, grouped by sector, with a search box. Shared by
 * the popup and the options page. Each change is saved through the
 * background at once; the background's reply is the truth that is shown.
 */
import { SECTORS } from '../../core/policy-enums';
import type { Sector } from '../../core/policy-schema';
import type { OrganizationSummary } from '../../core/verdict-view';
import { sendMessage } from '../../platform/messaging';
import { pickText } from '../../shared/i18n';
import { sectorKey } from '../../shared/policy-text';
import { el, errorText } from './dom';
import { joinList, lang, otherLang, t } from './page-text';
import { compositionGate, matchesQuery, searchKeysOf } from './profile-search';

export interface ProfileListOptions {
  /** Content placed under an organization's checkbox (the options page adds its details). */
  renderExtra?: (org: OrganizationSummary) => Node | null;
  /** Custom organizations (imported on the options page), marked as such. */
  custom?: readonly string[];
  /** The administrator's own organizations, marked "From your organization". */
  fromOrganization?: readonly string[];
}

/** What an administrator decided about the profiles. */
export interface ProfileLocks {
  /** Turned on by the administrator. */
  forced: readonly string[];
  /** Every profile is locked. */
  all: boolean;
}

export const NO_LOCKS: ProfileLocks = { forced: [], all: false };

export interface ProfileList {
  /** Ticks exactly the given organizations, except those with a save still in flight, and shows the locks. */
  reflect(enabled: readonly string[], locks?: ProfileLocks): void;
}

interface Row {
  org: OrganizationSummary;
  item: HTMLLIElement;
  box: HTMLInputElement;
  lock: HTMLElement;
  keys: string[];
}

const SAVED_VISIBLE_MS = 4000;

export function mountProfileList(
  root: HTMLElement,
  organizations: readonly OrganizationSummary[],
  enabled: readonly string[],
  options: ProfileListOptions = {},
  initialLocks: ProfileLocks = NO_LOCKS,
): ProfileList {
  const collator = new Intl.Collator(lang);
  const nameOf = (org: OrganizationSummary) => pickText(org.name, lang);

  const search = el('input', {
    id: 'search',
    className: 'search-input',
    attrs: {
      type: 'search',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: t('profilesSearchPlaceholder'),
      'aria-describedby': 'search-count',
    },
  });
  const count = el('span', { id: 'search-count', className: 'search-count', attrs: { role: 'status' } });
  const saved = el('span', { id: 'profiles-saved', className: 'profiles-saved', attrs: { role: 'status' } });
  const alert = el('p', { id: 'profiles-error', className: 'alert', attrs: { role: 'alert' } });
  const summary = el('p', { id: 'profiles-enabled', className: 'profiles-enabled' });
  const groups = el('div', { className: 'sector-groups' });

  root.replaceChildren(
    el(
      'div',
      { className: 'search' },
      el('label', { className: 'search-label', text: t('profilesSearchLabel'), attrs: { for: 'search' } }),
      search,
    ),
    el('p', { className: 'profiles-meta' }, count, saved),
    summary,
    alert,
    groups,
  );

  const rows: Row[] = [];
  const groupOf = new Map<Sector, { fieldset: HTMLFieldSetElement; rows: Row[] }>();
  for (const sector of SECTORS) {
    const members = organizations
      .filter((o) => o.sector === sector)
      .sort((a, b) => collator.compare(nameOf(a), nameOf(b)));
    if (members.length === 0) continue;
    const list = el('ul', { className: 'profiles' });
    const fieldset = el(
      'fieldset',
      { className: 'sector', attrs: { 'data-sector': sector } },
      el('legend', { className: 'sector-name', text: t(sectorKey(sector)) }),
      list,
    );
    const groupRows: Row[] = [];
    for (const org of members) {
      const row = renderRow(org, options);
      list.append(row.item);
      groupRows.push(row);
      rows.push(row);
    }
    groupOf.set(sector, { fieldset, rows: groupRows });
    groups.append(fieldset);
  }

  const pending = new Set<string>();
  let current = new Set(enabled);
  let locks = initialLocks;
  const isLocked = (id: string) => locks.all || locks.forced.includes(id);

  function showSummary(): void {
    const on = rows.filter((r) => current.has(r.org.id)).map((r) => nameOf(r.org));
    summary.textContent = on.length === 0 ? t('profilesEnabledNone') : t('profilesEnabledSome', [joinList(on)]);
    summary.classList.toggle('profiles-enabled-none', on.length === 0);
  }

  function showLock(row: Row): void {
    const id = row.org.id;
    const locked = isLocked(id);
    // A locked box is disabled, and says why right under the name.
    if (!pending.has(id)) row.box.disabled = locked;
    row.item.classList.toggle('profile-locked', locked);
    row.lock.hidden = !locked;
    row.lock.textContent = !locked ? '' : locks.forced.includes(id) ? t('profilesLockedForced') : t('profilesLockedAll');
    if (locked) row.box.setAttribute('aria-describedby', row.lock.id);
    else if (row.box.getAttribute('aria-describedby') === row.lock.id) row.box.removeAttribute('aria-describedby');
  }

  function reflect(next: readonly string[], nextLocks: ProfileLocks = locks): void {
    current = new Set(next);
    locks = nextLocks;
    for (const row of rows) {
      if (!pending.has(row.org.id)) row.box.checked = current.has(row.org.id);
      showLock(row);
    }
    showSummary();
  }

  let savedTimer: ReturnType<typeof setTimeout> | undefined;
  function announceSaved(): void {
    // Emptied first so a second "Saved" in a row is announced again.
    saved.textContent = '';
    clearTimeout(savedTimer);
    // A timer, not requestAnimationFrame: frames do not run in a background tab.
    savedTimer = setTimeout(() => {
      saved.textContent = t('profilesSaved');
      savedTimer = setTimeout(() => (saved.textContent = ''), SAVED_VISIBLE_MS);
    }, 50);
  }

  // One save at a time: the background reads, changes and writes the whole
  // settings object, so two overlapping saves could lose one of the changes.
  let queue: Promise<void> = Promise.resolve();
  function save(row: Row): void {
    const organizationId = row.org.id;
    if (isLocked(organizationId)) {
      row.box.checked = current.has(organizationId);
      return;
    }
    const wanted = row.box.checked;
    pending.add(organizationId);
    // A focused control that becomes disabled loses focus to <body>; a
    // keyboard user toggling a box must find the focus where it was.
    const hadFocus = document.activeElement === row.box;
    row.box.disabled = true;
    row.item.setAttribute('aria-busy', 'true');
    queue = queue.then(async () => {
      try {
        const reply = await sendMessage('setProfileEnabled', { organizationId, enabled: wanted });
        alert.textContent = '';
        showRowError(row, false);
        pending.delete(organizationId);
        reflect(reply.enabled);
        announceSaved();
      } catch (error) {
        pending.delete(organizationId);
        row.box.checked = !wanted;
        alert.textContent = t('profilesSaveFailed', [nameOf(row.org), errorText(error)]);
        // The alert sits above a long list; the row itself shows it too.
        showRowError(row, true);
      } finally {
        row.box.disabled = isLocked(organizationId);
        row.item.removeAttribute('aria-busy');
        if (hadFocus && (document.activeElement === null || document.activeElement === document.body)) row.box.focus();
      }
    });
  }

  for (const row of rows) row.box.addEventListener('change', () => save(row));

  function applyFilter(): void {
    const query = search.value;
    let shown = 0;
    for (const { fieldset, rows: groupRows } of groupOf.values()) {
      let shownHere = 0;
      for (const row of groupRows) {
        const match = matchesQuery(row.keys, query);
        row.item.hidden = !match;
        if (match) shownHere += 1;
      }
      fieldset.hidden = shownHere === 0;
      shown += shownHere;
    }
    const total = rows.length;
    if (shown === total) count.textContent = t('profilesCountAll', [String(total)]);
    else if (shown === 0) count.textContent = t('profilesNoMatch', [query.trim()]);
    else count.textContent = t('profilesCountFiltered', [String(shown), String(total)]);
  }
  // Korean is typed through an IME: filter on whole syllables, not on "한ㅅ" mid-composition.
  const gate = compositionGate(applyFilter);
  search.addEventListener('compositionstart', () => gate.compositionstart());
  search.addEventListener('compositionend', () => gate.compositionend());
  search.addEventListener('input', (event) => gate.input(event instanceof InputEvent && event.isComposing));

  reflect(enabled, initialLocks);
  applyFilter();
  return { reflect };
}

function showRowError(row: Row, failed: boolean): void {
  const id = `profile-error-${row.org.id}`;
  document.getElementById(id)?.remove();
  row.box.removeAttribute('aria-describedby');
  if (!failed) return;
  row.item.querySelector('.profile-label')?.after(el('p', { id, className: 'profile-error', text: t('profilesRowNotSaved') }));
  row.box.setAttribute('aria-describedby', id);
}

function renderRow(org: OrganizationSummary, options: ProfileListOptions): Row {
  const box = el('input', {
    id: `profile-${org.id}`,
    className: 'profile-box',
    attrs: { type: 'checkbox', 'data-organization-id': org.id },
  });
  // The other language's name helps people who know the organization by it
  // (and is what the search also finds); it is part of the label, so a click
  // anywhere on the two lines toggles the box.
  const name = pickText(org.name, lang);
  const altName = pickText(org.name, otherLang);
  const lock = el('span', { id: `profile-lock-${org.id}`, className: 'profile-lock', hidden: true });
  const custom = options.custom?.includes(org.id) ?? false;
  const fromOrganization = options.fromOrganization?.includes(org.id) ?? false;
  const tag = fromOrganization
    ? el('span', { className: 'profile-custom profile-from-organization', text: t('profilesFromOrganizationTag') })
    : custom && el('span', { className: 'profile-custom', text: t('profilesCustomTag') });
  const label = el(
    'label',
    { className: 'profile-label' },
    box,
    el(
      'span',
      { className: 'profile-names' },
      el('span', { className: 'profile-name' }, name, tag),
      altName !== name && el('span', { className: 'profile-alt', lang: otherLang, text: altName }),
      lock,
    ),
  );
  const item = el('li', { className: 'profile', attrs: { 'data-organization-id': org.id } }, label);
  const extra = options.renderExtra?.(org);
  if (extra) item.append(extra);
  return { org, item, box, lock, keys: searchKeysOf(org) };
}
