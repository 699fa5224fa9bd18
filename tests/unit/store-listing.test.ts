/**
 * The store listings (store/<lang>/) against each store's limits, the
 * manifest they describe, and PRIVACY.md, which the listings link to.
 *
 * Limits, as documented:
 * - manifest `name`: AMO 50, Chrome Web Store 75, Microsoft Edge Add-ons 45
 *   characters (MDN, manifest.json/name); we keep to 45 so every store takes it;
 * - manifest `description` (the Chrome Web Store's short description and AMO's
 *   default summary): 132 characters (Chrome and MDN manifest docs);
 * - AMO summary: 250 characters;
 * - Chrome Web Store detailed description: 16,000 characters;
 * - single purpose and permission justifications: free-text fields of the
 *   Chrome Web Store's Privacy practices tab; 1,000 is our own cap.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STORE = path.join(ROOT, 'store');
const LANGS = ['en', 'ko'] as const;

export const LIMITS = {
  manifestName: 45,
  cwsName: 75,
  amoName: 50,
  shortDescription: 132,
  amoSummary: 250,
  cwsDescription: 16_000,
  freeText: 1_000,
} as const;

/** Characters as a person (and the stores' counters) count them: code points, not UTF-16 units. */
const chars = (s: string) => [...s].length;
const field = (lang: string, file: string) => readFileSync(path.join(STORE, lang, file), 'utf8').replace(/\n$/, '');
const messages = (lang: string) =>
  JSON.parse(readFileSync(path.join(ROOT, 'public/_locales', lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;
const sourceManifest = JSON.parse(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8')) as {
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
};
const HANGUL = /[\uac00-\ud7a3]/;

/** The rows of the first table under `heading` in a Markdown file: first cell's `name` (or "host access"). */
function permissionRows(file: string, heading: string): Map<string, string> {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const start = text.indexOf(heading);
  expect(start, `${file} has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + heading.length);
  const end = rest.search(/\n#{1,2} /);
  const rows = new Map<string, string>();
  for (const line of (end === -1 ? rest : rest.slice(0, end)).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || cells[1] === 'permission' || /^-+$/.test(cells[1] ?? '')) continue;
    const first = cells[1] ?? '';
    const name = /^`([^`]+)`/.exec(first)?.[1] ?? (first.startsWith('host access') ? 'host access' : first);
    rows.set(name, line.trim());
  }
  return rows;
}

describe.each(LANGS)('store listing (%s)', (lang) => {
  it('name: the manifest name, within every store limit', () => {
    const name = field(lang, 'name.txt');
    expect(name).toBe(messages(lang).extName?.message);
    expect(chars(name)).toBeGreaterThan(0);
    expect(chars(name)).toBeLessThanOrEqual(Math.min(LIMITS.manifestName, LIMITS.cwsName, LIMITS.amoName));
  });

  it('short description: the manifest description, ≤ 132 characters (and ≤ 250 for AMO)', () => {
    const short = field(lang, 'short-description.txt');
    expect(short).toBe(messages(lang).extDescription?.message);
    expect(chars(short)).toBeGreaterThan(20);
    expect(chars(short)).toBeLessThanOrEqual(Math.min(LIMITS.shortDescription, LIMITS.amoSummary));
    expect(short).not.toContain('\n');
  });

  it('full description: ≤ 16,000 characters, plain text, naming the privacy policy and every permission', () => {
    const text = field(lang, 'description.txt');
    expect(chars(text)).toBeGreaterThan(500);
    expect(chars(text)).toBeLessThanOrEqual(LIMITS.cwsDescription);
    // The Chrome Web Store shows plain text: no Markdown markup.
    expect(text).not.toMatch(/^#|\*\*|\]\(|^```/m);
    expect(text).toMatch(lang === 'en' ? /privacy policy is linked on this page/ : /개인정보처리방침은 이 페이지에 링크/);
    expect(text).toContain('declarativeNetRequest');
    if (lang === 'ko') expect(text).toContain('코리아중앙데일리');
    else expect(text).toContain('Korea JoongAng Daily');
  });

  it('single purpose: one statement within the form limit', () => {
    const text = field(lang, 'single-purpose.txt');
    expect(chars(text)).toBeGreaterThan(50);
    expect(chars(text)).toBeLessThanOrEqual(LIMITS.freeText);
  });

  it('a justification for exactly the permissions the manifest asks for, and for host access', () => {
    const asked = [...(sourceManifest.permissions ?? []), ...(sourceManifest.optional_permissions ?? [])].sort();
    const files = readdirSync(path.join(STORE, lang, 'permissions')).map((f) => f.replace(/\.txt$/, '')).sort();
    expect(files).toEqual(asked);
    for (const p of asked) {
      const text = field(lang, `permissions/${p}.txt`);
      expect(chars(text), p).toBeGreaterThan(40);
      expect(chars(text), p).toBeLessThanOrEqual(LIMITS.freeText);
    }
    expect((sourceManifest.host_permissions ?? []).length).toBeGreaterThan(0);
    const hosts = field(lang, 'host-permissions.txt');
    expect(chars(hosts)).toBeLessThanOrEqual(LIMITS.freeText);
    expect(hosts).toContain('chat.deepseek.com');
  });
});

it('the Korean listing is Korean in every field', () => {
  const all = ['name.txt', 'short-description.txt', 'description.txt', 'single-purpose.txt', 'host-permissions.txt',
    ...readdirSync(path.join(STORE, 'ko', 'permissions')).map((f) => `permissions/${f}`)];
  for (const f of all) expect(field('ko', f), f).toMatch(HANGUL);
});

describe('PRIVACY.md, which the listings link to', () => {
  it('exists, is linked from store/README.md, and says nothing is sent, collected or loaded remotely', () => {
    const text = readFileSync(path.join(ROOT, 'PRIVACY.md'), 'utf8');
    expect(readFileSync(path.join(STORE, 'README.md'), 'utf8')).toContain('(../PRIVACY.md)');
    expect(text).toMatch(/no network request of its own/);
    expect(text).toMatch(/no telemetry/);
    expect(text).toMatch(/no remote\s+code/);
    expect(text).toMatch(/host\s+only/);
    expect(text).toMatch(/At most 500 entries/);
  });

  it('its permissions table is the README\'s, row for row, and covers every permission of the manifest', () => {
    const privacy = permissionRows('PRIVACY.md', '## Permissions');
    const readme = permissionRows('README.md', '## Privacy');
    expect([...privacy.entries()]).toEqual([...readme.entries()]);
    for (const p of [...(sourceManifest.permissions ?? []), ...(sourceManifest.optional_permissions ?? [])]) {
      expect(privacy.has(p), p).toBe(true);
    }
    expect(privacy.has('host access')).toBe(true);
  });
});

describe('store screenshots', () => {
  const PAGES = ['interstitial', 'popup', 'options'];
  /** A PNG's width and height, from its IHDR chunk. */
  const pngSize = (file: string) => {
    const b = readFileSync(file);
    expect(b.subarray(1, 4).toString('latin1'), `${file} is a PNG`).toBe('PNG');
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  };

  it.each(LANGS)('interstitial, popup and options page in %s, each 1280×800', (lang) => {
    for (const page of PAGES) {
      const file = path.join(STORE, 'screenshots', `${page}-${lang}.png`);
      expect(existsSync(file), `${file} (written by tests/e2e/a11y.e2e.ts)`).toBe(true);
      expect(pngSize(file)).toEqual({ width: 1280, height: 800 });
    }
  });
});
