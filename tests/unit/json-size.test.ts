/**
 * measureJson: the size JSON.stringify would write (UTF-8 bytes, as Chrome
 * counts its storage quota) and the nesting depth, found without recursion,
 * and stopping at the first limit whatever the value.
 */
import { describe, expect, it } from 'vitest';
import { measureJson, overLimitText, utf8Bytes } from '../../src/core/json-size';

const LOOSE = { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: 1_000_000 };

/** An array nested `levels` deep, built without recursion. */
function nestedArrays(levels: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
}

function nestedObjects(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
}

describe('measureJson', () => {
  const samples: unknown[] = [
    null,
    true,
    false,
    0,
    -12.5,
    1e21,
    '',
    'plain',
    'quote " and backslash \\ and newline \n and tab \t and \u0001',
    '한수원은 업무에 생성형 AI 사용을 금지합니다.',
    'emoji 🚫 and a lone surrogate \ud800 end',
    [],
    {},
    [1, 'two', { three: [3, null, false] }],
    { kind: 'ai-policy-guard/custom-organizations', version: 1, 'ключ': ['значение'], '"quoted"': { nested: [[[]]] } },
  ];

  it('counts exactly the UTF-8 bytes JSON.stringify writes', () => {
    for (const value of samples) {
      const measured = measureJson(value, LOOSE);
      expect(measured, JSON.stringify(value)).toMatchObject({ ok: true, bytes: Buffer.byteLength(JSON.stringify(value)) });
    }
    expect(utf8Bytes('한')).toBe(3);
    expect(utf8Bytes('🚫')).toBe(4);
  });

  it('reports the depth: one level per array or object', () => {
    expect(measureJson('x', LOOSE)).toMatchObject({ depth: 0 });
    expect(measureJson([], LOOSE)).toMatchObject({ depth: 1 });
    expect(measureJson({ a: [{ b: [] }] }, LOOSE)).toMatchObject({ depth: 4 });
    expect(measureJson(nestedArrays(32), { maxBytes: 1_000, maxDepth: 32 })).toMatchObject({ ok: true, depth: 32 });
    expect(measureJson(nestedArrays(33), { maxBytes: 1_000, maxDepth: 32 })).toEqual({ ok: false, over: 'depth', limit: 32 });
  });

  it('stops on values nested far past what JSON.stringify survives, without throwing', () => {
    for (const deep of [nestedArrays(200_000), nestedObjects(200_000)]) {
      // What the background did with such a value before: it threw, and the state failed to load.
      expect(() => JSON.stringify(deep)).toThrow(RangeError);
      expect(measureJson(deep, { maxBytes: 3_000_000, maxDepth: 32 })).toEqual({ ok: false, over: 'depth', limit: 32 });
    }
  });

  it('stops at the byte limit, before walking the rest of a huge value', () => {
    const huge = Array.from({ length: 2_000_000 }, () => 'x');
    const started = performance.now();
    expect(measureJson(huge, { maxBytes: 1_000_000, maxDepth: 32 })).toEqual({ ok: false, over: 'bytes', limit: 1_000_000 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(measureJson('y'.repeat(1_000), { maxBytes: 1_001, maxDepth: 1 })).toEqual({ ok: false, over: 'bytes', limit: 1_001 });
    expect(measureJson('y'.repeat(999), { maxBytes: 1_001, maxDepth: 1 })).toMatchObject({ ok: true, bytes: 1_001 });
  });

  it('says which limit, with the limit, in words', () => {
    expect(overLimitText({ ok: false, over: 'bytes', limit: 3_000_000 })).toBe('larger than 3,000,000 bytes');
    expect(overLimitText({ ok: false, over: 'depth', limit: 32 })).toBe('nested deeper than 32 levels');
  });
});
