/**
 * Custom organization policies: profiles a power user or an IT team adds
 * beside the shipped ones, written with the same OrganizationSchema as
 * `policies/organizations/*.json`. Pure: the background stores them, merges
 * them into the bundle the decider and the DNR compiler use, and exports them.
 *
 * A custom organization may only point at services and categories of the
 * shipped catalog: the catalog decides which hosts the extension has
 * permission for, so a custom rule for an unknown host could never be enforced.
 */
import { z } from 'zod';
import { measureJson } from './json-size';
import { CUSTOM_LIMITS } from './policy-limits';
import { OrganizationSchema, SourceSchema, type OrganizationPolicy, type PolicyBundle, type Source } from './policy-schema';

export const CUSTOM_FILE_KIND = 'ai-policy-guard/custom-organizations';
export const CUSTOM_FILE_VERSION = 1;
export const MAX_CUSTOM_ORGANIZATIONS = CUSTOM_LIMITS.organizations;
export const MAX_CUSTOM_SOURCES = CUSTOM_LIMITS.sources;
/** The largest import file read, in characters; a policy file is a few KB. */
export const MAX_CUSTOM_FILE_CHARS = CUSTOM_LIMITS.fileChars;

const number = (n: number) => n.toLocaleString('en-US');

/**
 * Where a custom notice was published (an intranet notice, a circular). The
 * shipped sources also name a verbatim seed copy and a byline; a custom one
 * cannot be checked against anything, so only what the page shows is asked for.
 */
export const CustomSourceSchema = SourceSchema.pick({ id: true, publisher: true, headline: true, date: true, url: true });
export type CustomSource = z.infer<typeof CustomSourceSchema>;

export const CustomPoliciesFileSchema = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal(CUSTOM_FILE_KIND, { error: `must be "${CUSTOM_FILE_KIND}"` }),
  version: z.literal(CUSTOM_FILE_VERSION, { error: `must be ${CUSTOM_FILE_VERSION}` }),
  sources: z.array(CustomSourceSchema).max(MAX_CUSTOM_SOURCES, `must have at most ${number(MAX_CUSTOM_SOURCES)} items`).default([]),
  organizations: z
    .array(OrganizationSchema)
    .min(1)
    .max(MAX_CUSTOM_ORGANIZATIONS, `must have at most ${number(MAX_CUSTOM_ORGANIZATIONS)} items`),
});

/** What is stored (and exported): the custom sources and organizations. */
export interface CustomPolicies {
  sources: CustomSource[];
  organizations: OrganizationPolicy[];
}

export const EMPTY_CUSTOM_POLICIES: CustomPolicies = { sources: [], organizations: [] };

export interface CustomPoliciesFile extends CustomPolicies {
  kind: typeof CUSTOM_FILE_KIND;
  version: typeof CUSTOM_FILE_VERSION;
}

export type CustomParseResult = { ok: true; policies: CustomPolicies } | { ok: false; errors: string[] };

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

function fieldPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * Everything wrong with one organization beyond its schema: ids that must
 * not collide, rules that must name a notice of the organization, targets
 * that must be in the catalog, notices that must cite a known source.
 */
export function organizationProblems(
  org: OrganizationPolicy,
  at: readonly PropertyKey[],
  bundle: PolicyBundle,
  sourceIds: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const add = (path: readonly PropertyKey[], message: string) => problems.push(`${fieldPath([...at, ...path])}: ${message}`);
  const services = new Set(bundle.services.map((s) => s.id));
  const categories = new Set(bundle.categories.map((c) => c.id));

  if (bundle.organizations.some((o) => o.id === org.id)) {
    add(['id'], `"${org.id}" is a built-in organization; a custom one needs its own id`);
  }
  const noticeIds = new Set<string>();
  org.notices.forEach((notice, i) => {
    if (noticeIds.has(notice.id)) add(['notices', i, 'id'], `duplicate notice id "${notice.id}"`);
    noticeIds.add(notice.id);
    if (!sourceIds.has(notice.source)) add(['notices', i, 'source'], `unknown source "${notice.source}"`);
    // As for the shipped data: "personal use is not banned" only in the notice's own quoted words.
    if (notice.personalUse && !notice.quotes.some((q) => q.text.includes(notice.personalUse!.sourceSays))) {
      add(['notices', i, 'personalUse', 'sourceSays'], "must be words of one of this notice's quotes");
    }
  });
  org.rules.forEach((rule, i) => {
    if ('service' in rule.target) {
      if (!services.has(rule.target.service)) {
        add(['rules', i, 'target', 'service'], `unknown service "${rule.target.service}" (not in the extension's catalog)`);
      }
    } else if (!categories.has(rule.target.category)) {
      add(['rules', i, 'target', 'category'], `unknown category "${rule.target.category}"`);
    }
    if (!noticeIds.has(rule.notice)) add(['rules', i, 'notice'], `no notice "${rule.notice}" in this organization`);
  });
  return problems;
}

