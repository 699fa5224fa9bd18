/**
 * Corrections made after a review of policies/ against the article: each test
 * pins one, with the article's sentence it rests on, so none can come back.
 * Reads the shipped files directly (JSON.parse), like provenance.test.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OrganizationPolicy } from '../../src/core/policy-schema';
import { summarizeOrganization } from '../../src/core/verdict-view';
import { matchesQuery, searchKeysOf } from '../../src/pages/shared/profile-search';
import { loadPolicyBundle } from '../../scripts/load-policies';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTICLE = readFileSync(join(ROOT, 'seeds/koreajoongangdaily-2025-02-06-deepseek-bans.txt'), 'utf8');
const organizations: OrganizationPolicy[] = readdirSync(join(ROOT, 'policies/organizations'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(join(ROOT, 'policies/organizations', name), 'utf8')) as OrganizationPolicy);
const org = (id: string): OrganizationPolicy => {
  const found = organizations.find((o) => o.id === id);
  if (!found) throw new Error(`no organization ${id}`);
  return found;
};
const locale = (lang: string) =>
  JSON.parse(readFileSync(join(ROOT, `public/_locales/${lang}/messages.json`), 'utf8')) as Record<string, { message: string }>;
const en = locale('en');
const ko = locale('ko');
const reminders = (o: OrganizationPolicy) => o.rules.flatMap((r) => (r.reminder ? [r.reminder] : []));
const quoteTexts = (o: OrganizationPolicy) => o.notices.flatMap((n) => n.quotes.map((q) => q.text));
const contextOf = (o: OrganizationPolicy) => o.notices.flatMap((n) => n.context ?? []);

/** Fails loudly if a sentence the tests rely on is not in the article. */
function article(sentence: string): string {
  expect(ARTICLE, 'the article holds this sentence').toContain(sentence);
  return sentence;
}

describe('European Union', () => {
  it('is named as the article names it, and no reminder says no ban was reported', () => {
    article('Britain and countries that are part of the European Union are also closely monitoring the China-developed technology.');
    // The same paragraph reports a ban by an EU member:
    article('while Italy has blocked it completely on app markets');
    const eu = org('european-union');
    expect(eu.name.en).toBe('Countries that are part of the European Union');
    expect(eu.name.ko).toContain('회원국');
    for (const o of organizations) {
      for (const reminder of reminders(o)) {
        expect(reminder.en, o.id).not.toMatch(/no ban/i);
        expect(reminder.ko, o.id).not.toMatch(/금지 조치는 없/);
      }
    }
    expect(reminders(eu).map((r) => r.en)).toEqual(['Countries that are part of the European Union are closely monitoring DeepSeek.']);
  });
});

describe('Naver', () => {
  it("gives no reason of its own, and shows Ha Jung-woo's post only as labelled context", () => {
    article('Naver is reportedly also considering forbidding employees from using DeepSeek for company tasks but has not issued a formal notice yet.');
    article('Ha Jung-woo, head of Naver’s Future AI Center, expressed his concerns about DeepSeek on social media in late January');
    const naver = org('naver');
    expect(naver.notices.flatMap((n) => n.reasons)).toEqual([]);
    expect(quoteTexts(naver).filter((text) => /Ha Jung-woo|keystroke/.test(text))).toEqual([]);
    const context = contextOf(naver);
    expect(context.map((c) => c.text)).toEqual([
      expect.stringContaining('Ha Jung-woo'),
      expect.stringContaining('keystroke patterns and rhythm'),
    ]);
    expect(context[0]!.about.en).toMatch(/does not give it as a reason/);
    expect(context[0]!.about.ko).toMatch(/이유로 제시하지 않았/);
  });
});

describe('the ministries that "either have limited or will limit access"', () => {
  const SIX = [
    'ministry-of-economy-and-finance',
    'ministry-of-national-defense',
    'ministry-of-trade-industry-and-energy',
    'ministry-of-foreign-affairs',
    'ministry-of-unification',
    'ministry-of-health-and-welfare',
  ];
  const LIMIT = article('either have limited or will limit access to the service offered by the Chinese startup');
  // The update names two of the eight as having confirmed the block.
  const CONFIRMED = article('such as the Ministry of Land, Infrastructure and Transport and the Ministry of Culture, Sports and Tourism — confirm the blocking of DeepSeek');

  it.each(SIX)('%s carries the uncertainty in its status', (id) => {
    expect(org(id).notices.map((n) => n.status)).toEqual(['limited-or-will-limit']);
  });

  it('gives that status to every notice resting only on that sentence, and only to those', () => {
    for (const o of organizations) {
      for (const n of o.notices) {
        const limited = n.quotes.some((q) => q.text.includes(LIMIT));
        const confirmed = n.quotes.some((q) => q.text.includes(CONFIRMED));
        expect(n.status === 'limited-or-will-limit', `${o.id}/${n.id}`).toBe(limited && !confirmed);
      }
    }
  });

  it('words that status as "limited or will limit" in both languages, and "announced" not as "not yet started"', () => {
    expect(en.statusLimitedOrWillLimit!.message).toBe('Limited, or will be limited');
    expect(ko.statusLimitedOrWillLimit!.message).toBe('이미 제한했거나 제한할 예정');
    expect(ko.statusAnnounced!.message).not.toContain('시행 예정');
  });
});

