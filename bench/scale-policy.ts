/**
 * The large policies the scale benchmark uses: N organizations in the form of
 * the managed key `organizations` (a whole custom organizations file), and a
 * catalog grown to N services of H hosts each: as a bundle (the core figures)
 * and as a policies folder an organization would build its own copy of the
 * extension from (AI_POLICY_GUARD_POLICIES_ROOT, scripts/load-policies.ts).
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatPolicyFile } from '../src/core/policy-compile';
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

/**
 * Host j of synthetic service i: registrable domains under .com (the catalog's
 * checks accept a `domain` entry only for a registrable domain under a known
 * public suffix), one in ten an exact host (the regex rules' kind). The
 * browsers map them to the local server; none is meant to exist.
 */
export function syntheticHost(i: number, j: number): { host: string; match: 'domain' | 'exact' } {
  const name = `aipg-bench-s${i}-h${j}.com`;
  return j % 10 === 9 ? { host: `www.${name}`, match: 'exact' } : { host: name, match: 'domain' };
}

/** `count` synthetic services of `hostsEach` hosts, in the catalog's category `category`. */
export function grownServices(category: string, count: number, hostsEach: number): Service[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `ai-service-${i}`,
    name: `AI Service ${i}`,
    vendor: `Vendor ${i}`,
    category,
    hosts: Array.from({ length: hostsEach }, (_, j) => ({ ...syntheticHost(i, j), source: 'bench' })),
  }));
}

/**
 * A policies folder (`policies/` and `seeds/`, laid out as the repository's)
 * whose services.json holds the shipped services and `count` more of
 * `hostsEach` hosts each; organizations and sources are the shipped ones.
 * Returns the added services.
 */
export function writeGrownPoliciesRoot(repoRoot: string, dir: string, count: number, hostsEach: number): Service[] {
  cpSync(path.join(repoRoot, 'policies'), path.join(dir, 'policies'), { recursive: true });
  cpSync(path.join(repoRoot, 'seeds'), path.join(dir, 'seeds'), { recursive: true });
  const file = path.join(dir, 'policies', 'services.json');
  const services = JSON.parse(readFileSync(file, 'utf8')) as { categories: { id: string }[]; services: Service[] };
  const added = grownServices(services.categories[0]!.id, count, hostsEach);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, formatPolicyFile({ ...services, services: [...services.services, ...added] }));
  return added;
}

/** The shipped bundle plus `count` services of `hostsEach` hosts and one organization per service that blocks it. */
export function grownBundle(shipped: PolicyBundle, count: number, hostsEach: number): PolicyBundle {
  const services = grownServices(shipped.categories[0]!.id, count, hostsEach);
  const organizations = services.map((s, i) => organization(i, [s.id]));
  const source = { ...shipped.sources[0]!, id: SOURCE_ID };
  return {
    ...shipped,
    sources: [...shipped.sources, source],
    services: [...shipped.services, ...services],
    organizations: [...shipped.organizations, ...organizations],
  };
}
