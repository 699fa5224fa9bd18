/**
 * Matching a search query against organization profiles. Pure, so it is
 * unit-tested in Node. People type "kb financial", "KB금융", "국민은행" or
 * "khnp": names are compared case-insensitively with spacing and punctuation
 * ignored, so "hydro nuclear" finds "Korea Hydro & Nuclear Power".
 */
import type { OrganizationSummary } from '../../core/verdict-view';

/**
 * NFKC folds full-width Latin (ＫＢ) and compatibility jamo; whitespace and
 * punctuation are dropped. Hangul syllables stay whole, so a Korean query
 * matches as a substring of syllables ("국민" in "KB국민은행").
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The haystacks of one organization: English name, Korean name, id, and each alias (한수원, 금감원). */
export function searchKeysOf(org: Pick<OrganizationSummary, 'id' | 'name' | 'aliases'>): string[] {
  return [searchKey(org.name.en), searchKey(org.name.ko), searchKey(org.id), ...(org.aliases ?? []).map(searchKey)].filter(
    (key) => key !== '',
  );
}

/** True when the query is empty (after folding) or found in any of the keys. */
export function matchesQuery(keys: readonly string[], query: string): boolean {
  const needle = searchKey(query);
  if (needle === '') return true;
  return keys.some((key) => key.includes(needle));
}

export interface CompositionGate {
  compositionstart(): void;
  compositionend(): void;
  /** An `input` event; `isComposing` as the event reports it. */
  input(isComposing: boolean): void;
}

/**
 * Filters only on whole text: while an IME is composing a Korean syllable
 * ("한ㅅ", "한숭" on the way to "한수원") the list is left as it is and
 * nothing announces "no match"; the filter runs when the composition ends.
 * Chromium fires the last `input` after `compositionend`, Firefox before it,
 * so both ends filter, and a filter that ran already runs again harmlessly.
 */
export function compositionGate(apply: () => void): CompositionGate {
  let composing = false;
  return {
    compositionstart() {
      composing = true;
    },
    compositionend() {
      composing = false;
      apply();
    },
    input(isComposing) {
      if (composing || isComposing) return;
      apply();
    },
  };
}
