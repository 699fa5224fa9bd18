/**
 * Wording of _locales read as an employee would read it: each test pins a
 * meaning error found in review (mostly Korean, the same checked in English).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const load = (lang: string) =>
  JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')) as Record<string, { message: string }>;
const en = load('en');
const ko = load('ko');
const m = (messages: Record<string, { message: string }>, key: string): string => {
  const entry = messages[key];
  if (!entry) throw new Error(`no message ${key}`);
  return entry.message;
};

describe('_locales/ko wording', () => {
  it('says the proceed permission ends with the browser, and the log keeps its records', () => {
    const text = m(ko, 'optionsPrivacyStorage');
    expect(text).toContain('허용한 상태는 브라우저를 닫으면 해제');
    expect(text).toContain('활동 기록에 남은 기록은 그대로 유지');
    expect(text).not.toMatch(/기록은 브라우저를 닫으면 사라/);
    expect(m(en, 'optionsPrivacyStorage')).toMatch(/Permission to proceed past a warning is forgotten when the browser closes; the activity log keeps its entries\./);
  });

  it('does not call "announced" a block that has not started', () => {
    expect(m(ko, 'statusAnnounced')).toBe('발표됨');
  });

  it('does not say the organization issued a notice where the note may cite news alone (Naver, PIPC, UK, EU)', () => {
    expect(m(ko, 'contentNoteHeading')).not.toMatch(/공지/);
    expect(m(en, 'contentNoteHeading')).not.toMatch(/notice/i);
    expect(m(ko, 'contentNoteHeading')).toMatch(/보도/);
  });

  it('uses 기관, never 조직, for the organization', () => {
    const mixed = Object.entries(ko).filter(([, v]) => v.message.includes('조직')).map(([k]) => k);
    expect(mixed).toEqual([]);
    expect(Object.values(ko).filter((v) => v.message.includes('기관')).length).toBeGreaterThan(50);
  });

  it('does not repeat 주의 in the caution banner heading', () => {
    expect(m(ko, 'contentBannerHeading').match(/주의/g)).toHaveLength(1);
  });

  it('heads the citation cards as reports, not notices', () => {
    expect(m(ko, 'interstitialCitationsHeading')).not.toMatch(/공지/);
    expect(m(ko, 'interstitialCitationsHeading')).toMatch(/보도/);
    expect(m(en, 'interstitialCitationsHeading')).not.toMatch(/announced/i);
    expect(m(en, 'interstitialCitationsHeading')).toMatch(/reported/);
  });

  it('has AI Policy Guard, not the organization, stop the pages in the popup explanations', () => {
    for (const key of ['popupExplainBlock', 'popupExplainWarn']) {
      expect(m(ko, key), key).toMatch(/AI 정책 가드가 페이지를 불러오기 전에 멈추/);
      expect(m(ko, key), key).not.toMatch(/접속을 막습니다/);
      expect(m(en, key), key).toMatch(/AI Policy Guard stops its pages before they load/);
    }
  });

  it('gives the lede one subject per sentence, and claims no announcement', () => {
    const [first, second] = m(ko, 'interstitialLede').split(/(?<=다\.) /);
    expect(first).toBe('AI 정책 가드가 이 페이지를 불러오기 전에 중단했습니다.');
    expect(second).toMatch(/보도된 내용/);
    expect(m(ko, 'interstitialLede')).not.toMatch(/페이지가 열리기/);
    expect(m(en, 'interstitialLede')).not.toMatch(/announced/i);
  });

  it('names networks as Korean staff do: 사내망, 인터넷망', () => {
    expect(m(ko, 'scopeCompanyNetwork')).toContain('사내망');
    expect(m(ko, 'scopeExternalNetwork')).toContain('인터넷망');
    expect(m(ko, 'scopeCompanyNetwork')).not.toContain('네트워크');
  });

  it('labels the context apart from the organization in both languages', () => {
    expect(m(en, 'interstitialContextLabel')).toMatch(/not the organization’s own words or reasons/);
    expect(m(ko, 'interstitialContextLabel')).toMatch(/해당 기관의 발표나 사유가 아님/);
  });
});

describe('_locales: no claim of a notice or announcement the article does not report', () => {
  it('welcome lede speaks of what was reported', () => {
    expect(m(en, 'optionsWelcomeLede')).not.toMatch(/announced/i);
    expect(m(ko, 'optionsWelcomeLede')).not.toMatch(/발표한 내용/);
  });

  it('the popup note level covers a guideline that names no service, not only "considering or monitoring"', () => {
    // The Ministry of the Interior and Safety's guideline is at notice level, in force, naming no service.
    expect(m(en, 'popupExplainNotice')).toMatch(/guideline that names no service/);
    expect(m(ko, 'popupExplainNotice')).toMatch(/특정 서비스를 명시하지 않은 지침/);
  });

  it('keeps one polite register (-십시오) for requests in Korean', () => {
    const casual = Object.entries(ko).filter(([, v]) => /하세요|주세요/.test(v.message)).map(([k]) => k);
    expect(casual).toEqual([]);
  });
});
