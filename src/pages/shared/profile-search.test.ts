import { describe, expect, it } from 'vitest';
import { matchesQuery, searchKey, searchKeysOf } from './profile-search';

const khnp = searchKeysOf({ id: 'khnp', name: { en: 'Korea Hydro & Nuclear Power', ko: '한국수력원자력' } });
const kb = searchKeysOf({ id: 'kb-kookmin-bank', name: { en: 'KB Kookmin Bank', ko: 'KB국민은행' } });

describe('profile search', () => {
  it('matches every organization for an empty or blank query', () => {
    expect(matchesQuery(khnp, '')).toBe(true);
    expect(matchesQuery(khnp, '   ')).toBe(true);
  });

  it('matches English names case-insensitively, ignoring spacing and punctuation', () => {
    expect(matchesQuery(khnp, 'HYDRO')).toBe(true);
    expect(matchesQuery(khnp, 'hydro nuclear')).toBe(true);
    expect(matchesQuery(khnp, 'hydro & nuclear')).toBe(true);
    expect(matchesQuery(kb, 'kb kookmin')).toBe(true);
    expect(matchesQuery(kb, 'hydro')).toBe(false);
  });

  it('matches Korean substrings, with or without spaces', () => {
    expect(matchesQuery(khnp, '수력')).toBe(true);
    expect(matchesQuery(kb, '국민')).toBe(true);
    expect(matchesQuery(kb, 'KB 국민')).toBe(true);
    expect(matchesQuery(kb, 'kb국민은행')).toBe(true);
    expect(matchesQuery(kb, '신한')).toBe(false);
  });

  it('matches the id', () => {
    expect(matchesQuery(khnp, 'khnp')).toBe(true);
    expect(matchesQuery(kb, 'kb-kookmin')).toBe(true);
  });

  it('folds full-width Latin letters', () => {
    expect(searchKey('ＫＢ')).toBe('kb');
    expect(matchesQuery(kb, 'ＫＢ국민')).toBe(true);
  });

  it('treats regex and markup characters as plain text', () => {
    expect(matchesQuery(kb, '.*')).toBe(true); // only punctuation: folds to empty
    expect(matchesQuery(kb, '<b>kb</b>')).toBe(false);
  });
});
