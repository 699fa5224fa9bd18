/**
 * Bounds every managed value before anything else touches it. Pure, zod-free.
 *
 * What `storage.managed` hands over is whatever the policy file says. The
 * background compares it with the last policy seen (JSON.stringify), keeps a
 * copy in storage.local, and reads it with zod: a value nested thousands of
 * levels deep made the first of these throw, and the state failed to load;
 * a huge one would not fit beside everything else in storage.local. So each
 * value is measured first, without recursion (src/core/json-size.ts), and one
 * past its limit is replaced by a small marker saying why. The reader
 * (managed-policy.ts) reports the marker as `key: … (ignored)`, and reads a
 * restricting switch so marked as its stricter choice, like any wrong value.
 */
import { measureJson, overLimitText } from '../core/json-size';
import { MANAGED_LIMITS } from '../core/policy-limits';

/** The key of the marker that stands in for a value past its limit. */
export const OVER_LIMIT_MARKER = '$overLimit';

export interface OverLimit {
  [OVER_LIMIT_MARKER]: string;
}

/** Why `value` was set aside (`larger than … bytes`, `nested deeper than … levels`), or null. */
export function overLimitOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== OVER_LIMIT_MARKER) return null;
  const why = (value as Record<string, unknown>)[OVER_LIMIT_MARKER];
  return typeof why === 'string' ? why : null;
}

/** One managed value, or the marker that stands in for it when it passes its limit. */
export function boundManagedValue(key: string, value: unknown): unknown {
  const maxBytes = key === 'organizations' ? MANAGED_LIMITS.organizationsBytes : MANAGED_LIMITS.valueBytes;
  const size = measureJson(value, { maxBytes, maxDepth: MANAGED_LIMITS.depth });
  return size.ok ? value : ({ [OVER_LIMIT_MARKER]: overLimitText(size) } satisfies OverLimit);
}

/** Every value of a managed answer, bounded (a new object; values within their limits are the same values). */
export function boundManagedValues(values: Record<string, unknown>): Record<string, unknown> {
  const bounded: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    // Own data properties only, defined rather than assigned: "__proto__" stays a key like any other.
    Object.defineProperty(bounded, key, { value: boundManagedValue(key, values[key]), enumerable: true, writable: true, configurable: true });
  }
  return bounded;
}