function sourceProblems(sources: readonly CustomSource[], bundle: PolicyBundle): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  sources.forEach((source, i) => {
    if (bundle.sources.some((s) => s.id === source.id)) {
      problems.push(`sources.${i}.id: "${source.id}" is a built-in source; a custom one needs its own id`);
    } else if (seen.has(source.id)) {
      problems.push(`sources.${i}.id: duplicate source id "${source.id}"`);
    }
    seen.add(source.id);
  });
  return problems;
}

/**
 * Reads an import file. All or nothing: one problem anywhere rejects the
 * file, every problem is listed as `field.path: message`, and nothing
 * already stored is touched.
 */
export function parseCustomPoliciesFile(text: string, bundle: PolicyBundle): CustomParseResult {
  if (text.length > MAX_CUSTOM_FILE_CHARS) {
    return { ok: false, errors: [`(root): the file is larger than ${number(MAX_CUSTOM_FILE_CHARS)} characters`] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`(root): not JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const parsed = CustomPoliciesFileSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`) };
  }
  const { sources, organizations } = parsed.data;
  const errors = sourceProblems(sources, bundle);
  const sourceIds = new Set([...bundle.sources.map((s) => s.id), ...sources.map((s) => s.id)]);
  const seen = new Set<string>();
  organizations.forEach((org, i) => {
    if (seen.has(org.id)) errors.push(`organizations.${i}.id: duplicate organization id "${org.id}"`);
    seen.add(org.id);
    errors.push(...organizationProblems(org, ['organizations', i], bundle, sourceIds));
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, policies: { sources, organizations: organizations.map(withoutSchemaKey) } };
}

/**
 * Reads what was stored. Unlike an import, one broken organization (say, its
 * service left the catalog in an update) drops only itself, and says so.
 */
export function readStoredCustomPolicies(raw: unknown, bundle: PolicyBundle): { value: CustomPolicies; dropped: string[] } {
  if (raw === undefined || raw === null) return { value: EMPTY_CUSTOM_POLICIES, dropped: [] };
  const shape = z
    .strictObject({ sources: z.array(z.unknown()).max(MAX_CUSTOM_SOURCES), organizations: z.array(z.unknown()).max(MAX_CUSTOM_ORGANIZATIONS) })
    .safeParse(raw);
  if (!shape.success) return { value: EMPTY_CUSTOM_POLICIES, dropped: ['custom policies: unreadable, all dropped'] };
  const dropped: string[] = [];
  const sources: CustomSource[] = [];
  for (const candidate of shape.data.sources) {
    const source = CustomSourceSchema.safeParse(candidate);
    if (source.success && !bundle.sources.some((s) => s.id === source.data.id) && !sources.some((s) => s.id === source.data.id)) {
      sources.push(source.data);
    } else dropped.push('custom policies: a source was unreadable and dropped');
  }
  const sourceIds = new Set([...bundle.sources.map((s) => s.id), ...sources.map((s) => s.id)]);
  const organizations: OrganizationPolicy[] = [];
  shape.data.organizations.forEach((candidate, i) => {
    const org = OrganizationSchema.safeParse(candidate);
    if (!org.success) {
      dropped.push(`custom policies: organizations.${i}: unreadable, dropped`);
      return;
    }
    const problems = organizationProblems(org.data, ['organizations', i], bundle, sourceIds);
    if (organizations.some((o) => o.id === org.data.id)) problems.push(`organizations.${i}.id: duplicate "${org.data.id}"`);
    if (problems.length > 0) dropped.push(...problems.map((p) => `custom policies: ${p} (dropped)`));
    else organizations.push(org.data);
  });
  return { value: { sources, organizations }, dropped };
}

