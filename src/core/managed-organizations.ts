/**
 * The managed key `organizations`: an administrator's own organizations,
 * written exactly as a custom organizations file (wrapper included), as an
 * object or as the same JSON in a string (the Windows registry's REG_SZ,
 * or a Firefox policies.json written that way). Pure.
 *
 * Unlike an import, which is all or nothing, each source and each
 * organization is checked on its own: a bad one is ignored and reported as
 * `organizations.N.field: message`, and the others apply. A policy pushed to
 * thousands of machines must not lose every notice over one typo.
 */
import { z } from 'zod';
import {
  CUSTOM_FILE_KIND,
  CUSTOM_FILE_VERSION,
  CustomSourceSchema,
  organizationProblems,
  type CustomPolicies,
  type CustomSource,
} from './custom-organizations';
import { measureJson, overLimitText, utf8Bytes } from './json-size';
import { MANAGED_LIMITS } from './policy-limits';
import { OrganizationSchema, type OrganizationPolicy, type PolicyBundle } from './policy-schema';

const number = (n: number) => n.toLocaleString('en-US');

// Larger than an import (MANAGED_LIMITS): an organization may push its whole list of AI rules.
const WrapperSchema = z.strictObject({
  $schema: z.string().optional(),
  kind: z.literal(CUSTOM_FILE_KIND, { error: `must be "${CUSTOM_FILE_KIND}"` }),
  version: z.literal(CUSTOM_FILE_VERSION, { error: `must be ${CUSTOM_FILE_VERSION}` }),
  sources: z.array(z.unknown()).max(MANAGED_LIMITS.sources, `must have at most ${number(MANAGED_LIMITS.sources)} items`).default([]),
  organizations: z
    .array(z.unknown())
    .min(1)
    .max(MANAGED_LIMITS.organizations, `must have at most ${number(MANAGED_LIMITS.organizations)} items`),
});

const path = (parts: readonly PropertyKey[]) => parts.map(String).join('.');

export interface ManagedOrganizations {
  policies: CustomPolicies;
  /** `organizations.N.field: message` for each ignored organization (and source). */
  problems: string[];
}

export function readManagedOrganizations(value: unknown, bundle: PolicyBundle): ManagedOrganizations {
  const none = (problem: string): ManagedOrganizations => ({ policies: { sources: [], organizations: [] }, problems: [problem] });
  let file = value;
  if (typeof value === 'string') {
    if (value.length > MANAGED_LIMITS.organizationsBytes || utf8Bytes(value) > MANAGED_LIMITS.organizationsBytes) {
      return none(`organizations: larger than ${number(MANAGED_LIMITS.organizationsBytes)} bytes (ignored)`);
    }
    try {
      file = JSON.parse(value);
    } catch (error) {
      return none(`organizations: not JSON (${error instanceof Error ? error.message : String(error)}) (ignored)`);
    }
  }
  // Bounded before anything walks it recursively (zod, JSON.stringify): see json-size.ts.
  const size = measureJson(file, { maxBytes: MANAGED_LIMITS.organizationsBytes, maxDepth: MANAGED_LIMITS.depth });
  if (!size.ok) return none(`organizations: ${overLimitText(size)} (ignored)`);
  const wrapper = WrapperSchema.safeParse(file);
  if (!wrapper.success) {
    const issue = wrapper.error.issues[0];
    const where = issue && issue.path.length > 0 ? path(issue.path) : '(root)';
    return none(`organizations: ${where}: ${issue?.message ?? 'invalid'}; a whole custom organizations file is expected (ignored)`);
  }

  const problems: string[] = [];
  const sources: CustomSource[] = [];
  wrapper.data.sources.forEach((candidate, i) => {
    const source = CustomSourceSchema.safeParse(candidate);
    if (!source.success) {
      const issue = source.error.issues[0];
      problems.push(`sources.${path([i, ...(issue?.path ?? [])])}: ${issue?.message ?? 'invalid'} (ignored)`);
    } else if (bundle.sources.some((s) => s.id === source.data.id)) {
      problems.push(`sources.${i}.id: "${source.data.id}" is a built-in source; give yours its own id (ignored)`);
    } else if (sources.some((s) => s.id === source.data.id)) {
      problems.push(`sources.${i}.id: duplicate source id "${source.data.id}" (ignored)`);
    } else {
      sources.push(source.data);
    }
  });

  const sourceIds = new Set([...bundle.sources.map((s) => s.id), ...sources.map((s) => s.id)]);
  const organizations: OrganizationPolicy[] = [];
  wrapper.data.organizations.forEach((candidate, i) => {
    const org = OrganizationSchema.safeParse(candidate);
    if (!org.success) {
      for (const issue of org.error.issues) problems.push(`organizations.${path([i, ...issue.path])}: ${issue.message} (ignored)`);
      return;
    }
    const found = organizationProblems(org.data, ['organizations', i], bundle, sourceIds);
    if (organizations.some((o) => o.id === org.data.id)) found.push(`organizations.${i}.id: duplicate organization id "${org.data.id}"`);
    if (found.length > 0) {
      problems.push(...found.map((p) => `${p} (ignored)`));
      return;
    }
    const copy = { ...org.data };
    delete copy.$schema;
    organizations.push(copy);
  });

  const cited = new Set(organizations.flatMap((o) => o.notices.map((n) => n.source)));
  return { policies: { sources: sources.filter((s) => cited.has(s.id)), organizations }, problems };
}
