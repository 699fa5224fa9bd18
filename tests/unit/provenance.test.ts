/**
 * The real policies/ against the real seeds/: the compiler accepts them, and,
 * independently of the compiler (plain JSON.parse and String.includes), every
 * organization the article names is there with words and dates the article
 * actually uses.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePolicies, formatPolicyFile } from '../../src/core/policy-compile';
import { SECTORS } from '../../src/core/policy-schema';
import { readPolicyInput } from '../../scripts/load-policies';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTICLE = 'seeds/koreajoongangdaily-2025-02-06-deepseek-bans.txt';

interface RawText { text: string }
interface RawNotice {
  id: string;
  source: string;
  date?: { on: string; sourceSays: string };
  title?: RawText;
  quotes: RawText[];
  status: string;
}
interface RawOrganization {
  id: string;
  name: { en: string };
  sector: string;
  country: string;
  notices: RawNotice[];
}
interface RawSource { id: string; date: string; seedFile: string }
interface RawService { id: string; dataLocation?: { source: string; quote: RawText } }

function readJson<T>(path: string): T | undefined {
  const full = join(ROOT, path);
  return existsSync(full) ? (JSON.parse(readFileSync(full, 'utf8')) as T) : undefined;
}

const organizationDir = join(ROOT, 'policies/organizations');
const organizations: RawOrganization[] = (existsSync(organizationDir) ? readdirSync(organizationDir) : [])
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => readJson<RawOrganization>(`policies/organizations/${name}`)!);
const sources = readJson<{ sources: RawSource[] }>('policies/sources.json')?.sources ?? [];
const services = readJson<{ services: RawService[] }>('policies/services.json')?.services ?? [];
const byId = new Map(organizations.map((o) => [o.id, o]));

// [id, accepted English names, country, sector where the article leaves no doubt]
const EXPECTED: [string, string[], string, string | null][] = [
  ['khnp', ['Korea Hydro & Nuclear Power', 'KHNP'], 'KR', null],
  ['kakao', ['Kakao'], 'KR', 'company'],
  ['lg-uplus', ['LG U+', 'LG Uplus'], 'KR', 'company'],
  ['naver', ['Naver'], 'KR', 'company'],
  ['kb-financial-group', ['KB Financial Group', 'KB Kookmin Bank'], 'KR', 'financial'],
  ['hana-financial-group', ['Hana Financial Group'], 'KR', 'financial'],
  ['woori-financial-group', ['Woori Financial Group'], 'KR', 'financial'],
  ['shinhan-financial-group', ['Shinhan Financial Group'], 'KR', 'financial'],
  ['export-import-bank-of-korea', ['Export-Import Bank of Korea'], 'KR', 'financial'],
  ['industrial-bank-of-korea', ['Industrial Bank of Korea'], 'KR', 'financial'],
  ['korea-development-bank', ['Korea Development Bank'], 'KR', 'financial'],
  // Regulators of finance: government or financial are both defensible.
  ['financial-services-commission', ['Financial Services Commission'], 'KR', null],
  ['financial-supervisory-service', ['Financial Supervisory Service'], 'KR', null],
  ['national-police-agency', ['National Police Agency'], 'KR', 'government'],
  ['ministry-of-economy-and-finance', ['Ministry of Economy and Finance'], 'KR', 'government'],
  ['ministry-of-national-defense', ['Ministry of National Defense'], 'KR', 'government'],
  ['ministry-of-trade-industry-and-energy', ['Trade, Industry and Energy', 'Trade Industry and Energy'], 'KR', 'government'],
  ['ministry-of-foreign-affairs', ['Ministry of Foreign Affairs'], 'KR', 'government'],
  ['ministry-of-unification', ['Ministry of Unification'], 'KR', 'government'],
  ['ministry-of-health-and-welfare', ['Ministry of Health and Welfare'], 'KR', 'government'],
  ['ministry-of-land-infrastructure-and-transport', ['Land, Infrastructure and Transport', 'Land Infrastructure and Transport'], 'KR', 'government'],
  ['ministry-of-culture-sports-and-tourism', ['Culture, Sports and Tourism', 'Culture Sports and Tourism'], 'KR', 'government'],
  ['ministry-of-the-interior-and-safety', ['Interior and Safety'], 'KR', 'government'],
  ['personal-information-protection-committee', ['Personal Information Protection Committee'], 'KR', 'government'],
  ['samsung-electronics', ['Samsung Electronics'], 'KR', 'company'],
  ['sk-telecom', ['SK Telecom'], 'KR', 'company'],
  ['lg-electronics', ['LG Electronics'], 'KR', 'company'],
  ['australia', ['Australia'], 'AU', 'foreign-government'],
  ['japan', ['Japan'], 'JP', 'foreign-government'],
  ['taiwan', ['Taiwan'], 'TW', 'foreign-government'],
  ['texas', ['Texas'], 'US-TX', 'foreign-government'],
  ['italy', ['Italy'], 'IT', 'foreign-government'],
  ['united-kingdom', ['United Kingdom', 'Britain'], 'GB', 'foreign-government'],
  ['european-union', ['European Union'], 'EU', 'foreign-government'],
];

// Dates the article gives relative to its own Thursday, Feb. 6, 2025, or outright.
const EXPECTED_DATES: [string, string][] = [
  ['khnp', '2025-02-01'],
  ['kb-financial-group', '2025-02-03'],
  ['hana-financial-group', '2025-02-04'],
  ['ministry-of-the-interior-and-safety', '2025-02-04'],
  ['lg-uplus', '2025-02-05'],
  ['national-police-agency', '2025-02-06'],
  ['financial-services-commission', '2025-02-06'],
  ['financial-supervisory-service', '2025-02-06'],
  ['woori-financial-group', '2025-02-06'],
  ['export-import-bank-of-korea', '2025-01-31'],
];

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The latest `weekday` on or before `isoDate`: how a news story dates "starting Monday". */
function lastWeekdayOnOrBefore(isoDate: string, weekday: string): string {
  const day = new Date(`${isoDate}T00:00:00Z`);
  while (WEEKDAYS[day.getUTCDay()] !== weekday) day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

function seedOf(sourceId: string): string | undefined {
  const source = sources.find((s) => s.id === sourceId);
  const full = source && join(ROOT, source.seedFile);
  return full && existsSync(full) ? readFileSync(full, 'utf8') : undefined;
}

describe('policies/ as shipped', () => {
  it('compiles against seeds/ without errors', () => {
    const result = compilePolicies(readPolicyInput(ROOT));
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (result.ok) expect(result.summary).toMatch(/^\d+ organizations \(4 sectors\), \d+ services?, \d+ hosts?, \d+ quotes verified against 1 seed file$/);
  });

  it('is in canonical form, file by file', () => {
    const files = readPolicyInput(ROOT).files.filter((f) => f.path.endsWith('.json'));
    expect(files.length).toBeGreaterThan(2);
    const notCanonical = files.filter((f) => formatPolicyFile(JSON.parse(f.text)) !== f.text).map((f) => f.path);
    expect(notCanonical).toEqual([]);
  });

  it.each(EXPECTED)('names %s as the article does', (id, names, country, sector) => {
    const organization = byId.get(id);
    expect(organization, `policies/organizations/${id}.json`).toBeDefined();
    const english = organization!.name.en.toLowerCase();
    expect(names.some((name) => english.includes(name.toLowerCase())), `${organization!.name.en} is one of ${names.join(' / ')}`).toBe(true);
    expect(organization!.country).toBe(country);
    if (sector) expect(organization!.sector).toBe(sector);
  });

  it('has at least one organization in every sector', () => {
    const present = new Set(organizations.map((o) => o.sector));
    expect(SECTORS.filter((sector) => !present.has(sector))).toEqual([]);
  });
});

describe('provenance, re-checked without the compiler', () => {
  it('cites only the article as a source', () => {
    expect(sources.map((s) => s.seedFile)).toEqual([ARTICLE]);
    expect(sources[0]).toMatchObject({ date: '2025-02-06' });
  });

  it('quotes every title, date and quote verbatim from its seed', () => {
    const missing: string[] = [];
    let checked = 0;
    const check = (where: string, sourceId: string, text: string) => {
      checked += 1;
      if (!seedOf(sourceId)?.includes(text)) missing.push(`${where}: ${text}`);
    };
    for (const o of organizations) {
      o.notices.forEach((n, i) => {
        const at = `${o.id}.notices.${i}`;
        n.quotes.forEach((q, j) => check(`${at}.quotes.${j}`, n.source, q.text));
        if (n.title) check(`${at}.title`, n.source, n.title.text);
        if (n.date) check(`${at}.date.sourceSays`, n.source, n.date.sourceSays);
      });
    }
    for (const s of services) {
      if (s.dataLocation) check(`${s.id}.dataLocation.quote`, s.dataLocation.source, s.dataLocation.quote.text);
    }
    expect(missing).toEqual([]);
    // Every listed organization has at least one quote, so this cannot pass on empty data.
    expect(checked).toBeGreaterThanOrEqual(EXPECTED.length);
  });

  it('gives a title only to KHNP, which is the only notice the article quotes by title', () => {
    const titled = organizations.flatMap((o) =>
      o.notices.filter((n) => n.title).map((n) => ({ organization: o.id, title: n.title!.text, on: n.date?.on })),
    );
    expect(titled).toEqual([{ organization: 'khnp', title: 'Chinese AI service DeepSeek is banned', on: '2025-02-01' }]);
  });

  it.each(EXPECTED_DATES)('dates a notice of %s on %s', (id, on) => {
    const dates = byId.get(id)?.notices.map((n) => n.date?.on) ?? [];
    expect(dates).toContain(on);
  });

  it('resolves every weekday the article uses against its publication date', () => {
    const wrong: string[] = [];
    let resolved = 0;
    for (const o of organizations) {
      for (const n of o.notices) {
        const source = sources.find((s) => s.id === n.source);
        const weekday = n.date && WEEKDAYS.find((w) => n.date!.sourceSays.includes(w));
        if (!n.date || !weekday || !source) continue;
        const expected = lastWeekdayOnOrBefore(source.date, weekday);
        resolved += 1;
        if (n.date.on !== expected) wrong.push(`${o.id}/${n.id}: "${n.date.sourceSays}" is ${expected}, not ${n.date.on}`);
      }
    }
    expect(wrong).toEqual([]);
    // KB, Hana, LG U+ and the police at least are dated by weekday in the article.
    expect(resolved).toBeGreaterThanOrEqual(4);
  });

  it('keeps measures the article only reports as under consideration or watch that way', () => {
    const statuses = (id: string) => byId.get(id)?.notices.map((n) => n.status);
    // "Naver is reportedly also considering forbidding employees ... has not issued a formal notice yet."
    expect(statuses('naver')).toEqual(expect.arrayContaining(['considering']));
    expect(statuses('naver')).not.toContain('in-force');
    // "Britain and countries that are part of the European Union are also closely monitoring"
    for (const id of ['united-kingdom', 'european-union']) {
      expect(statuses(id)).toEqual(expect.arrayContaining(['monitoring']));
      expect(statuses(id)).not.toContain('in-force');
    }
  });
});
