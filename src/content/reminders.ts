/**
 * What the banner, note and toast say: one line per organization, in the
 * organization's own terms (its rules' reminders), in the UI language.
 */
import type { VerdictView } from '../core/verdict-view';
import { pickText, type UiLanguage } from '../shared/i18n';

export interface ReminderLine {
  /** Shown in bold. */
  organization: string;
  /** What follows the name, separator included. */
  text: string;
}

/**
 * `fallback` is used for an organization none of whose matched rules carries
 * a reminder. Reminders that open with the organization's own name
 * ("Samsung Electronics uses…", "삼성전자는…") continue from the bold name
 * instead of repeating it.
 */
export function reminderLines(verdict: VerdictView, lang: UiLanguage, fallback: string): ReminderLine[] {
  return verdict.citations.map((citation) => {
    const organization = pickText(citation.organization.name, lang);
    const texts = new Set<string>();
    for (const rule of citation.rules) if (rule.reminder) texts.add(pickText(rule.reminder, lang));
    const text = texts.size > 0 ? [...texts].join(' ') : fallback;
    return { organization, text: text.startsWith(organization) ? text.slice(organization.length) : ` — ${text}` };
  });
}
