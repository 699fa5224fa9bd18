/** The policy bundle, validated at build time by scripts/vite-plugin-policies.ts. */
import raw from 'virtual:policy-bundle';
import type { PolicyBundle } from '../core/policy-schema';

export const bundle = raw as PolicyBundle;
