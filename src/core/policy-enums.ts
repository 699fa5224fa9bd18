/**
 * The policy model's enumerations as plain constants, so pages can use them
 * without bundling zod; policy-schema.ts builds its enums from these.
 */
export const SECTORS = ['company', 'financial', 'government', 'foreign-government'] as const;

/** Ordered from least to most strict; the index is the strictness. */
export const LEVELS = ['notice', 'caution', 'warn', 'block'] as const;

export type Level = (typeof LEVELS)[number];

/** The levels that stop a service: the interstitial, the redirect rules, proceed exceptions. */
export function isStoppingLevel(level: unknown): level is 'warn' | 'block' {
  return level === 'warn' || level === 'block';
}

/** The strictness of a level: its place in LEVELS. */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}
