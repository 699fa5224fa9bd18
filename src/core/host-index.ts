/**
 * Catalog host → service lookup. Every navigation event asks it, so its cost
 * must grow with the number of labels in the host (a handful), never with the
 * size of the catalog: each label suffix of the host is one Map lookup.
 */
import { getDomain } from 'tldts';
import type { HostMatch, Service } from './policy-schema';

export interface HostMatchResult {
  serviceId: string;
  /** The catalog entry that matched (`deepseek.com`, `gemini.google.com`). */
  host: string;
  match: HostMatch;
}

/** At most one entry of each kind per catalog host; the compiler rejects duplicates, this tolerates them. */
interface HostSlot {
  exact?: HostMatchResult;
  domain?: HostMatchResult;
}

export class HostIndex {
  private readonly slots = new Map<string, HostSlot>();
  private entryCount = 0;

  constructor(services: readonly Pick<Service, 'id' | 'hosts'>[]) {
    for (const service of services) {
      for (const { host, match } of service.hosts) {
        const slot = this.slots.get(host) ?? {};
        // First one wins, as in catalog order, so a duplicate cannot silently re-assign a host.
        if (slot[match] === undefined) {
          slot[match] = { serviceId: service.id, host, match };
          this.entryCount += 1;
        }
        this.slots.set(host, slot);
      }
    }
  }

  /** Number of catalog entries indexed. */
  get size(): number {
    return this.entryCount;
  }

  /**
   * The most specific catalog entry covering `host` (already normalized by
   * `normalizeUrl`: lower-case ASCII, no trailing dot), or null.
   *
   * Walks `a.b.deepseek.com`, `b.deepseek.com`, `deepseek.com`, `com`. Suffixes
   * are cut at dots only, so `notdeepseek.com` never reaches `deepseek.com` and
   * `deepseek.com.evil.example` never has `deepseek.com` as a suffix. An `exact`
   * entry counts only while the suffix is still the whole host, so
   * `gemini.google.com` covers neither `x.gemini.google.com` nor `google.com`.
   */
  lookup(host: string): HostMatchResult | null {
    if (typeof host !== 'string' || host.length === 0) return null;
    let suffix = host;
    for (;;) {
      const slot = this.slots.get(suffix);
      if (slot !== undefined) {
        // At the whole host an exact entry is the more deliberate statement, so it goes first.
        if (suffix === host && slot.exact !== undefined) return slot.exact;
        if (slot.domain !== undefined) return slot.domain;
      }
      const dot = suffix.indexOf('.');
      if (dot < 0) return null;
      suffix = suffix.slice(dot + 1);
    }
  }
}

/**
 * The registrable domain ("site") of a host, for display and grouping
 * (`chat.deepseek.com` → `deepseek.com`); null for IP addresses and bare suffixes.
 * Private suffixes are off so `foo.github.io` shows as `github.io`, the name a
 * person recognizes; the compiler applies the stricter private-suffix check.
 */
export function registrableDomain(host: string): string | null {
  try {
    return getDomain(host, { allowPrivateDomains: false });
  } catch {
    return null;
  }
}
