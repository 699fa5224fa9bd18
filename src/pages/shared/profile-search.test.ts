import { describe, expect, it } from 'vitest';
import { compositionGate, matchesQuery, searchKey, searchKeysOf } from './profile-search';
import { loadPolicyBundle } from '../../../scripts/load-policies';

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

describe('filtering while a Korean syllable is being composed', () => {
  it('does not filter on 한ㅅ or 한숭, only when the composition ends', () => {
    const runs: string[] = [];
    let value = '';
    const gate = compositionGate(() => runs.push(value));
    gate.compositionstart();
    for (const partial of ['한', '한ㅅ', '한수', '한숭']) {
      value = partial;
      gate.input(true);
    }
    expect(runs).toEqual([]);
    value = '한수원';
    gate.compositionend();
    gate.input(false); // Chromium's last input comes after compositionend
    expect(runs).toEqual(['한수원', '한수원']);
  });

  it('an input event the browser does not flag as composing still waits for compositionend', () => {
    const runs: number[] = [];
    const gate = compositionGate(() => runs.push(1));
    gate.compositionstart();
    gate.input(false); // Firefox may send the last input before compositionend, unflagged
    expect(runs).toEqual([]);
    gate.compositionend();
    expect(runs).toEqual([1]);
  });

  it('plain typing (no IME) filters on every input', () => {
    const runs: number[] = [];
    const gate = compositionGate(() => runs.push(1));
    gate.input(false);
    gate.input(false);
    expect(runs).toEqual([1, 1]);
  });

  it('the new aliases are found (산은, 수은, 기은, 한국산업은행, 중소기업은행, 엘지유플러스, MOFA, MND, MOU, KNPA)', () => {
    const bundle = loadPolicyBundle();
    const find = (query: string) => bundle.organizations.filter((o) => matchesQuery(searchKeysOf(o), query)).map((o) => o.id);
    expect(find('산은')).toContain('korea-development-bank');
    expect(find('한국산업은행')).toEqual(['korea-development-bank']);
    expect(find('수은')).toContain('export-import-bank-of-korea');
    expect(find('기은')).toContain('industrial-bank-of-korea');
    expect(find('중소기업은행')).toEqual(['industrial-bank-of-korea']);
    expect(find('엘지유플러스')).toEqual(['lg-uplus']);
    expect(find('mofa')).toEqual(['ministry-of-foreign-affairs']);
    expect(find('MND')).toContain('ministry-of-national-defense');
    expect(find('MOU')).toContain('ministry-of-unification');
    expect(find('KNPA')).toEqual(['national-police-agency']);
  });
});