describe('Samsung Electronics, SK Telecom, LG Electronics', () => {
  const SENTENCE = article(
    'Large firms like Samsung Electronics, SK Telecom and LG Electronics use proprietary generative AI models, and their company PCs block access for non-approved external programs.',
  );
  it.each([
    ['samsung-electronics', 'Samsung Electronics'],
    ['sk-telecom', 'SK Telecom'],
    ['lg-electronics', 'LG Electronics'],
  ])('%s: the reminder says only what the article says', (id, name) => {
    expect(quoteTexts(org(id))).toEqual([SENTENCE]);
    const [reminder, ...more] = reminders(org(id));
    expect(more).toEqual([]);
    expect(reminder!.en).toBe(`${name} uses proprietary generative AI models, and its company PCs block access for non-approved external programs.`);
    expect(reminder!.en).not.toMatch(/approved AI tools/i);
    expect(reminder!.ko).not.toMatch(/AI 도구를 사용하십시오/);
  });
});

describe('KB Financial Group', () => {
  it("shows Wiz's statement apart, as context, not among the spokesperson's quotes", () => {
    const WIZ = article('Wiz, a New York-based cloud security company, said on Jan. 30');
    const kb = org('kb-financial-group');
    expect(quoteTexts(kb).filter((text) => text.includes('Wiz'))).toEqual([]);
    expect(contextOf(kb)).toEqual([
      expect.objectContaining({ text: expect.stringContaining(WIZ), about: expect.objectContaining({ en: expect.stringMatching(/not by KB/) }) }),
    ]);
  });
});

describe('FSC and FSS', () => {
  it.each(['financial-services-commission', 'financial-supervisory-service'])(
    '%s labels the reason taken from the sentence about the whole sector',
    (id) => {
      article('Financial authorities and institutions are also restricting employees’ access to DeepSeek’s AI services amid heightened security concerns over the Chinese startup’s privacy policy.');
      const reasons = org(id).notices.flatMap((n) => n.reasons);
      const privacy = reasons.filter((r) => /privacy policy/.test(r.en));
      expect(privacy).toHaveLength(1);
      expect(privacy[0]!.en).toMatch(/\(reported for financial authorities and institutions generally\)$/);
      expect(privacy[0]!.ko).toMatch(/\(금융 당국과 금융기관 전반에 대해 보도됨\)$/);
    },
  );

  it('labels every reason that comes from a whole-sector sentence, banks and government alike', () => {
    const SECTOR_SENTENCES = [
      'Banks, both private and state-run, also swiftly implemented blockades',
      'Financial authorities and institutions are also restricting',
      'many government agencies and public corporations are taking measures',
    ];
    for (const o of organizations) {
      for (const n of o.notices) {
        const own = n.quotes.filter((q) => !SECTOR_SENTENCES.some((s) => q.text.includes(s)));
        for (const reason of n.reasons) {
          // A privacy reason with no privacy word in the organization's own quotes came from the sector sentence.
          if (/privacy/i.test(reason.en) && !own.some((q) => /privacy|personal data|personal information/i.test(q.text))) {
            expect(reason.en, `${o.id}: ${reason.en}`).toMatch(/generally\)$/);
            expect(reason.ko, `${o.id}: ${reason.ko}`).toMatch(/전반에 대해 보도됨\)$/);
          }
        }
      }
    }
  });
});

