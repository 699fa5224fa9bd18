/**
 * The policy data model: zod schemas for every file in `policies/` and the
 * types inferred from them. Pure: no browser API, no file system.
 */
import { z } from 'zod';
import { LEVELS, SECTORS } from './policy-enums';
import { COUNT_LIMITS, FIELD_LIMITS } from './policy-limits';

export { LEVELS, SECTORS };

// Every field has a cap (src/core/policy-limits.ts): over it, the error names the field and the limit.
const number = (n: number) => n.toLocaleString('en-US');
const atMost = (max: number) => `must be at most ${number(max)} characters`;
const text = (max: number) => z.string().trim().min(1).max(max, atMost(max));
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `must have at most ${number(max)} items`);

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const IdSchema = z.string().max(FIELD_LIMITS.id, atMost(FIELD_LIMITS.id)).regex(ID, 'must be a lower-case kebab-case id');

/** YYYY-MM-DD that is a real calendar day. */
export const IsoDateSchema = z.string().refine((value) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}, 'must be a calendar date written YYYY-MM-DD');

/** Text in both UI languages, each at most `max` characters. */
const localizedText = (max: number) => z.strictObject({ en: text(max), ko: text(max) });

/** Text written by this project (or an organization), in both UI languages. */
export const LocalizedTextSchema = localizedText(FIELD_LIMITS.reason);
const NameSchema = localizedText(FIELD_LIMITS.name);

/**
 * Text copied verbatim from a source (`text` is checked against `seeds/`),
 * with an optional Korean translation that the UI labels as a translation.
 */
const sourcedText = (max: number) => z.strictObject({ text: text(max), ko: text(max).optional() });
export const SourcedTextSchema = sourcedText(FIELD_LIMITS.quote);

// ── sources.json ────────────────────────────────────────────────────────────
export const SourceSchema = z.strictObject({
  id: IdSchema,
  publisher: NameSchema,
  headline: z.string().min(1).max(FIELD_LIMITS.headline, atMost(FIELD_LIMITS.headline)),
  date: IsoDateSchema,
  weekday: z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']),
  byline: z.array(z.string().min(1).max(FIELD_LIMITS.note, atMost(FIELD_LIMITS.note))).min(1),
  url: z.url({ protocol: /^https$/ }).max(FIELD_LIMITS.url, atMost(FIELD_LIMITS.url)).optional(),
  /** Path of the verbatim copy, relative to the repository root. */
  seedFile: z.string().regex(/^seeds\/[^/]+\.txt$/, 'must name a .txt file in seeds/'),
});
export const SourcesFileSchema = z.strictObject({
  $schema: z.string().optional(),
  sources: z.array(SourceSchema).min(1),
});

// ── services.json ───────────────────────────────────────────────────────────
export const HostMatchSchema = z.enum(['domain', 'exact']);
export const ServiceHostSchema = z.strictObject({
  /** Lower-case ASCII (punycode) host name, no port, no trailing dot. */
  host: z.string().regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/, 'must be a lower-case ASCII host name'),
  /** `domain`: a registrable domain and all its subdomains. `exact`: this one host only. */
  match: HostMatchSchema,
  /** Where this host was found to belong to the service (a URL or a short note). */
  source: z.string().min(1).max(FIELD_LIMITS.note, atMost(FIELD_LIMITS.note)),
});
export const CategorySchema = z.strictObject({
  id: IdSchema,
  name: NameSchema,
});
export const ServiceSchema = z.strictObject({
  id: IdSchema,
  name: z.string().min(1).max(FIELD_LIMITS.note, atMost(FIELD_LIMITS.note)),
  /** The name Korean media write (딥시크, 챗GPT, 뤼튼), shown on Korean pages. */
  nameKo: text(FIELD_LIMITS.note).optional(),
  vendor: z.string().min(1).max(FIELD_LIMITS.note, atMost(FIELD_LIMITS.note)),
  category: IdSchema,
  /** Only where a source says where the data is stored. */
  dataLocation: z
    .strictObject({ summary: LocalizedTextSchema, source: IdSchema, quote: SourcedTextSchema })
    .optional(),
  hosts: z.array(ServiceHostSchema).min(1),
});
export const ServicesFileSchema = z.strictObject({
  $schema: z.string().optional(),
  categories: z.array(CategorySchema).min(1),
  services: z.array(ServiceSchema).min(1),
});

// ── organizations/<id>.json ─────────────────────────────────────────────────
export const SectorSchema = z.enum(SECTORS);

/**
 * `limited-or-will-limit`: the source cannot tell whether the measure has
 * started ("either have limited or will limit access"), so neither
 * `in-force` nor `announced` may be claimed. `inquiry`: a formal request to
 * the service (the PIPC's), which is neither a rule nor a watch.
 */
export const NoticeStatusSchema = z.enum(['in-force', 'limited-or-will-limit', 'announced', 'considering', 'monitoring', 'inquiry']);
export const ScopeSchema = z.enum([
  'work-tasks',
  'company-network',
  'external-network',
  'office-devices',
  'government-devices',
  'app-markets',
  'personal-computers',
  'unspecified',
]);
export const LevelSchema = z.enum(LEVELS);

/**
 * Background the source reports next to a notice that is NOT the
 * organization's own words or reason (a security firm's finding, a staff
 * member's social-media post). `text` is verbatim like a quote; `about` says,
 * in both languages, whose words these are and how they relate to the notice.
 * Pages show it apart from the quotes, under a "context" label.
 */
