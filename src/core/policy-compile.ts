/**
 * Validates everything in `policies/` against the schema, cross-checks it
 * (references, duplicates, hosts, quotes against `seeds/`) and compiles it
 * into the bundle the extension ships. Pure: callers pass file contents in.
 */
import { isNoteStatus } from './stance';
import { parse as parseHost } from 'tldts';
import type { ZodType } from 'zod';
import {
  OrganizationSchema,
  SECTORS,
  ServicesFileSchema,
  SourcesFileSchema,
  type HostMatch,
  type OrganizationPolicy,
  type PolicyBundle,
  type Service,
  type Source,
} from './policy-schema';

export interface PolicyInputFile {
  /** Relative to the repository root, with forward slashes: `policies/organizations/khnp.json`. */
  path: string;
  text: string;
}

export type CompileResult =
  | { ok: true; bundle: PolicyBundle; summary: string }
  | { ok: false; errors: string[] };

const SOURCES_PATH = 'policies/sources.json';
const SERVICES_PATH = 'policies/services.json';
const ORGANIZATION_PATH = /^policies\/organizations\/([^/]+)\.json$/;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// Private PSL entries (github.io, vercel.app) count as suffixes too: a `domain`
// entry there would cover every customer's site, not one service.
const PSL_OPTIONS = { allowPrivateDomains: true } as const;

