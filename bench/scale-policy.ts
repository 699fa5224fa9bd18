/**
 * The large policies the scale benchmark uses: N organizations in the form of
 * the managed key `organizations` (a whole custom organizations file), and, for
 * the core alone, a catalog grown to N services of H hosts each.
 */
import type { OrganizationPolicy, PolicyBundle, Service } from '../src/core/policy-schema';

const SOURCE_ID = 'bench-scale-intranet';

function organization(i: number, services: readonly string[]): OrganizationPolicy {
  const id = `bench-scale-org-${String(i).padStart(4, '0')}`;
  return {
    id,
    name: { en: `Scale Test Organization ${i}`, ko: `규모 시험 기관 ${i}` },
    sector: 'company',
    country: 'KR',
    notices: [
      {
        id: 'ai-rules',
        source: SOURCE_ID,
        quotes: [{ text: `Organization ${i}: these AI services must not be used for work.` }],
        reasons: [],
        status: 'in-force',
      },
    ],
    rules: services.map((service) => ({ target: { service }, scope: 'work-tasks' as const, level: 'block' as const, notice: 'ai-rules' })),
  };
}

/** A managed `organizations` value: `count` organizations, each banning `perOrganization` services taken in turn from `services`. */
export function managedOrganizationsFile(count: number, services: readonly string[], perOrganization: number): Record<string, unknown> {
  return {
    kind: 'ai-policy-guard/custom-organizations',
    version: 1,
    sources: [{ id: SOURCE_ID, publisher: { en: 'Scale test intranet', ko: '규모 시험 사내망' }, headline: 'AI services list', date: '2025-03-01' }],
    organizations: Array.from({ length: count }, (_, i) =>
      organization(i, Array.from({ length: Math.min(perOrganization, services.length) }, (_, k) => services[(i * perOrganization + k) % services.length]!)),
    ),
  };
}

export const organizationIds = (file: Record<string, unknown>): string[] => (file.organizations as { id: string }[]).map((o) => o.id);

/** Host j of synthetic service i: domain matches, one every tenth an exact host (the regex rules' kind). */
export function syntheticHost(i: number, j: number): { host: string; match: 'domain' | 'exact' } {
  return { host: `h${j}.ai-service-${i}.example`, match: j % 10 === 9 ? 'exact' : 'domain' };
}

/** The shipped bundle plus `count` services of `hostsEach` hosts and one organization per service that blocks it. */
export function grownBundle(shipped: PolicyBundle, count: number, hostsEach: number): PolicyBundle {
  const category = shipped.categories[0]!.id;
  const services: Service[] = Array.from({ length: count }, (_, i) => ({
    id: `ai-service-${i}`,
    name: `AI Service ${i}`,
    vendor: `Vendor ${i}`,
    category,
    hosts: Array.from({ length: hostsEach }, (_, j) => ({ ...syntheticHost(i, j), source: 'bench' })),
  }));
  const organizations = services.map((s, i) => organization(i, [s.id]));
  const source = { ...shipped.sources[0]!, id: SOURCE_ID };
  return {
    ...shipped,
    sources: [...shipped.sources, source],
    services: [...shipped.services, ...services],
    organizations: [...shipped.organizations, ...organizations],
  };
}
