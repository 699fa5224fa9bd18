/**
 * Catalog host → service lookup. Every navigation event asks it, so its cost
 * must grow with the number of labels in the host (a handful), never with the
 * size of the catalog: each label suffix of the host is at most one Map lookup.
 */
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

// Suffix hashes are FNV-1a over the characters taken right to left, so one pass over
// a host yields the hash of every label suffix (`com`, `deepseek.com`, …) without
// cutting substrings. The murmur3 finalizer spreads them before picking filter bits.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const DOT = 0x2e;
const BITS_PER_ENTRY = 8; // rounded up to a power of two: about 3% false positives with two bits
const MAX_CANDIDATES = 128; // label suffixes remembered per lookup; deeper hosts take the plain walk

function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const secondBit = (h: number): number => (h >>> 11) ^ Math.imul(h, 0x9e3779b1);

function suffixHash(host: string): number {
  let h = FNV_OFFSET;
  for (let i = host.length - 1; i >= 0; i -= 1) h = Math.imul(h ^ host.charCodeAt(i), FNV_PRIME);
  return finalize(h);
}

export class HostIndex {
  private readonly slots = new Map<string, HostSlot>();
  private entryCount = 0;
  /**
   * A Bloom filter over the catalog hosts. Most hosts people visit are in no
   * catalog, and a Map probe that misses costs more as the Map outgrows the CPU
   * caches (3× at 100,000 hosts, see bench/). The filter stays small enough to
   * stay cached and answers "certainly not here" for almost every such suffix.
   */
  private readonly filter: Uint32Array;
  private readonly filterMask: number;
  /** Reused scratch space: lookups run one at a time and must not allocate. */
  private readonly candidates = new Int32Array(MAX_CANDIDATES);

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
    let bits = 256;
    while (bits < this.slots.size * BITS_PER_ENTRY) bits *= 2;
    this.filter = new Uint32Array(bits >>> 5);
    this.filterMask = bits - 1;
    for (const host of this.slots.keys()) {
      const h = suffixHash(host);
      this.setBit(h & this.filterMask);
      this.setBit(secondBit(h) & this.filterMask);
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
   * Considers `a.b.deepseek.com`, `b.deepseek.com`, `deepseek.com`, `com`, most
   * specific first. Suffixes are cut at dots only, so `notdeepseek.com` never
   * reaches `deepseek.com` and `deepseek.com.evil.example` never has it as a
   * suffix. An `exact` entry counts only while the suffix is the whole host, so
   * `gemini.google.com` covers neither `x.gemini.google.com` nor `google.com`.
   */
  lookup(host: string): HostMatchResult | null {
    if (typeof host !== 'string' || host.length === 0) return null;
    const { filter, filterMask: mask, candidates } = this;
    let count = 0;
    let h = FNV_OFFSET;
    for (let i = host.length - 1; i >= 0; i -= 1) {
      h = Math.imul(h ^ host.charCodeAt(i), FNV_PRIME);
      if (i !== 0 && host.charCodeAt(i - 1) !== DOT) continue;
      // host.slice(i) is a label suffix; keep it only if the filter says it may be in the catalog.
      const f = finalize(h);
      const b1 = f & mask;
      const b2 = secondBit(f) & mask;
      if ((filter[b1 >>> 5]! & (1 << (b1 & 31))) === 0 || (filter[b2 >>> 5]! & (1 << (b2 & 31))) === 0) continue;
      if (count === MAX_CANDIDATES) return this.walk(host);
      candidates[count++] = i;
    }
    // Found least specific first (right to left), so check them in reverse.
    for (let c = count - 1; c >= 0; c -= 1) {
      const start = candidates[c]!;
      const found = this.entryAt(host, start);
      if (found !== null) return found;
    }
    return null;
  }

  /** The unfiltered walk over every label suffix; only for hosts with absurdly many labels. */
  private walk(host: string): HostMatchResult | null {
    for (let start = 0; start < host.length; ) {
      const found = this.entryAt(host, start);
      if (found !== null) return found;
      const dot = host.indexOf('.', start);
      if (dot < 0) return null;
      start = dot + 1;
    }
    return null;
  }

  private entryAt(host: string, start: number): HostMatchResult | null {
    const slot = this.slots.get(start === 0 ? host : host.slice(start));
    if (slot === undefined) return null;
    // At the whole host an exact entry is the more deliberate statement, so it goes first.
    if (start === 0 && slot.exact !== undefined) return slot.exact;
    return slot.domain ?? null;
  }

  private setBit(bit: number): void {
    this.filter[bit >>> 5]! |= 1 << (bit & 31);
  }
}
