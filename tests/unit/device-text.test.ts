/**
 * What the pages say about where a rule applies, and how old the report is,
 * with the real messages.json in both languages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEVICE_CONTEXTS, ruleOnDevice } from '../../src/core/device-context';
import { ScopeSchema } from '../../src/core/policy-schema';
import { calendarAge, formatAge, reportedText } from '../../src/shared/data-age';
import { applicabilityText, categoryText, elsewhereText } from '../../src/shared/device-text';
import { tableI18n, translate, type UiLanguage } from '../../src/shared/i18n';

const messages = (lang: UiLanguage) => {
  const api = tableI18n(JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')), lang)!;
  return (key: string, subs?: string[]) => translate(api, key, subs);
};
const en = messages('en');
const ko = messages('ko');
const IN_FORCE = { notice: { status: 'in-force' } } as const;

describe('where a rule applies, in words', () => {
  it('the issue’s example: KB’s network block on one’s own device, with a plural subject read right', () => {
    // "KB Financial Group and KB Kookmin Bank blocked access starting Monday"
    expect(elsewhereText({ ...IN_FORCE, scope: 'external-network', writtenLevel: 'block', applies: 'elsewhere' }, 'KB Financial Group and KB Kookmin Bank', 'DeepSeek', en)).toBe(
      'KB Financial Group and KB Kookmin Bank: DeepSeek is blocked on its external network; this is your own device.',
    );
    expect(elsewhereText({ ...IN_FORCE, scope: 'company-network', writtenLevel: 'block', applies: 'elsewhere' }, 'LG유플러스', '딥시크', ko)).toBe(
      'LG유플러스: 사내망에서 딥시크 사용 차단. 이 기기는 개인 기기입니다.',
    );
    // "Banks ... implemented blockades on their external networks": the bank's own, not "the internet".
    expect(elsewhereText({ ...IN_FORCE, scope: 'external-network', writtenLevel: 'block', applies: 'elsewhere' }, 'KB금융그룹·KB국민은행', '딥시크', ko)).toBe(
      'KB금융그룹·KB국민은행: 자체 인터넷망에서 딥시크 사용 차단. 이 기기는 개인 기기입니다.',
    );
  });

  it('a caution elsewhere is not called a block, and names no service', () => {
    // "their company PCs block access for non-approved external programs": no service is named.
    const text = elsewhereText({ ...IN_FORCE, scope: 'office-devices', writtenLevel: 'caution', applies: 'elsewhere' }, 'Samsung Electronics', 'ChatGPT', en);
    expect(text).toBe("Samsung Electronics's reported rule is about use on its office computers; this is your own device.");
    expect(text).not.toMatch(/block|ChatGPT/i);
    const textKo = elsewhereText({ ...IN_FORCE, scope: 'office-devices', writtenLevel: 'caution', applies: 'elsewhere' }, '삼성전자', '챗GPT', ko);
    expect(textKo).toBe('삼성전자에 관해 보도된 규칙은 업무용 PC에서의 사용에 관한 것입니다. 이 기기는 개인 기기입니다.');
  });

  it('a ministry that "either have limited or will limit access" is never said to block', () => {
    const rule = { scope: 'office-devices', writtenLevel: 'block', applies: 'elsewhere', notice: { status: 'limited-or-will-limit' } } as const;
    expect(elsewhereText(rule, 'Ministry of Unification', 'DeepSeek', en)).toBe(
      'Ministry of Unification: access to DeepSeek is limited, or will be, on its office computers; this is your own device.',
    );
    expect(elsewhereText(rule, '통일부', '딥시크', ko)).toBe('통일부: 업무용 PC에서 딥시크 접속을 제한했거나 제한할 예정. 이 기기는 개인 기기입니다.');
  });

  it('a note (considering, monitoring, an inquiry) never "applies"', () => {
    // "Naver is reportedly also considering forbidding employees from using DeepSeek for company tasks"
    const naver = { scope: 'work-tasks', writtenLevel: 'notice', applies: 'any-device', notice: { status: 'considering' } } as const;
    expect(applicabilityText(naver, 'Naver', 'DeepSeek', en)).toBe('Concerns use for work, on any device.');
    expect(applicabilityText(naver, '네이버', '딥시크', ko)).toBe('기기와 관계없이 업무 사용에 관한 내용입니다.');
    for (const status of ['considering', 'monitoring', 'inquiry'] as const) {
      for (const scope of ScopeSchema.options) {
        for (const context of DEVICE_CONTEXTS) {
          const here = ruleOnDevice(scope, 'notice', context);
          if (here === null) continue;
          const rule = { scope, writtenLevel: 'notice', applies: here.applies, notice: { status } } as const;
          expect(applicabilityText(rule, 'Org', 'DeepSeek', en), `${status} ${scope} ${context}`).not.toMatch(/appl(y|ies)|polic/i);
          expect(applicabilityText(rule, 'Org', '딥시크', ko), `${status} ${scope} ${context}`).not.toMatch(/적용|정책/);
        }
      }
    }
  });

  it('a category rule that is no ban says whether this service is covered is not known', () => {
    const samsung = { ...IN_FORCE, scope: 'office-devices', writtenLevel: 'caution', applies: 'this-device', target: 'category' } as const;
    expect(categoryText(samsung, 'ChatGPT', en)).toBe('The report names no particular service, so whether ChatGPT is covered is not known.');
    expect(categoryText(samsung, '챗GPT', ko)).toBe('보도는 특정 서비스를 명시하지 않아, 챗GPT 해당 여부는 알 수 없습니다.');
    // KHNP bans "generative AI services for work tasks": a ban of the category covers the service.
    expect(categoryText({ ...samsung, scope: 'work-tasks', writtenLevel: 'warn' }, 'ChatGPT', en)).toBeNull();
    expect(categoryText({ ...samsung, target: 'service' }, 'ChatGPT', en)).toBeNull();
  });

  for (const lang of ['en', 'ko'] as const) {
    it(`every scope × context has its own sentence, with no key left unfilled (${lang})`, () => {
      const t = lang === 'en' ? en : ko;
      for (const scope of ScopeSchema.options) {
        for (const context of DEVICE_CONTEXTS) {
          const here = ruleOnDevice(scope, 'block', context);
          if (here === null) continue;
          const text = applicabilityText({ ...IN_FORCE, scope, writtenLevel: 'block', applies: here.applies }, 'Org', 'DeepSeek', t);
          expect(text, `${scope} ${context}`).not.toMatch(/^device|\$\d|undefined/);
          expect(text.length, `${scope} ${context}`).toBeGreaterThan(10);
        }
      }
    });
  }

  it('says which kind of device each answer is about', () => {
    const line = (scope: 'company-network' | 'personal-computers' | 'work-tasks' | 'app-markets', applies: 'this-device' | 'unsaid' | 'any-device') =>
      applicabilityText({ ...IN_FORCE, scope, writtenLevel: 'block', applies }, 'Org', 'DeepSeek', en);
    expect(line('company-network', 'this-device')).toBe('Applies on this device: it is a work device.');
    expect(line('personal-computers', 'this-device')).toBe('Applies on this device: it is your own device.');
    expect(line('company-network', 'unsaid')).toBe("Applies on its company network. You haven't said whether this is a work device.");
    expect(line('personal-computers', 'unsaid')).toBe("Applies on personal computers. You haven't said whether this is your own device.");
    expect(line('work-tasks', 'any-device')).toBe('Applies to work on any device.');
    expect(line('app-markets', 'any-device')).toBe('Does not depend on the device.');
  });
});

describe('age of the data', () => {
  const at = (iso: string) => new Date(`${iso}T09:00:00Z`);

  it('counts whole years, months and days between calendar days', () => {
    expect(calendarAge('2025-02-06', at('2026-11-30'))).toEqual({ years: 1, months: 9, days: 24 });
    expect(calendarAge('2025-02-06', at('2026-02-06'))).toEqual({ years: 1, months: 0, days: 0 });
    expect(calendarAge('2025-02-06', at('2026-02-05'))).toEqual({ years: 0, months: 11, days: 30 });
    // A month on from the 31st is the last day of a shorter month.
    expect(calendarAge('2025-01-31', at('2025-02-28'))).toEqual({ years: 0, months: 1, days: 0 });
    expect(calendarAge('2025-01-31', at('2025-03-01'))).toEqual({ years: 0, months: 1, days: 1 });
    // A clock set before the report: age zero, not a negative span.
    expect(calendarAge('2025-02-06', at('2024-12-01'))).toEqual({ years: 0, months: 0, days: 0 });
    expect(calendarAge('6 Feb 2025', at('2026-01-01'))).toBeNull();
  });

  it('formats the span with Intl in both languages', () => {
    expect(formatAge({ years: 1, months: 9, days: 3 }, 'en')).toBe('1 year, 9 months');
    expect(formatAge({ years: 1, months: 9, days: 3 }, 'ko')).toBe('1년 9개월');
    expect(formatAge({ years: 2, months: 0, days: 3 }, 'en')).toBe('2 years');
    expect(formatAge({ years: 0, months: 0, days: 12 }, 'en')).toBe('12 days');
    expect(formatAge({ years: 0, months: 0, days: 0 }, 'en')).toBeNull();
  });

  it('"Reported <day>, <span> ago", computed from the clock it is given', () => {
    expect(reportedText('2025-02-06', at('2026-11-30'), 'en', en)).toBe('Reported February 6, 2025, 1 year, 9 months ago');
    expect(reportedText('2025-02-06', at('2026-11-30'), 'ko', ko)).toBe('2025년 2월 6일 보도, 1년 9개월 전');
    expect(reportedText('2025-02-06', at('2027-03-10'), 'en', en)).toBe('Reported February 6, 2025, 2 years, 1 month ago');
    expect(reportedText('2025-02-06', at('2025-02-06'), 'en', en)).toBe('Reported February 6, 2025, today');
    // An organization's own notice carries its own date.
    expect(reportedText('2026-11-02', at('2026-11-30'), 'en', en)).toBe('Reported November 2, 2026, 28 days ago');
  });
});
