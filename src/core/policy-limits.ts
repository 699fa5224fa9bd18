/**
 * Every cap on what enters the extension's policies, in one place: the
 * README's table of limits is this file. Pure, no zod.
 *
 * Why caps at all: everything an import or a managed `organizations` brings
 * is kept in storage.local, and so is the verdict table built from it.
 * Chrome gives an extension 10 MB there (QUOTA_BYTES; this one does not ask
 * for unlimitedStorage), and a write past it is refused. The caps are
 * generous for real notices (the article's longest quote is 450
 * characters) and keep the sum of everything stored well inside the quota
 * (STORAGE_BUDGET below; tests/unit/storage-budget.test.ts adds it up).
 */

/** Lengths of one field, in characters (UTF-16 code units, as JavaScript counts). */
export const FIELD_LIMITS = {
  /** Ids of organizations, notices, sources, services, categories. */
  id: 100,
  /** Organization, publisher and category names (each language). */
  name: 200,
  /** A source's headline, a notice's title. */
  headline: 500,
  /** A verbatim quote (and its translation), a context quote, the words on personal use. */
  quote: 5_000,
  /** A reason, a reminder, what a context quote is about (each language). */
  reason: 1_000,
  /** A search alias. */
  alias: 100,
  /** A notice's or a source's address. */
  url: 2_048,
  /** Free text of the shipped catalog (a service's name, vendor, a host's source note). */
  note: 500,
} as const;

/** How many of a thing one organization or notice may hold. */
export const COUNT_LIMITS = {
  noticesPerOrganization: 50,
  rulesPerOrganization: 1_000,
  aliasesPerOrganization: 20,
  quotesPerNotice: 20,
  reasonsPerNotice: 20,
  contextPerNotice: 10,
} as const;

/** A person's custom organizations (the options page's Import), kept in storage.local. */
export const CUSTOM_LIMITS = {
  /** Organizations in one import file, and kept in all. */
  organizations: 100,
  /** Sources in one import file. */
  sources: 100,
  /** Characters of one import file read at all. */
  fileChars: 1_000_000,
  /** Bytes of everything kept (JSON, UTF-8, as Chrome counts its quota), after the import is merged in. */
  storedBytes: 1_000_000,
} as const;

/**
 * The managed key `organizations`. Large enough for an organization that
 * pushes its whole list of AI rules (1,000 organizations and more); the
 * extension also keeps a copy of the last policy seen in storage.local.
 */
export const MANAGED_LIMITS = {
  organizations: 2_000,
  sources: 2_000,
  /** Bytes of the `organizations` value (JSON, UTF-8), object or string form. */
  organizationsBytes: 3_000_000,
  /** Bytes of any other single managed value. */
  valueBytes: 64_000,
  /** Nesting of any managed value (the whole custom organizations file needs 8). */
  depth: 32,
} as const;

/** What storage.local may hold, by item; the verdict table is only a cache and is skipped past its bound. */
export const STORAGE_BUDGET = {
  /** Chrome's storage.local quota without unlimitedStorage (chrome.storage.local.QUOTA_BYTES). */
  quotaBytes: 10_485_760,
  /** The verdict table: not stored past this; pages then ask the background. */
  verdictTableBytes: 3_000_000,
} as const;
