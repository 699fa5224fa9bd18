/**
 * Resolves a Decision into everything a page needs to render it (organization
 * names, notices, sources), so pages never bundle the policy list or re-match.
 */
import type { Decision, DecisionLevel } from './decision-types';
import type { Applicability } from './device-context';
import type {
  Level,
  LocalizedText,
  Notice,
  OrganizationPolicy,
  PolicyBundle,
  Scope,
  Sector,
  Service,
  Source,
} from './policy-schema';

export interface OrganizationSummary {
  id: string;
  name: LocalizedText;
  sector: Sector;
  country: string;
  /** Other names the profile search matches (한수원, 금감원); absent when none. */
  aliases?: string[];
}

export interface CitedRule {
  /** The level on this device. */
  level: Level;
  /** The level as the organization wrote it. */
  writtenLevel: Level;
  /** Whether the scope reaches this device. */
  applies: Applicability;
  scope: Scope;
  /** Whether the rule names this service or only its category. */
  target: 'service' | 'category';
  reminder: LocalizedText | null;
  notice: Notice;
  source: Source;
}

export interface CitationView {
  organization: OrganizationSummary;
  level: Level;
  rules: CitedRule[];
}

export interface VerdictView {
  level: DecisionLevel;
  /** The URL that matched, as parsed (null when the input was not a checkable URL). */
  href: string | null;
  host: string | null;
  service: Pick<Service, 'id' | 'name' | 'nameKo' | 'vendor' | 'dataLocation'> | null;
  citations: CitationView[];
  proceedAllowed: boolean;
}

export function summarizeOrganization(org: OrganizationPolicy): OrganizationSummary {
  return {
    id: org.id,
    name: org.name,
    sector: org.sector,
    country: org.country,
    ...(org.aliases && org.aliases.length > 0 ? { aliases: org.aliases } : {}),
  };
}

export function buildVerdictView(bundle: PolicyBundle, decision: Decision): VerdictView {
  const orgs = new Map(bundle.organizations.map((o) => [o.id, o]));
  const sources = new Map(bundle.sources.map((s) => [s.id, s]));
  const service = bundle.services.find((s) => s.id === decision.serviceId) ?? null;
  const citations: CitationView[] = [];
  for (const citation of decision.citations) {
    const org = orgs.get(citation.organizationId);
    if (!org) continue;
    const rules: CitedRule[] = [];
    for (const matched of citation.rules) {
      const notice = org.notices.find((n) => n.id === matched.noticeId);
      const source = notice ? sources.get(notice.source) : undefined;
      if (!notice || !source) continue;
      rules.push({
        level: matched.level,
        writtenLevel: matched.writtenLevel,
        applies: matched.applies,
        scope: matched.scope,
        target: 'service' in matched.rule.target ? 'service' : 'category',
        reminder: matched.rule.reminder ?? null,
        notice,
        source,
      });
    }
    citations.push({ organization: summarizeOrganization(org), level: citation.level, rules });
  }
  return {
    level: decision.level,
    href: decision.url?.href ?? null,
    host: decision.url?.host ?? null,
    service: service
      ? {
          id: service.id,
          name: service.name,
          ...(service.nameKo ? { nameKo: service.nameKo } : {}),
          vendor: service.vendor,
          dataLocation: service.dataLocation,
        }
      : null,
    citations,
    proceedAllowed: decision.proceedAllowed,
  };
}