describe('work-tasks rules and personal use', () => {
  it('says personal use is not banned only where the notice does: KHNP', () => {
    const SAYS = article('We are not banning personal use, only use in a work environment');
    const withPersonalUse = organizations.flatMap((o) => o.notices.filter((n) => n.personalUse).map((n) => `${o.id}/${n.id}`));
    expect(withPersonalUse).toEqual(['khnp/deepseek-ban-2025-02-01']);
    expect(org('khnp').notices[0]!.personalUse).toEqual({ banned: false, sourceSays: SAYS, ko: '개인적인 사용은 금지하지 않으며, 업무 환경에서의 사용만 금지한다' });
    // The scope's generic line, shown for Kakao and Naver too, says nothing of personal use.
    expect(en.scopeWorkTasks!.message).toBe('Use for work tasks is banned.');
    expect(ko.scopeWorkTasks!.message).toBe('업무 목적 사용이 금지됩니다.');
    for (const key of ['scopeWorkTasks', 'scopeWorkTasksConcern', 'levelWarn']) {
      expect(en[key]!.message, key).not.toMatch(/personal/i);
      expect(ko[key]!.message, key).not.toMatch(/개인/);
    }
  });

  it('finds work-tasks rules elsewhere (Kakao, Naver) without a personal-use claim', () => {
    const others = organizations.filter((o) => o.id !== 'khnp' && o.rules.some((r) => r.scope === 'work-tasks')).map((o) => o.id).sort();
    expect(others).toEqual(['kakao', 'naver']);
    for (const id of others) expect(org(id).notices.some((n) => n.personalUse)).toBe(false);
  });
});

describe("Kakao's reason", () => {
  it('keeps "intellectual property (IP)" verbatim and marks the Korean with a translator\'s note', () => {
    const SENTENCE = article('intellectual property (IP) and keystroke dynamics, Kakao reasoned.');
    const kakao = org('kakao');
    expect(quoteTexts(kakao).some((text) => text.includes(SENTENCE))).toBe(true);
    const korean = [
      ...kakao.notices.flatMap((n) => n.quotes.flatMap((q) => (q.text.includes('intellectual property') && q.ko ? [q.ko] : []))),
      ...kakao.notices.flatMap((n) => n.reasons.filter((r) => r.en.includes('intellectual property')).map((r) => r.ko)),
    ];
    expect(korean).toHaveLength(2);
    for (const text of korean) {
      expect(text).toContain('[역주: 원문은 ‘intellectual property (IP)’. 문맥상 IP 주소를 가리키는 것으로 보임]');
      // Never 지식재산 on its own, without the note right after it.
      expect(text.replace(/지식재산\(IP\)\[역주:[^\]]+\]/g, '')).not.toContain('지식재산');
    }
  });
});

describe('aliases people type', () => {
  const bundle = loadPolicyBundle(ROOT);
  const summaries = bundle.organizations.map(summarizeOrganization);
  const find = (query: string) => summaries.filter((o) => matchesQuery(searchKeysOf(o), query)).map((o) => o.id);

  it.each([
    ['한수원', 'khnp'],
    ['금감원', 'financial-supervisory-service'],
    ['금융위', 'financial-services-commission'],
    ['기재부', 'ministry-of-economy-and-finance'],
    ['산업부', 'ministry-of-trade-industry-and-energy'],
    ['국토부', 'ministry-of-land-infrastructure-and-transport'],
    ['문체부', 'ministry-of-culture-sports-and-tourism'],
    ['복지부', 'ministry-of-health-and-welfare'],
    ['행안부', 'ministry-of-the-interior-and-safety'],
    ['개인정보위', 'personal-information-protection-committee'],
    ['하나은행', 'hana-financial-group'],
    ['우리은행', 'woori-financial-group'],
    ['신한은행', 'shinhan-financial-group'],
  ])('"%s" finds %s and nothing else', (query, id) => {
    expect(find(query)).toEqual([id]);
  });

  it('reach the pages through the organization summary', () => {
    expect(summaries.find((o) => o.id === 'khnp')?.aliases).toContain('한수원');
    expect(summaries.find((o) => o.id === 'kakao')).not.toHaveProperty('aliases');
  });
});

describe("public/managed-schema.json keeps an administrator's organization whole", () => {
  // Chrome drops properties its schema does not declare: every field of the policy model must be there.
  const schema = JSON.parse(readFileSync(join(ROOT, 'public/managed-schema.json'), 'utf8')) as {
    properties: { organizations: { properties: { organizations: { items: { properties: Record<string, { items?: { properties: Record<string, unknown> } }> } } } } };
  };
  const orgProps = schema.properties.organizations.properties.organizations.items.properties;

  it('declares aliases, and personalUse and context on notices', async () => {
    const { OrganizationSchema, NoticeSchema } = await import('../../src/core/policy-schema');
    const orgKeys = Object.keys(OrganizationSchema.shape).filter((k) => k !== '$schema');
    expect(orgKeys.filter((k) => !(k in orgProps))).toEqual([]);
    const noticeProps = orgProps.notices!.items!.properties;
    expect(Object.keys(NoticeSchema.shape).filter((k) => !(k in noticeProps))).toEqual([]);
    expect(Object.keys(noticeProps)).toEqual(expect.arrayContaining(['personalUse', 'context']));
  });
});
