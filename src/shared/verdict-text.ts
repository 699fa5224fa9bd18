/**
 * Which message words a verdict, from its levels and the statuses of what was
 * reported (src/core/stance.ts): the heading, badges, the popup's explanation,
 * the proceed statement and the lede. Pure: the interstitial, the popup, the
 * options page and the claims ledger (scripts/claims.ts) all ask this module,
 * so what a reviewer reads in docs/claims/ is what a person sees.
 */
import type { DecisionLevel } from '../core/decision-types';
import type { Level, NoticeStatus } from '../core/policy-schema';
import { citationStance, ruleStance, verdictStance, type Stance, type StancedRule } from '../core/stance';
import type { Applicability } from '../core/device-context';
import { levelKey } from './policy-text';

export interface CitationFacts {
  level: Level;
  rules: readonly (StancedRule & { applies: Applicability })[];
}

/** The badge of one citation: "Limited, or will be" where no block was reported in force. */
export function citationBadgeKey(citation: CitationFacts): string {
  return citationStance(citation.level, citation.rules) === 'limit' ? 'levelLimit' : levelKey(citation.level);
}

/** The badge of one rule as written (options page details). */
export function ruleBadgeKey(level: Level, status: NoticeStatus): string {
  return ruleStance(level, status) === 'limit' ? 'levelLimit' : levelKey(level);
}

export function stanceOf(level: DecisionLevel, citations: readonly CitationFacts[]): Stance | null {
  return level === 'none' ? null : verdictStance(level, citations);
}

/** The interstitial's heading. */
export function headingKey(level: 'warn' | 'block', citations: readonly CitationFacts[]): string {
  if (level === 'warn') return 'interstitialHeadingWarn';
  return verdictStance(level, citations) === 'limit' ? 'interstitialHeadingLimit' : 'interstitialHeadingBlock';
}

/** The statement ticked before proceeding past a block (a warn asks "This is not for work"). */
export function responsibilityKey(citations: readonly CitationFacts[]): string {
  return verdictStance('block', citations) === 'limit' ? 'interstitialAckResponsibilityLimit' : 'interstitialAckResponsibility';
}

/**
 * The popup's one-line explanation. A notice that is a rule for another place
 * (a network ban, on one's own device) says so; it is never "something short
 * of a ban was reported".
 */
export function explainKey(level: Exclude<DecisionLevel, 'none'>, citations: readonly CitationFacts[]): string {
  switch (level) {
    case 'block':
      return verdictStance(level, citations) === 'limit' ? 'popupExplainLimit' : 'popupExplainBlock';
    case 'warn':
      return 'popupExplainWarn';
    case 'caution':
      return 'popupExplainCaution';
    case 'notice': {
      const rules = citations.filter((c) => c.level === 'notice').flatMap((c) => c.rules.filter((r) => r.level === 'notice'));
      const elsewhere = rules.filter((r) => r.applies === 'elsewhere').length;
      if (elsewhere === 0) return 'popupExplainNotice';
      return elsewhere === rules.length ? 'popupExplainElsewhere' : 'popupExplainNoticeMixed';
    }
  }
}

/** The badge of the whole verdict (popup head): as its strongest citation's. */
export function verdictBadgeKey(level: DecisionLevel, citations: readonly CitationFacts[]): string {
  return level !== 'none' && verdictStance(level, citations) === 'limit' ? 'levelLimit' : levelKey(level);
}
