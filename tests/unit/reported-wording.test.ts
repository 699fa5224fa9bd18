/**
 * The sentences built around the quotes say no more than the article: each
 * test names the article's sentence it rests on and renders the real
 * messages.json in both languages through the same functions the pages use.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { administratorFirst } from '../../src/core/citation-order';
import { createDecider } from '../../src/core/decide';
import type { DeviceContext } from '../../src/core/device-context';
import { restrictingOrganizations } from '../../src/core/profile-hint';
import { citationStance, grantedPastLimitOnly, ruleStance, verdictStance } from '../../src/core/stance';
import { buildVerdictView, type VerdictView } from '../../src/core/verdict-view';
import { ledeKey, arrivalOf } from '../../src/shared/arrival';
import { applicabilityText } from '../../src/shared/device-text';
import { tableI18n, translate, type UiLanguage } from '../../src/shared/i18n';
import { serviceName } from '../../src/shared/service-name';
import { citationBadgeKey, explainKey, headingKey, responsibilityKey, ruleBadgeKey, verdictBadgeKey } from '../../src/shared/verdict-text';

const bundle = loadPolicyBundle();
const decider = createDecider(bundle);
const article = readFileSync('seeds/koreajoongangdaily-2025-02-06-deepseek-bans.txt', 'utf8');
const messages = (lang: UiLanguage) => {
  const api = tableI18n(JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')), lang)!;
  return (key: string, subs?: string[]) => translate(api, key, subs);
};
const en = messages('en');
const ko = messages('ko');
const says = (sentence: string) => expect(article, 'the article sentence this test rests on').toContain(sentence);

function view(orgs: string[], url: string, deviceContext: DeviceContext = 'unsaid'): VerdictView {
  return buildVerdictView(bundle, decider.decideForUrl(url, { enabledOrganizations: orgs, allowProceedOnBlock: true, deviceContext }));
}

const SIX = [
  'ministry-of-economy-and-finance',
  'ministry-of-national-defense',
  'ministry-of-trade-industry-and-energy',
  'ministry-of-foreign-affairs',
  'ministry-of-unification',
  'ministry-of-health-and-welfare',
];

describe('"either have limited or will limit access" is never called blocked', () => {
  says('either have limited or will limit access to the service offered by the Chinese startup');

  it('each of the six ministries: heading, badge, popup, statement to tick', () => {
    for (const id of SIX) {
      const v = view([id], 'https://chat.deepseek.com/');
      expect(v.level, id).toBe('block');
      const c = v.citations[0]!;
      expect(citationStance(c.level, c.rules), id).toBe('limit');
      expect(en(headingKey('block', v.citations), ['DeepSeek'])).toBe('Your organization has limited, or will limit, access to DeepSeek');
      expect(ko(headingKey('block', v.citations), ['딥시크'])).toBe('소속 기관이 딥시크 접속을 제한했거나 제한할 예정입니다');
      expect(en(citationBadgeKey(c))).toBe('Limited, or will be');
      expect(ko(citationBadgeKey(c))).toBe('제한 또는 제한 예정');
      expect(en(verdictBadgeKey(v.level, v.citations))).not.toMatch(/block/i);
      expect(en(explainKey('block', v.citations))).toMatch(/^Your organization has limited, or will limit, access to this service\./);
      expect(en(responsibilityKey(v.citations))).toMatch(/has limited, or will limit, access to this service/);
      expect(ko(responsibilityKey(v.citations))).not.toMatch(/차단/);
      expect(en(ruleBadgeKey('block', 'limited-or-will-limit'))).toBe('Limited, or will be');
    }
  });

  it('the exception list repeats the statement in the same words', () => {
    expect(grantedPastLimitOnly(bundle, 'deepseek', [{ id: 'ministry-of-unification', level: 'block' }])).toBe(true);
    expect(
      grantedPastLimitOnly(bundle, 'deepseek', [
        { id: 'ministry-of-unification', level: 'block' },
        { id: 'national-police-agency', level: 'block' },
      ]),
    ).toBe(false);
    expect(grantedPastLimitOnly(bundle, 'deepseek', [{ id: 'kakao', level: 'warn' }])).toBe(false);
  });

  it('with a ministry that confirmed the block on too, the page says blocked', () => {
    says('confirm the blocking of DeepSeek');
    const v = view(['ministry-of-unification', 'ministry-of-land-infrastructure-and-transport'], 'https://chat.deepseek.com/');
    expect(verdictStance('block', v.citations)).toBe('block');
    expect(en(headingKey('block', v.citations), ['DeepSeek'])).toBe('DeepSeek is blocked by your organization');
    // Each card keeps its own words.
    expect(v.citations.map((c) => en(citationBadgeKey(c)))).toEqual(expect.arrayContaining(['Blocked', 'Limited, or will be']));
  });

  it('the first-run note does not count them as restricting', () => {
    const ids = restrictingOrganizations(bundle, 'deepseek');
    for (const id of SIX) expect(ids, id).not.toContain(id);
    expect(ids).toContain('ministry-of-land-infrastructure-and-transport');
    expect(ids).toContain('national-police-agency');
  });
});

describe('Korean agencies: office computers, as the article says', () => {
  says('taking measures to prohibit people from accessing to the DeepSeek-made models via office computers');
  says('Australia, Japan, Taiwan and the U.S. state of Texas have banned the use of the company\'s technology on government-owned devices');

  it('the eight ministries and the police use office-devices; "government-owned devices" is for the four abroad', () => {
    for (const org of bundle.organizations) {
      const scopes = org.rules.map((r) => r.scope);
      if (org.sector === 'government') expect(scopes, org.id).not.toContain('government-devices');
      if (scopes.includes('government-devices')) expect(org.sector, org.id).toBe('foreign-government');
    }
    const v = view(['national-police-agency'], 'https://chat.deepseek.com/', 'unsaid');
    const rule = v.citations[0]!.rules[0]!;
    expect(applicabilityText(rule, '경찰청', '딥시크', ko)).toBe('업무용 PC에서 적용됩니다. 이 기기가 업무용 기기인지는 아직 정하지 않았습니다.');
    expect(applicabilityText(rule, 'Korean National Police Agency', 'DeepSeek', en)).toBe(
      "Applies on its office computers. You haven't said whether this is a work device.",
    );
  });
});

describe('a lowered decision on one’s own device: the rule is for another place', () => {
  says('Hana Financial Group restricted access to DeepSeek on its external networks starting Tuesday');

  it('every blocking organization, on "My own device": not "something short of a ban was reported"', () => {
    let lowered = 0;
    for (const org of bundle.organizations) {
      const v = view([org.id], 'https://chat.deepseek.com/', 'personal');
      if (v.level !== 'notice' || !v.citations[0]!.rules.every((r) => r.applies === 'elsewhere')) continue;
      lowered += 1;
      expect(explainKey('notice', v.citations), org.id).toBe('popupExplainElsewhere');
      expect(en(explainKey('notice', v.citations))).toMatch(/is a rule for another place/);
      expect(ko(explainKey('notice', v.citations))).toMatch(/다른 곳/);
      expect(en(explainKey('notice', v.citations))).not.toMatch(/short of a ban|under consideration/);
    }
    // The 8 ministries, the police, the financial regulators, the banks, LG U+'s network ban, Samsung/SKT/LGE.
    expect(lowered).toBeGreaterThanOrEqual(22);
  });

  it('a note that is not a rule keeps its own explanation', () => {
    says('Naver is reportedly also considering forbidding employees from using DeepSeek for company tasks but has not issued a formal notice yet.');
    const v = view(['naver'], 'https://chat.deepseek.com/', 'personal');
    expect(explainKey('notice', v.citations)).toBe('popupExplainNotice');
    const both = view(['naver', 'hana-financial-group'], 'https://chat.deepseek.com/', 'personal');
    expect(explainKey('notice', both.citations)).toBe('popupExplainNoticeMixed');
  });
});

describe('a caution is what was reported, not a request for care', () => {
  says('their company PCs block access for non-approved external programs');
  says('Italy has blocked it completely on app markets');

  it('the banner heading and the popup do not say anyone asked for care', () => {
    for (const key of ['contentBannerHeading', 'popupExplainCaution']) {
      expect(en(key), key).not.toMatch(/asks?|care/i);
      expect(ko(key), key).not.toMatch(/당부|조심/);
      expect(en(key), key).toMatch(/caution/i);
    }
    expect(en('contentBannerHeading')).toMatch(/reported/);
    expect(ko('contentBannerHeading')).toMatch(/보도된/);
  });

  it('LG U+, which did ask, says so in its own reminder', () => {
    says('LG U+ also asked that employees refrain from putting important or sensitive information in queries.');
    const lgu = bundle.organizations.find((o) => o.id === 'lg-uplus')!;
    expect(lgu.rules.find((r) => r.level === 'caution')?.reminder?.en).toMatch(/^LG U\+ asks/);
  });
});

describe('notes that are not rules never say "applies" or "policy"', () => {
  it('Naver, the EU, the UK, the PIPC and the Interior Ministry, every device answer, both languages', () => {
    for (const id of ['naver', 'european-union', 'united-kingdom', 'personal-information-protection-committee', 'ministry-of-the-interior-and-safety']) {
      for (const context of ['work', 'personal', 'unsaid'] as const) {
        for (const url of ['https://chat.deepseek.com/', 'https://chatgpt.com/']) {
          const v = view([id], url, context);
          for (const c of v.citations) {
            for (const rule of c.rules) {
              expect(ruleStance(rule.writtenLevel, rule.notice.status), id).toBe('note');
              const reminder = rule.reminder;
              for (const [t, lang] of [[en, 'en'], [ko, 'ko']] as const) {
                const service = v.service ? serviceName(v.service, lang) : '';
                const line = applicabilityText(rule, 'Org', service, t);
                expect(line, `${id} ${context} ${lang}`).not.toMatch(lang === 'en' ? /appl(y|ies)|polic/i : /적용|정책/);
                if (reminder) expect(reminder[lang], `${id} reminder`).not.toMatch(lang === 'en' ? /appl(y|ies)|polic/i : /적용|정책/);
              }
            }
          }
        }
      }
    }
    // The popup's label over the cited organizations.
    expect(en('popupCitedBy')).not.toMatch(/polic/i);
    expect(ko('popupCitedBy')).not.toMatch(/정책/);
  });

  it('the PIPC sent a formal request; it is not "monitoring"', () => {
    says('The Personal Information Protection Committee sent a formal request to DeepSeek');
    const pipc = bundle.organizations.find((o) => o.id === 'personal-information-protection-committee')!;
    expect(pipc.notices[0]!.status).toBe('inquiry');
    expect(en('statusInquiry')).toBe('Formal request sent to the service');
    expect(ko('statusInquiry')).toBe('서비스에 공식 질의');
  });
});

describe('Samsung, SK Telecom, LG Electronics: a rule that names no service', () => {
  it('on ChatGPT, own device: no "rule on ChatGPT"', () => {
    for (const id of ['samsung-electronics', 'sk-telecom', 'lg-electronics']) {
      const v = view([id], 'https://chatgpt.com/', 'personal');
      const rule = v.citations[0]!.rules[0]!;
      expect(rule.target).toBe('category');
      expect(applicabilityText(rule, 'X', 'ChatGPT', en)).not.toMatch(/ChatGPT/);
      expect(applicabilityText(rule, 'X', '챗GPT', ko)).not.toMatch(/챗GPT/);
    }
  });
});

describe('the first sentence of the warning is true for the way the page got there', () => {
  it('"before it loaded" only after a redirect rule', () => {
    expect(en(ledeKey(arrivalOf(null)))).toMatch(/^AI Policy Guard stopped this page before it loaded\./);
    for (const via of ['open-tab', 'in-page']) {
      expect(en(ledeKey(arrivalOf(via))), via).not.toMatch(/before it loaded/);
      expect(ko(ledeKey(arrivalOf(via))), via).not.toMatch(/불러오기 전에/);
    }
    expect(en(ledeKey('open-tab'))).toMatch(/already open/);
    expect(en(ledeKey('in-page'))).toMatch(/had already opened/);
    expect(arrivalOf('javascript:')).toBe('redirect');
  });

  it('the reminder after a paste or a send does not say "before"', () => {
    expect(en('contentToastHeading')).toBe('Before you paste or send anything more:');
    expect(ko('contentToastHeading')).toMatch(/더 붙여 넣거나/);
  });
});

describe('an administrator’s own organization is cited first', () => {
  it('among citations of equal strictness', () => {
    const acme = { ...bundle.organizations.find((o) => o.id === 'kb-financial-group')!, id: 'acme-admin' };
    const merged = { ...bundle, organizations: [...bundle.organizations, acme] };
    const ordered = administratorFirst(merged, new Set(['acme-admin']));
    const decision = createDecider(ordered).decideForUrl('https://chat.deepseek.com/', {
      enabledOrganizations: ['kb-financial-group', 'acme-admin'],
      allowProceedOnBlock: true,
      deviceContext: 'work',
    });
    expect(decision.citations.map((c) => c.organizationId)).toEqual(['acme-admin', 'kb-financial-group']);
    // Without it, the bundle order would put the administrator's last.
    const before = createDecider(merged).decideForUrl('https://chat.deepseek.com/', {
      enabledOrganizations: ['kb-financial-group', 'acme-admin'],
      allowProceedOnBlock: true,
      deviceContext: 'work',
    });
    expect(before.citations.map((c) => c.organizationId)).toEqual(['kb-financial-group', 'acme-admin']);
    expect(administratorFirst(bundle, new Set())).toBe(bundle);
  });

  it('popup "Reported …" lines say whose report each is', () => {
    expect(en('dataAgeFor', ['KB Financial Group and KB Kookmin Bank', 'Reported February 6, 2025, today'])).toBe(
      'KB Financial Group and KB Kookmin Bank: Reported February 6, 2025, today',
    );
  });
});

describe('lean: say it the article’s way', () => {
  it('"Servers in China" is KB’s spokesperson’s words', () => {
    says('personal data collected by the firm is stored at servers in China and therefore would be subject to Chinese regulations,” said a spokesperson for the group.');
    const deepseek = bundle.services.find((s) => s.id === 'deepseek')!;
    expect(deepseek.dataLocation?.summary.en).toBe('Servers in China, according to a KB Financial Group spokesperson');
    expect(deepseek.dataLocation?.summary.ko).toBe('중국 내 서버(KB금융그룹 대변인의 설명)');
  });

  it('Kakao’s quote is the article’s whole sentence, not a fragment without a verb', () => {
    const kakao = bundle.organizations.find((o) => o.id === 'kakao')!;
    const first = kakao.notices[0]!.quotes[0]!.text;
    expect(first).toMatch(/^Kakao, which recently signed a partnership deal with OpenAI, sent out a company-wide notice/);
    says(first);
  });

  it('Shinhan: the approval rule covers every external link; its rule here names DeepSeek only', () => {
    says('Shinhan Financial Group requires prior approval for access of any external links even on their external networks');
    const shinhan = bundle.organizations.find((o) => o.id === 'shinhan-financial-group')!;
    expect(shinhan.rules[0]!.reminder?.en).toMatch(/any external link.*DeepSeek is blocked by default/);
  });
});

describe('Korean that reads native', () => {
  it('service names as Korean media write them, on Korean pages only', () => {
    const names = Object.fromEntries(bundle.services.map((s) => [s.id, s]));
    expect(serviceName(names.deepseek!, 'ko')).toBe('딥시크');
    expect(serviceName(names.chatgpt!, 'ko')).toBe('챗GPT');
    expect(serviceName(names.wrtn!, 'ko')).toBe('뤼튼');
    expect(serviceName(names.deepseek!, 'en')).toBe('DeepSeek');
  });

  it('one register: no 해요체 in the Korean UI', () => {
    const table = JSON.parse(readFileSync('public/_locales/ko/messages.json', 'utf8')) as Record<string, { message: string }>;
    const haeyo = Object.entries(table)
      .filter(([, v]) => /(나요|가요|세요|해요|에요|예요|어요|아요)[.?!]?\s*$/.test(v.message))
      .map(([k]) => k);
    expect(haeyo).toEqual([]);
    expect(ko('deviceQuestion')).toBe('이 브라우저를 어떤 기기에서 사용합니까?');
    // "Where is this browser?" calqued as "in which device is this browser" reads oddly in Korean.
    const calqued = Object.entries(table).filter(([, v]) => /어떤 기기에 있/.test(v.message)).map(([k]) => k);
    expect(calqued).toEqual([]);
  });

  it('"its" external network stays its own', () => {
    expect(ko('devicePlaceExternalNetwork')).toBe('자체 인터넷망에서');
  });

  it('the device line and the lock are two readable parts, not two sentences run together', () => {
    expect(ko('deviceLineLocked', ['업무용 기기'])).toBe('이 브라우저: 업무용 기기(소속 기관이 정한 설정)');
    expect(en('deviceLineLocked', ['a work device'])).toBe('This browser: a work device (set by your organization)');
  });

  it('translations are marked as translated from the English report', () => {
    expect(ko('interstitialTranslationLabel')).toBe('번역(영문 기사 기준)');
    const khnp = bundle.organizations.find((o) => o.id === 'khnp')!;
    expect(khnp.notices[0]!.personalUse?.ko).toBeTruthy();
  });

  it('the aliases people type', () => {
    const aliases = (id: string) => bundle.organizations.find((o) => o.id === id)!.aliases ?? [];
    expect(aliases('korea-development-bank')).toEqual(expect.arrayContaining(['산은', '한국산업은행']));
    expect(aliases('export-import-bank-of-korea')).toContain('수은');
    expect(aliases('industrial-bank-of-korea')).toEqual(expect.arrayContaining(['기은', '중소기업은행']));
    expect(aliases('lg-uplus')).toContain('엘지유플러스');
    expect(aliases('ministry-of-foreign-affairs')).toContain('MOFA');
    expect(aliases('ministry-of-national-defense')).toContain('MND');
    expect(aliases('ministry-of-unification')).toContain('MOU');
    expect(aliases('national-police-agency')).toContain('KNPA');
  });
});

describe('descriptions do not overstate "own notice"', () => {
  says('uploaded a company-wide notice titled');
  it('the manifest description, the about text and the store listings', () => {
    for (const t of [en, ko]) expect(t('extDescription')).not.toMatch(/own notice|공지/);
    // Most organizations have no notice of their own to check.
    expect(en('dataAgeMayHaveChanged')).not.toMatch(/notice/);
    expect(ko('dataAgeMayHaveChanged')).not.toMatch(/공지/);
    expect(en('optionsAboutContext')).not.toMatch(/each with its own notice|cites the notice/);
    expect(en('optionsAboutContext')).toMatch(/limited, blocked or banned .* or said they would/);
    for (const lang of ['en', 'ko']) {
      const text = readFileSync(`store/${lang}/description.txt`, 'utf8');
      expect(text).not.toMatch(/own words|own notice|공지 그대로|모든 인용은 기사 원문 그대로|사용자 지정|사전 연결/);
      // What the log really holds.
      const storage = readFileSync(`store/${lang}/permissions/storage.txt`, 'utf8');
      expect(storage).not.toMatch(/host only|호스트만/);
      expect(storage).toMatch(lang === 'en' ? /organizations cited.*reason typed/ : /인용된 기관.*사유/);
    }
  });
});

describe('a host shared by several products is not one service’s', () => {
  it('auth.openai.com (OpenAI’s shared sign-in) never draws KHNP’s “ChatGPT is banned for work”', () => {
    says('KHNP had also prohibited employees from using ChatGPT for work-related tasks');
    const hosts = bundle.services.flatMap((s) => s.hosts.map((h) => h.host));
    expect(hosts).not.toContain('auth.openai.com');
    const v = view(['khnp'], 'https://auth.openai.com/log-in');
    expect(v.service).toBeNull();
    expect(v.citations).toEqual([]);
    // ChatGPT itself is still stopped.
    expect(view(['khnp'], 'https://chatgpt.com/').level).toBe('warn');
  });
});
