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

  it('joins distinct reminders and drops repeats', () => {
    expect(reminderLines(verdict([citation('a', ['x', 'y', 'x'])]), 'en', 'F')).toEqual([
      { organization: 'a (en)', text: ' — x (en) y (en)' },
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