/** Only the sources some organization still cites are worth keeping. */
function citedSources(sources: readonly CustomSource[], organizations: readonly OrganizationPolicy[]): CustomSource[] {
  const cited = new Set(organizations.flatMap((o) => o.notices.map((n) => n.source)));
  return sources.filter((s) => cited.has(s.id));
}

/**
 * An import adds organizations and replaces those with the same id; the rest
 * of what was stored stays. Returns the ids that were new and replaced.
 */
export function mergeCustomPolicies(
  stored: CustomPolicies,
  imported: CustomPolicies,
): { value: CustomPolicies; added: string[]; replaced: string[] } {
  const incoming = new Set(imported.organizations.map((o) => o.id));
  const replaced = stored.organizations.filter((o) => incoming.has(o.id)).map((o) => o.id);
  const added = imported.organizations.filter((o) => !replaced.includes(o.id)).map((o) => o.id);
  const organizations = [...stored.organizations.filter((o) => !incoming.has(o.id)), ...imported.organizations];
  const importedSourceIds = new Set(imported.sources.map((s) => s.id));
  const sources = [...stored.sources.filter((s) => !importedSourceIds.has(s.id)), ...imported.sources];
  return { value: { sources: citedSources(sources, organizations), organizations }, added, replaced };
}

/**
 * Why `policies` cannot be kept, or null when they fit: at most
 * CUSTOM_LIMITS.organizations organizations and CUSTOM_LIMITS.storedBytes
 * bytes in all (JSON, UTF-8, as Chrome counts its storage quota). Checked on
 * what an import would leave stored, so an import that does not fit changes nothing.
 */
export function customPoliciesOverLimit(policies: CustomPolicies): string | null {
  if (policies.organizations.length > MAX_CUSTOM_ORGANIZATIONS) {
    return `organizations: at most ${number(MAX_CUSTOM_ORGANIZATIONS)} custom organizations can be kept, and this import would make ${number(policies.organizations.length)}`;
  }
  const size = measureJson(policies, { maxBytes: CUSTOM_LIMITS.storedBytes, maxDepth: 64 });
  if (!size.ok) {
    return `organizations: custom organizations can take at most ${number(CUSTOM_LIMITS.storedBytes)} bytes in all, and this import would make more; remove some first`;
  }
  return null;
}

export function removeCustomOrganization(stored: CustomPolicies, id: string): CustomPolicies {
  const organizations = stored.organizations.filter((o) => o.id !== id);
  return { sources: citedSources(stored.sources, organizations), organizations };
}

/** The export file: exactly what an import reads back. */
export function customPoliciesFile(policies: CustomPolicies): CustomPoliciesFile {
  return { kind: CUSTOM_FILE_KIND, version: CUSTOM_FILE_VERSION, sources: policies.sources, organizations: policies.organizations };
}

function asSource(source: CustomSource): Source {
  const weekday = WEEKDAYS[new Date(`${source.date}T00:00:00Z`).getUTCDay()] ?? 'Monday';
  // A custom source has no verbatim seed copy and no byline to cite.
  return { ...source, weekday, byline: [], seedFile: '' } as Source;
}

/** The shipped bundle with the custom organizations after the shipped ones. */
export function mergeIntoBundle(bundle: PolicyBundle, custom: CustomPolicies): PolicyBundle {
  if (custom.organizations.length === 0) return bundle;
  return {
    ...bundle,
    sources: [...bundle.sources, ...custom.sources.map(asSource)],
    organizations: [...bundle.organizations, ...custom.organizations],
  };
}

function withoutSchemaKey(organization: OrganizationPolicy): OrganizationPolicy {
  const copy = { ...organization };
  delete copy.$schema;
  return copy;
}
