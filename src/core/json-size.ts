/**
 * How large and how deep a JSON value is, measured without recursion and
 * without serializing it. Pure.
 *
 * A managed policy is whatever an administrator (or a broken tool) wrote:
 * JSON.stringify, structured clone and zod all recurse, and a value nested
 * some thousands of levels deep made JSON.stringify throw and the whole state
 * fail to load. This walk keeps its own stack, stops at the first limit
 * passed, and so is bounded by the limits, not by the value.
 */

export interface JsonLimits {
  maxBytes: number;
  maxDepth: number;
}

export type JsonMeasure =
  | { ok: true; bytes: number; depth: number }
  | { ok: false; over: 'bytes' | 'depth'; limit: number };

/** UTF-8 length of `text` as JSON writes it (quotes and escapes included). */
function stringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x20) bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c < 0xd800 || c > 0xdfff) bytes += 3;
    else if (c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair is one 4-byte character.
      bytes += 4;
      i += 1;
    } else bytes += 6; // a lone surrogate is written as \uXXXX
  }
  return bytes;
}

/** The UTF-8 length of a string as JSON writes it, without its quotes: what Chrome counts against its storage quota. */
export function utf8Bytes(text: string): number {
  return stringBytes(text) - 2;
}

/**
 * The serialized size (UTF-8 bytes of what JSON.stringify would write) and
 * the nesting depth of `value`, or which limit it passes first. Objects and
 * arrays count one level each; a scalar at the top is depth 0. Values JSON
 * has no form for (functions, undefined) count as `null`.
 */
export function measureJson(value: unknown, limits: JsonLimits): JsonMeasure {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let bytes = 0;
  let deepest = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'string') bytes += stringBytes(v);
    else if (typeof v === 'number') bytes += Number.isFinite(v) ? String(v).length : 4;
    else if (typeof v === 'boolean') bytes += v ? 4 : 5;
    else if (v === null || typeof v !== 'object') bytes += 4;
    else {
      const depth = item.depth + 1;
      if (depth > limits.maxDepth) return { ok: false, over: 'depth', limit: limits.maxDepth };
      if (depth > deepest) deepest = depth;
      bytes += 2;
      if (Array.isArray(v)) {
        bytes += Math.max(0, v.length - 1);
        // Checked before the items are stacked: a huge array must not fill the stack first.
        if (bytes + v.length > limits.maxBytes) return { ok: false, over: 'bytes', limit: limits.maxBytes };
        for (let i = v.length - 1; i >= 0; i -= 1) stack.push({ value: v[i], depth });
      } else {
        const keys = Object.keys(v);
        bytes += Math.max(0, keys.length - 1);
        for (const key of keys) {
          bytes += stringBytes(key) + 1;
          if (bytes > limits.maxBytes) return { ok: false, over: 'bytes', limit: limits.maxBytes };
          stack.push({ value: (v as Record<string, unknown>)[key], depth });
        }
      }
    }
    if (bytes > limits.maxBytes) return { ok: false, over: 'bytes', limit: limits.maxBytes };
  }
  return { ok: true, bytes, depth: deepest };
}

/** `field: …` for a value past a limit, in the words the options page shows. */
export function overLimitText(measure: Extract<JsonMeasure, { ok: false }>): string {
  return measure.over === 'depth'
    ? `nested deeper than ${measure.limit} levels`
    : `larger than ${measure.limit.toLocaleString('en-US')} bytes`;
}