export const ContextQuoteSchema = z.strictObject({
  text: text(FIELD_LIMITS.quote),
  ko: text(FIELD_LIMITS.quote).optional(),
  about: LocalizedTextSchema,
});

/**
 * Set only where the notice itself says personal use is not banned; a
 * `work-tasks` scope alone says nothing about personal use. `sourceSays` is
 * the notice's own words, checked verbatim.
 */
export const PersonalUseSchema = z.strictObject({
  banned: z.literal(false),
  sourceSays: text(FIELD_LIMITS.quote),
  /** A translation, labelled as one (a Korean reader meets no English alone). */
  ko: text(FIELD_LIMITS.quote).optional(),
});

export const NoticeSchema = z.strictObject({
  id: IdSchema,
  source: IdSchema,
  /** When the measure took effect or was issued; omitted where the source gives no date. */
  date: z
    .strictObject({
      on: IsoDateSchema,
      /** The source's own words for the date ("starting Thursday"), checked verbatim. */
      sourceSays: z.string().min(1).max(FIELD_LIMITS.headline, atMost(FIELD_LIMITS.headline)),
    })
    .optional(),
  /** Only where the source gives a title. */
  title: sourcedText(FIELD_LIMITS.headline).optional(),
  quotes: list(SourcedTextSchema, COUNT_LIMITS.quotesPerNotice).min(1),
  reasons: list(LocalizedTextSchema, COUNT_LIMITS.reasonsPerNotice),
  status: NoticeStatusSchema,
  /**
   * The organization's own page for this notice (an intranet circular). Shown
   * as a link on the warning page, never fetched; https only.
   */
  url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).max(FIELD_LIMITS.url, atMost(FIELD_LIMITS.url)).optional(),
  /** What the notice says of personal use, only where it says something. */
  personalUse: PersonalUseSchema.optional(),
  /** Background from the source, not the organization's words (see ContextQuoteSchema). */
  context: list(ContextQuoteSchema, COUNT_LIMITS.contextPerNotice).min(1).optional(),
  /**
   * The life cycle an administrator gives its own notice (src/core/notice-lifecycle.ts):
   * its version (else one derived from its content), the first and the last day it
   * applies (the browser's local date), and whether each person acknowledges each
   * new version once.
   */
  version: z.string().trim().min(1).max(40).optional(),
  effective: IsoDateSchema.optional(),
  expires: IsoDateSchema.optional(),
  acknowledge: z.boolean().optional(),
});

// zod reports a failed union as a bare "Invalid input"; say what shape is wanted.
export const RuleTargetSchema = z.union(
  [z.strictObject({ service: IdSchema }), z.strictObject({ category: IdSchema })],
  { error: 'must be {"service": id} or {"category": id}' },
);

export const RuleSchema = z.strictObject({
  target: RuleTargetSchema,
  scope: ScopeSchema,
  level: LevelSchema,
  /** The id of the notice in this file that this rule comes from. */
  notice: IdSchema,
  /** What a caution banner or note says, in the organization's terms. */
  reminder: LocalizedTextSchema.optional(),
});

export const OrganizationSchema = z.strictObject({
  $schema: z.string().optional(),
  id: IdSchema,
  name: NameSchema,
  sector: SectorSchema,
  /** ISO 3166-1 alpha-2, or alpha-2 plus subdivision (US-TX); EU for the European Union. */
  country: z.string().regex(/^(?:[A-Z]{2}|[A-Z]{2}-[A-Z0-9]{1,3})$/, 'must be an ISO 3166 code such as KR or US-TX'),
  /** Other names people search by: abbreviations (한수원, 금감원) and member banks (하나은행). */
  aliases: list(text(FIELD_LIMITS.alias), COUNT_LIMITS.aliasesPerOrganization).optional(),
  notices: list(NoticeSchema, COUNT_LIMITS.noticesPerOrganization).min(1),
  rules: list(RuleSchema, COUNT_LIMITS.rulesPerOrganization),
});

export type LocalizedText = z.infer<typeof LocalizedTextSchema>;
export type SourcedText = z.infer<typeof SourcedTextSchema>;
export type Source = z.infer<typeof SourceSchema>;
export type HostMatch = z.infer<typeof HostMatchSchema>;
export type ServiceHost = z.infer<typeof ServiceHostSchema>;
export type Category = z.infer<typeof CategorySchema>;
export type Service = z.infer<typeof ServiceSchema>;
export type Sector = z.infer<typeof SectorSchema>;
export type NoticeStatus = z.infer<typeof NoticeStatusSchema>;
export type Scope = z.infer<typeof ScopeSchema>;
export type Level = z.infer<typeof LevelSchema>;
export type Notice = z.infer<typeof NoticeSchema>;
export type ContextQuote = z.infer<typeof ContextQuoteSchema>;
export type PersonalUse = z.infer<typeof PersonalUseSchema>;
export type RuleTarget = z.infer<typeof RuleTargetSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type OrganizationPolicy = z.infer<typeof OrganizationSchema>;

/** Everything in `policies/`, validated and cross-checked. Serializable as JSON. */
export interface PolicyBundle {
  sources: Source[];
  categories: Category[];
  services: Service[];
  /** Sorted by sector (in SECTORS order), then by English name. */
  organizations: OrganizationPolicy[];
}

export { levelRank } from './policy-enums';
