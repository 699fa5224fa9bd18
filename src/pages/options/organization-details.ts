/** The expandable facts under each organization on the options page. */
import type { OrganizationSummary } from '../../core/verdict-view';
import { pickText } from '../../shared/i18n';
import { sectorKey } from '../../shared/policy-text';
import { el } from '../shared/dom';
import { lang, t } from '../shared/page-text';

/** "KR" → "South Korea"; "US-TX" → "United States (US-TX)"; "EU" → "European Union". */
export function regionName(code: string): string {
  const [country = code] = code.split('-');
  let name = country;
  try {
    name = new Intl.DisplayNames(lang, { type: 'region' }).of(country) ?? country;
  } catch {
    // An unknown code is shown as it is.
  }
  return code === country ? name : `${name} (${code})`;
}

export function organizationDetails(org: OrganizationSummary): HTMLDetailsElement {
  const name = pickText(org.name, lang);
  return el(
    'details',
    { className: 'org-details' },
    el(
      'summary',
      {},
      el('span', { text: t('optionsDetails'), attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'visually-hidden', text: t('optionsDetailsAbout', [name]) }),
    ),
    el(
      'dl',
      { className: 'org-facts' },
      el('dt', { text: t('optionsSectorLabel') }),
      el('dd', { text: t(sectorKey(org.sector)) }),
      el('dt', { text: t('optionsCountryLabel') }),
      el('dd', { text: regionName(org.country) }),
    ),
  );
}