/** The one canonical text of a policy file; `policies:format` writes exactly this. */
export function formatPolicyFile(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

type FieldPath = readonly PropertyKey[];

class ErrorList {
  readonly lines: string[] = [];
  add(file: string, path: FieldPath, message: string): void {
    const field = path.length === 0 ? '(root)' : path.map(String).join('.');
    this.lines.push(`${file}: ${field}: ${message}`);
  }
}

interface KnownSource {
  source: Source;
  /** Undefined when the seed file is missing (reported once, in sources.json). */
  seedText: string | undefined;
}

/** Why a catalog host cannot be used as written, if it cannot. */
function hostProblem(host: string, match: HostMatch): string | undefined {
  const parsed = parseHost(host, PSL_OPTIONS);
  if (parsed.isIp) return `"${host}" is an IP address, not a host name`;
  if (parsed.publicSuffix === host) return `"${host}" is a public suffix, not the host of a service`;
  if (!parsed.isIcann && !parsed.isPrivate) return `"${host}" does not end in a known public suffix`;
  if (match === 'domain' && parsed.domain !== host) {
    return `"${host}" is not a registrable domain (its registrable domain is ${parsed.domain ?? 'unknown'}); use match "exact"`;
  }
  return undefined;
}

export function compilePolicies(input: { files: PolicyInputFile[]; seeds: PolicyInputFile[] }): CompileResult {
  const errors = new ErrorList();
  const seeds = new Map(input.seeds.map((seed) => [seed.path, seed.text]));
  const verifiedSeeds = new Set<string>();
  let verifiedQuotes = 0;

  let sourcesFile: PolicyInputFile | undefined;
  let servicesFile: PolicyInputFile | undefined;
  const organizationFiles: { file: PolicyInputFile; stem: string }[] = [];
  const seenPaths = new Set<string>();
  for (const file of input.files) {
    if (seenPaths.has(file.path)) {
      errors.add(file.path, [], 'given twice');
      continue;
    }
    seenPaths.add(file.path);
    const stem = ORGANIZATION_PATH.exec(file.path)?.[1];
    if (file.path === SOURCES_PATH) sourcesFile = file;
    else if (file.path === SERVICES_PATH) servicesFile = file;
    else if (stem !== undefined) organizationFiles.push({ file, stem });
    else errors.add(file.path, [], 'unexpected file; policies/ holds only sources.json, services.json and organizations/<id>.json');
  }
  if (!sourcesFile) errors.add(SOURCES_PATH, [], 'missing file');
  if (!servicesFile) errors.add(SERVICES_PATH, [], 'missing file');
  organizationFiles.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));

  function readValid<T>(file: PolicyInputFile, schema: ZodType<T>): T | undefined {
    let value: unknown;
    try {
      value = JSON.parse(file.text);
    } catch (error) {
      errors.add(file.path, [], `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    // Reviewers diff these files by hand; one canonical layout keeps diffs to real changes.
    if (formatPolicyFile(value) !== file.text) {
      errors.add(file.path, [], 'not in canonical form (run npm run policies:format)');
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) errors.add(file.path, issue.path, issue.message);
      return undefined;
    }
    return result.data;
  }

  /** Checks that `text` appears character for character in the source's seed copy. */
  function verifyVerbatim(file: string, path: FieldPath, text: string, known: KnownSource): void {
    if (known.seedText === undefined) return;
    verifiedQuotes += 1;
    verifiedSeeds.add(known.source.seedFile);
    if (!known.seedText.includes(text)) errors.add(file, path, `not found verbatim in ${known.source.seedFile}`);
  }

  // ── sources.json ──────────────────────────────────────────────────────────
  // Null when the file is unusable: references to it are then not checked, so
  // one broken file does not bury the real errors under "unknown source" noise.
  let sources: Map<string, KnownSource> | null = null;
  const sourcesData = sourcesFile && readValid(sourcesFile, SourcesFileSchema);
  if (sourcesData) {
    const known = new Map<string, KnownSource>();
    sourcesData.sources.forEach((source, i) => {
      if (known.has(source.id)) errors.add(SOURCES_PATH, ['sources', i, 'id'], `duplicate source id "${source.id}"`);
      const seedText = seeds.get(source.seedFile);
      if (seedText === undefined) {
        errors.add(SOURCES_PATH, ['sources', i, 'seedFile'], `${source.seedFile} is not among the seed files`);
      }
      // Notices date themselves relative to the article ("starting Monday"), so its weekday must be right.
      const weekday = WEEKDAYS[new Date(`${source.date}T00:00:00Z`).getUTCDay()];
      if (weekday !== source.weekday) {
        errors.add(SOURCES_PATH, ['sources', i, 'weekday'], `${source.date} is a ${weekday ?? '?'}, not a ${source.weekday}`);
      }
      if (!known.has(source.id)) known.set(source.id, { source, seedText });
    });
    sources = known;
  }

  // ── services.json ─────────────────────────────────────────────────────────
  let serviceIds: Set<string> | null = null;
  let categoryIds: Set<string> | null = null;
  let services: Service[] = [];
  let hostCount = 0;
  const servicesData = servicesFile && readValid(servicesFile, ServicesFileSchema);
  if (servicesData) {
    services = servicesData.services;
    const categories = new Set<string>();
    const serviceSet = new Set<string>();
    servicesData.categories.forEach((category, i) => {
      if (categories.has(category.id)) errors.add(SERVICES_PATH, ['categories', i, 'id'], `duplicate category id "${category.id}"`);
      categories.add(category.id);
    });
    const hostOwners = new Map<string, string>();
    services.forEach((service, i) => {
      const at = ['services', i];
      if (serviceSet.has(service.id)) errors.add(SERVICES_PATH, [...at, 'id'], `duplicate service id "${service.id}"`);
      serviceSet.add(service.id);
      if (!categories.has(service.category)) {
        errors.add(SERVICES_PATH, [...at, 'category'], `unknown category "${service.category}"`);
      }
      if (service.dataLocation && sources) {
        const known = sources.get(service.dataLocation.source);
        if (!known) errors.add(SERVICES_PATH, [...at, 'dataLocation', 'source'], `unknown source "${service.dataLocation.source}"`);
        else verifyVerbatim(SERVICES_PATH, [...at, 'dataLocation', 'quote', 'text'], service.dataLocation.quote.text, known);
      }
      service.hosts.forEach((entry, j) => {
        hostCount += 1;
        const hostPath = [...at, 'hosts', j, 'host'];
        const problem = hostProblem(entry.host, entry.match);
        if (problem) errors.add(SERVICES_PATH, hostPath, problem);
        const owner = hostOwners.get(entry.host);
        if (owner) errors.add(SERVICES_PATH, hostPath, `"${entry.host}" is listed twice (first at ${owner})`);
        else hostOwners.set(entry.host, hostPath.join('.'));
      });
    });
    categoryIds = categories;
    serviceIds = serviceSet;
  }

  // ── organizations/<id>.json ───────────────────────────────────────────────
  const organizations: OrganizationPolicy[] = [];
  const organizationPaths = new Map<string, string>();
  for (const { file, stem } of organizationFiles) {
    const organization = readValid(file, OrganizationSchema);
    if (!organization) continue;
    if (organization.id !== stem) errors.add(file.path, ['id'], `must equal the file name "${stem}"`);
    const earlier = organizationPaths.get(organization.id);
    if (earlier) errors.add(file.path, ['id'], `duplicate organization id "${organization.id}" (also in ${earlier})`);
    else organizationPaths.set(organization.id, file.path);

    const noticeIds = new Set<string>();
    organization.notices.forEach((notice, i) => {
      const at = ['notices', i];
      if (noticeIds.has(notice.id)) errors.add(file.path, [...at, 'id'], `duplicate notice id "${notice.id}"`);
      noticeIds.add(notice.id);
      if (!sources) return;
      const known = sources.get(notice.source);
      if (!known) {
        errors.add(file.path, [...at, 'source'], `unknown source "${notice.source}"`);
        return;
      }
      if (notice.title) verifyVerbatim(file.path, [...at, 'title', 'text'], notice.title.text, known);
      if (notice.date) {
        verifyVerbatim(file.path, [...at, 'date', 'sourceSays'], notice.date.sourceSays, known);
        // A source cannot report a measure dated after its own publication.
        if (notice.date.on > known.source.date) {
          errors.add(file.path, [...at, 'date', 'on'], `${notice.date.on} is after the source's date ${known.source.date}`);
        }
      }
      notice.quotes.forEach((quote, j) => verifyVerbatim(file.path, [...at, 'quotes', j, 'text'], quote.text, known));
      notice.context?.forEach((item, j) => {
        verifyVerbatim(file.path, [...at, 'context', j, 'text'], item.text, known);
        // Context is what the organization did NOT say: the same sentence cannot be both.
        if (notice.quotes.some((quote) => quote.text === item.text)) {
          errors.add(file.path, [...at, 'context', j, 'text'], 'is also one of the notice\'s quotes; a sentence is either the organization\'s or context');
        }
      });
      if (notice.personalUse) {
        const says = notice.personalUse.sourceSays;
        verifyVerbatim(file.path, [...at, 'personalUse', 'sourceSays'], says, known);
        // The words must be the notice's own, so they must be inside one of its quotes.
        if (!notice.quotes.some((quote) => quote.text.includes(says))) {
          errors.add(file.path, [...at, 'personalUse', 'sourceSays'], 'must be words of one of this notice\'s quotes');
        }
      }
    });

    organization.rules.forEach((rule, i) => {
      const at = ['rules', i];
      if ('service' in rule.target) {
        if (serviceIds && !serviceIds.has(rule.target.service)) {
          errors.add(file.path, [...at, 'target', 'service'], `unknown service "${rule.target.service}"`);
        }
      } else if (categoryIds && !categoryIds.has(rule.target.category)) {
        errors.add(file.path, [...at, 'target', 'category'], `unknown category "${rule.target.category}"`);
      }
      if (!noticeIds.has(rule.notice)) errors.add(file.path, [...at, 'notice'], `no notice "${rule.notice}" in this file`);
      // A measure only considered, watched or asked about is no rule: it may not stop or caution.
      const status = organization.notices.find((n) => n.id === rule.notice)?.status;
      if (status && isNoteStatus(status) && rule.level !== 'notice') {
        errors.add(file.path, [...at, 'level'], `must be "notice": its notice is "${status}", which reports no rule`);
      }
    });
    organizations.push(withoutSchemaKey(organization));
  }

  if (errors.lines.length > 0 || !sourcesData || !servicesData) {
    return { ok: false, errors: errors.lines };
  }

  organizations.sort(
    (a, b) =>
      SECTORS.indexOf(a.sector) - SECTORS.indexOf(b.sector) ||
      a.name.en.localeCompare(b.name.en, 'en') ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const bundle: PolicyBundle = {
    sources: sourcesData.sources,
    categories: servicesData.categories,
    services,
    organizations,
  };
  const sectorCount = new Set(organizations.map((o) => o.sector)).size;
  const summary =
    `${plural(organizations.length, 'organization')} (${plural(sectorCount, 'sector')}), ` +
    `${plural(services.length, 'service')}, ${plural(hostCount, 'host')}, ` +
    `${plural(verifiedQuotes, 'quote')} verified against ${plural(verifiedSeeds.size, 'seed file')}`;
  return { ok: true, bundle, summary };
}

function withoutSchemaKey(organization: OrganizationPolicy): OrganizationPolicy {
  const copy = { ...organization };
  delete copy.$schema;
  return copy;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
