import { describe, expect, it } from 'vitest';
import type { CitationView, VerdictView } from '../core/verdict-view';
import { reminderLines } from './reminders';

const citation = (id: string, reminders: (string | null)[]): CitationView =>
  ({
    organization: { id, name: { en: `${id} (en)`, ko: `${id} (ko)` }, sector: 'company', country: 'KR' },
    level: 'caution',
    rules: reminders.map((r) => ({ level: 'caution', scope: 'work-tasks', reminder: r ? { en: `${r} (en)`, ko: `${r} (ko)` } : null })),
  }) as unknown as CitationView;

const verdict = (citations: CitationView[]): VerdictView => ({
  level: 'caution',
  href: 'https://chatgpt.com/',
  host: 'chatgpt.com',
  service: null,
  citations,
  proceedAllowed: false,
});

describe('reminderLines', () => {
  it('gives one line per organization, in the UI language', () => {
    expect(reminderLines(verdict([citation('a', ['x']), citation('b', ['y'])]), 'ko', 'F')).toEqual([
      { organization: 'a (ko)', text: ' — x (ko)' },
      { organization: 'b (ko)', text: ' — y (ko)' },
    ]);
  });

  it('gives each distinct reminder its own line and drops repeats', () => {
    expect(reminderLines(verdict([citation('a', ['x', 'y', 'x'])]), 'en', 'F')).toEqual([
      { organization: 'a (en)', text: ' — x (en)' },
      { organization: 'a (en)', text: ' — y (en)' },
    ]);
  });

  it('falls back when no matched rule carries a reminder', () => {
    expect(reminderLines(verdict([citation('a', [null])]), 'en', 'F')).toEqual([{ organization: 'a (en)', text: ' — F' }]);
  });

  it('continues from the name when the reminder opens with it', () => {
    const c = citation('a', [null]);
    (c.rules[0] as { reminder: unknown }).reminder = { en: 'a (en) uses its own models.', ko: 'a (ko)는 자체 모델을 씁니다.' };
    expect(reminderLines(verdict([c]), 'ko', 'F')).toEqual([{ organization: 'a (ko)', text: '는 자체 모델을 씁니다.' }]);
  });

  it('is empty when nothing applies', () => {
    expect(reminderLines(verdict([]), 'en', 'F')).toEqual([]);
  });
});

describe('reminderLines on one’s own device', () => {
  it('says where a network ban applies instead of its reminder, and keeps the caution that applies here', () => {
    const c = {
      organization: { id: 'lg-uplus', name: { en: 'LG U+', ko: 'LG유플러스' }, sector: 'company', country: 'KR' },
      level: 'caution',
      rules: [
        { level: 'caution', writtenLevel: 'caution', applies: 'this-device', scope: 'personal-computers', reminder: { en: 'LG U+ asks staff to wait.', ko: 'LG유플러스는 기다려 달라고 합니다.' } },
        { level: 'notice', writtenLevel: 'block', applies: 'elsewhere', scope: 'company-network', notice: { status: 'in-force' }, reminder: { en: 'Banned here.', ko: '금지.' } },
      ],
    } as unknown as CitationView;
    const t = (key: string, subs: string[] = []) => `${key}(${subs.join('|')})`;
    const v = { ...verdict([c]), service: { id: 'deepseek', name: 'DeepSeek', nameKo: '딥시크', vendor: 'DeepSeek' } } as VerdictView;
    // One line each, so the name is never repeated in the middle of a line.
    expect(reminderLines(v, 'en', 'F', t)).toEqual([
      { organization: 'LG U+', text: ' asks staff to wait.' },
      { organization: 'LG U+', text: ' — deviceElsewhereBlock(LG U+|DeepSeek|devicePlaceCompanyNetwork())' },
    ]);
    // A Korean page names the service as Korean media do.
    expect(reminderLines(v, 'ko', 'F', t)[1]?.text).toContain('딥시크');
  });
});

describe('reminderLines with "The <name>"', () => {
  it('continues from the bold name after "The", so no line repeats the name', () => {
    const c = citation('Ministry of X', [null]);
    (c.rules[0] as { reminder: unknown }).reminder = { en: 'The Ministry of X (en) issued a guideline.', ko: 'Ministry of X (ko)는 지침을 냈습니다.' };
    expect(reminderLines(verdict([c]), 'en', 'F')).toEqual([{ organization: 'Ministry of X (en)', text: ' issued a guideline.' }]);
  });
});
