/**
 * Custom organization policies: import a JSON file (checked whole by the
 * background with the same schema as the shipped policies; a bad file
 * changes nothing and names every bad field), export what is stored, remove
 * one. The list of profiles above shows them marked "Custom".
 */
import type { OrganizationSummary } from '../../core/verdict-view';
import { sendMessage } from '../../platform/messaging';
import { pickText } from '../../shared/i18n';
import { byId, el, errorText } from '../shared/dom';
import { joinList, lang, t } from '../shared/page-text';
import type { ProfileLocks } from '../shared/profile-list';
import { dayStamp, downloadText } from './download';

const MAX_FILE_BYTES = 1_000_000;

let onChange: () => void = () => undefined;

function announce(text: string): void {
  const status = byId('custom-status', HTMLElement);
  status.textContent = '';
  setTimeout(() => (status.textContent = text), 50);
}

function showErrors(lines: string[] | null): void {
  const box = byId('custom-error', HTMLElement);
  if (lines === null) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.replaceChildren(
    el('p', { className: 'field-error', text: t('optionsCustomImportFailed') }),
    el('ul', { className: 'plain-list problem-list' }, ...lines.map((line) => el('li', {}, el('code', { lang: 'en', text: line })))),
  );
}

async function importFile(file: File): Promise<void> {
  showErrors(null);
  byId('custom-status', HTMLElement).textContent = '';
  if (file.size > MAX_FILE_BYTES) {
    showErrors([`(root): the file is larger than ${MAX_FILE_BYTES} bytes`]);
    return;
  }
  try {
    const result = await sendMessage('importCustomPolicies', { text: await file.text() });
    const ids = [...result.added, ...result.replaced];
    announce(t('optionsCustomImported', [String(ids.length), joinList(ids)]));
    onChange();
  } catch (error) {
    showErrors(errorText(error).split('\n'));
  }
}

async function exportFile(): Promise<void> {
  try {
    const file = await sendMessage('exportCustomPolicies', {});
    downloadText(`ai-policy-guard-custom-organizations-${dayStamp(Date.now())}.json`, JSON.stringify(file, null, 2) + '\n', 'application/json');
    announce(t('optionsCustomExported', [String(file.organizations.length)]));
  } catch (error) {
    showErrors([errorText(error)]);
  }
}

export function setUpCustomPolicies(changed: () => void): void {
  onChange = changed;
  const input = byId('custom-import', HTMLInputElement);
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    // Cleared so choosing the same file again (after fixing it) imports again.
    input.value = '';
    if (file) void importFile(file);
  });
  byId('custom-export', HTMLButtonElement).addEventListener('click', () => void exportFile());
}

/**
 * The stored custom organizations, each with a remove button, except those
 * the administrator turned on or locked (the background refuses those too).
 */
export function showCustomList(
  organizations: readonly OrganizationSummary[],
  custom: readonly string[],
  locks: ProfileLocks,
  enabled: readonly string[],
): void {
  const list = byId('custom-list', HTMLElement);
  const mine = organizations.filter((o) => custom.includes(o.id));
  if (mine.length === 0) {
    list.replaceChildren(el('li', { className: 'muted', text: t('optionsCustomNone') }));
    return;
  }
  list.replaceChildren(
    ...mine.map((org) => {
      const name = pickText(org.name, lang);
      const forced = locks.forced.includes(org.id);
      if (forced || (locks.all && enabled.includes(org.id))) {
        return el(
          'li',
          { className: 'custom-item', attrs: { 'data-organization-id': org.id } },
          el('span', { className: 'custom-name' }, name, ' ', el('code', { text: org.id })),
          el('span', { className: 'profile-lock', text: t(forced ? 'profilesLockedForced' : 'profilesLockedAll') }),
        );
      }
      const remove = el('button', {
        className: 'button-secondary button-small',
        text: t('optionsCustomRemove'),
        attrs: { type: 'button', 'aria-label': t('optionsCustomRemoveLabel', [name]) },
      });
      remove.addEventListener('click', async () => {
        if (!window.confirm(t('optionsCustomRemoveConfirm', [name]))) return;
        remove.disabled = true;
        try {
          await sendMessage('removeCustomOrganization', { organizationId: org.id });
          announce(t('optionsCustomRemoved', [name]));
          onChange();
        } catch (error) {
          remove.disabled = false;
          showErrors([errorText(error)]);
        }
      });
      return el(
        'li',
        { className: 'custom-item', attrs: { 'data-organization-id': org.id } },
        el('span', { className: 'custom-name' }, name, ' ', el('code', { text: org.id })),
        remove,
      );
    }),
  );
}
