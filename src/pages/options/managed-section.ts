/**
 * "Managed by your organization": what the administrator's policy sets, in
 * plain words, and every policy value that was ignored (`field: message`,
 * the technical text kept for the IT team).
 */
import type { OrganizationSummary } from '../../core/verdict-view';
import { pickText } from '../../shared/i18n';
import { pickPartialText, type ManagedReport } from '../../shared/managed-types';
import { byId, el } from '../shared/dom';
import { joinList, lang, t } from '../shared/page-text';

const yesNo = (value: boolean) => t(value ? 'optionsManagedOn' : 'optionsManagedOff');

export function showManaged(report: ManagedReport, organizations: readonly OrganizationSummary[]): void {
  const section = byId('managed', HTMLElement);
  const facts = byId('managed-applied', HTMLElement);
  const problemsBox = byId('managed-problems', HTMLElement);
  const problemList = byId('managed-problem-list', HTMLElement);
  const fallbackLine = byId('managed-fallback', HTMLElement);
  section.hidden = !report.present && report.problems.length === 0;
  if (section.hidden) return;

  // Failing closed is said out loud: the rules shown are the last the browser handed over.
  const { fallback } = report;
  fallbackLine.hidden = fallback === null;
  if (fallback) {
    const seen = new Date(fallback.seenAt).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US');
    fallbackLine.textContent =
      fallback.reason === 'read-failed'
        ? t('optionsManagedFallbackFailed', [seen, fallback.detail ?? ''])
        : fallback.reason === 'admin-empty'
          ? fallback.restrictive
            ? t('optionsManagedFallbackRestrictive')
            : t('optionsManagedFallbackAdmin', [seen])
          : t('optionsManagedFallbackEmpty', [seen]);
  }

  const { policy } = report;
  const nameOf = (id: string) => {
    const org = organizations.find((o) => o.id === id);
    return org ? pickText(org.name, lang) : id;
  };
  const rows: [string, Node | string][] = [];
  if (policy.enabledProfiles) {
    rows.push([t('optionsManagedForced'), policy.enabledProfiles.length > 0 ? joinList(policy.enabledProfiles.map(nameOf)) : t('optionsManagedNone')]);
  }
  if (policy.organizations) {
    rows.push([t('optionsManagedOrganizations'), joinList(policy.organizations.organizations.map((o) => pickText(o.name, lang)))]);
  }
  if (policy.lockProfiles !== undefined) rows.push([t('optionsManagedLockProfiles'), yesNo(policy.lockProfiles)]);
  if (policy.allowProceedOnBlock !== undefined) rows.push([t('optionsManagedProceedBlock'), yesNo(policy.allowProceedOnBlock)]);
  if (policy.allowProceedOnWarn !== undefined) rows.push([t('optionsManagedProceedWarn'), yesNo(policy.allowProceedOnWarn)]);
  if (policy.proceedMinutes !== undefined) rows.push([t('optionsManagedMinutes'), t('optionsManagedMinutesValue', [String(policy.proceedMinutes)])]);
  if (policy.requireJustification !== undefined) rows.push([t('optionsManagedJustification'), yesNo(policy.requireJustification)]);
  if (policy.activityLog !== undefined) rows.push([t('optionsManagedLog'), yesNo(policy.activityLog)]);
  if (policy.preventPreconnect !== undefined) rows.push([t('optionsManagedPreconnect'), yesNo(policy.preventPreconnect)]);
  const message = pickPartialText(policy.customMessage, lang);
  if (message !== null) rows.push([t('optionsManagedMessage'), el('span', { className: 'managed-message', text: message })]);
  if (policy.approvedAlternative) {
    const label = pickPartialText(policy.approvedAlternative.label, lang);
    const url = policy.approvedAlternative.url;
    rows.push([
      t('optionsManagedAlternative'),
      el('span', {}, label ? `${label} — ` : '', el('a', { text: url, attrs: { href: url, target: '_blank', rel: 'noopener noreferrer' } })),
    ]);
  }
  facts.replaceChildren(...rows.flatMap(([label, value]) => [el('dt', { text: label }), el('dd', {}, value)]));
  facts.hidden = rows.length === 0;

  problemsBox.hidden = report.problems.length === 0;
  problemList.replaceChildren(...report.problems.map((p) => el('li', {}, el('code', { lang: 'en', text: p }))));
}
