/**
 * The claims ledger (docs/claims/<lang>.md) is what a reviewer reads instead
 * of templates: it must be the extension's current wording, and every fact
 * line must point at an article sentence that is really in seeds/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLAIMS_COMMAND } from '../../scripts/claims-ledger';
import { ledgerFor, ledgerPath } from '../../scripts/claims';
import { loadPolicyBundle } from '../../scripts/load-policies';

const article = readFileSync('seeds/koreajoongangdaily-2025-02-06-deepseek-bans.txt', 'utf8');
const bundle = loadPolicyBundle();

/** The `### Name (`id`)` section of one organization. */
function section(ledger: string, id: string): string {
  const start = ledger.indexOf(`(\`${id}\`)`);
  const end = ledger.indexOf('\n### ', start);
  return ledger.slice(start, end === -1 ? undefined : end);
}

for (const lang of ['en', 'ko'] as const) {
  describe(`docs/claims/${lang}.md`, () => {
    const expected = ledgerFor(lang);

    it('is current (regenerate with `npm run claims` and commit docs/claims/)', () => {
      let actual = '';
      try {
        actual = readFileSync(ledgerPath(lang), 'utf8');
      } catch {
        // Missing: reported below like a stale copy.
      }
      if (actual !== expected) {
        throw new Error(
          `${ledgerPath(lang)} is stale: a sentence the extension can show has changed (policies/, _locales or the wording code). ` +
            `Run \`${CLAIMS_COMMAND}\` and commit docs/claims/.`,
        );
      }
    });

    it('has a section for every organization, and every fact line points at an article sentence found in seeds/', () => {
      for (const org of bundle.organizations) {
        const text = section(expected, org.id);
        expect(text, org.id).toContain(`(\`${org.id}\`)`);
        const sentences = new Map([...text.matchAll(/^- (A\d+): “(.*)”$/gm)].map((m) => [m[1]!, m[2]!]));
        expect(sentences.size, org.id).toBeGreaterThan(0);
        for (const [, quote] of sentences) expect(article, `${org.id}: ${quote}`).toContain(quote);
        for (const m of text.matchAll(/\[(A\d+(?:, A\d+)*)\]$/gm)) {
          for (const ref of m[1]!.split(', ')) expect(sentences.has(ref), `${org.id}: ${ref}`).toBe(true);
        }
      }
    });
  });
}

describe('what the ledger shows a reviewer', () => {
  const en = ledgerFor('en');
  const ko = ledgerFor('ko');

  it('the six ministries are never said to block, in either language', () => {
    for (const id of ['ministry-of-economy-and-finance', 'ministry-of-national-defense', 'ministry-of-trade-industry-and-energy', 'ministry-of-foreign-affairs', 'ministry-of-unification', 'ministry-of-health-and-welfare']) {
      expect(section(en, id), id).not.toMatch(/\bblock/i);
      expect(section(ko, id), id).not.toMatch(/차단/);
      expect(section(en, id), id).toContain('Your organization has limited, or will limit, access to DeepSeek');
    }
  });

  it('Korean pages name the service as Korean media do, and leave no English line unmarked', () => {
    const khnp = section(ko, 'khnp');
    expect(khnp).toContain('#### 딥시크');
    expect(khnp).toContain('#### 챗GPT');
    expect(khnp).toMatch(/개인 사용: .*번역\(영문 기사 기준\): 개인적인 사용은 금지하지 않으며/);
  });

  it('a rule that names no service is never drawn as a rule on one', () => {
    expect(section(en, 'samsung-electronics')).not.toMatch(/rule on ChatGPT|rule on ‹service›/);
    expect(section(en, 'samsung-electronics')).toContain('The report names no particular service');
  });
});
