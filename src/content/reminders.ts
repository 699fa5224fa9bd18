/**
 * What the banner, note and toast say: one line per organization, in the
 * organization's own terms (its rules' reminders), in the UI language.
 */
import type { VerdictView } from '../core/verdict-view';
import { elsewhereText, type Translate } from '../shared/device-text';
import { pickText, type UiLanguage } from '../shared/i18n';
import { serviceName } from '../shared/service-name';

export interface ReminderLine {
  /** Shown in bold. */
  organization: string;
  /** What follows the name, separator included. */
  text: string;
}

/**
 * `fallback` is used for an organization none of whose matched rules carries
 * a reminder. Each distinct text is a line of its own that starts from the
 * bold name: texts that open with the organization's own name ("Samsung
 * Electronics uses…", "삼성전자는…", "LG U+: …") continue from it, so no
 * line repeats the name in its middle. A rule whose scope is elsewhere (a
 * network ban, on one's own device) says where it applies instead of its
 * reminder, so a note never reads as if the ban held here; `t` words that.
 */
export function reminderLines(verdict: VerdictView, lang: UiLanguage, fallback: string, t?: Translate): ReminderLine[] {
  const service = verdict.service === null ? (verdict.host ?? '') : serviceName(verdict.service, lang);
  return verdict.citations.flatMap((citation) => {
    const organization = pickText(citation.organization.name, lang);
    const texts = new Set<string>();
    for (const rule of citation.rules) {
      if (rule.applies === 'elsewhere' && t) texts.add(elsewhereText(rule, organization, service, t));
      else if (rule.reminder) texts.add(pickText(rule.reminder, lang));
    }
    if (texts.size === 0) texts.add(fallback);
    return [...texts].map((text) => {
      // "The Ministry of the Interior and Safety issued…" continues from the bold name too.
      const opening = [organization, `The ${organization}`].find((start) => text.startsWith(start));
      return { organization, text: opening === undefined ? ` — ${text}` : text.slice(opening.length) };
    });
  });
}
