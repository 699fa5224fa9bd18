import { describe, expect, it } from 'vitest';
import { siteWorkerHosts, siteWorkerOrigins } from '../../src/core/site-workers';
import { loadPolicyBundle } from '../../scripts/load-policies';

const services = [
  {
    id: 'deepseek',
    hosts: [{ host: 'deepseek.com', match: 'domain' as const, source: "https://chat.deepseek.com — DeepSeek's official web chat" }],
  },
  {
    id: 'gemini',
    hosts: [
      { host: 'gemini.google.com', match: 'exact' as const, source: 'https://gemini.google.com — the web app' },
      { host: 'bard.google.com', match: 'exact' as const, source: 'https://bard.google.com — its former name' },
    ],
  },
  {
    id: 'odd',
    // A source naming another site, or no address at all, adds nothing.
    hosts: [
      { host: 'odd.example', match: 'domain' as const, source: 'https://elsewhere.example/odd — a review' },
      { host: 'odd2.example', match: 'domain' as const, source: 'seen in the app store listing' },
    ],
  },
];

describe('siteWorkerHosts', () => {
  it('names every host of the stopped services, a domain host with www. and the subdomain its source names', () => {
    expect(siteWorkerHosts(services, new Set(['deepseek', 'gemini']))).toEqual([
      'bard.google.com',
      'chat.deepseek.com',
      'deepseek.com',
      'gemini.google.com',
      'www.deepseek.com',
    ]);
  });
  it('never names a host outside the service', () => {
    expect(siteWorkerHosts(services, new Set(['odd']))).toEqual(['odd.example', 'odd2.example', 'www.odd.example', 'www.odd2.example']);
  });
  it('names nothing when nothing is stopped', () => {
    expect(siteWorkerHosts(services, new Set())).toEqual([]);
  });
  it('covers the address each shipped catalog host was found at', () => {
    const bundle = loadPolicyBundle();
    const all = siteWorkerHosts(bundle.services, new Set(bundle.services.map((s) => s.id)));
    for (const want of ['chat.deepseek.com', 'chatgpt.com', 'www.kimi.com', 'www.perplexity.ai', 'clova-x.naver.com']) {
      expect(all, want).toContain(want);
    }
    // Every name is a host of the catalog or a subdomain of a domain host.
    for (const host of all) {
      const covered = bundle.services.some((s) => s.hosts.some((h) => host === h.host || (h.match === 'domain' && host.endsWith(`.${h.host}`))));
      expect(covered, host).toBe(true);
    }
  });
});

describe('siteWorkerOrigins', () => {
  it('gives each host its https and http origin', () => {
    expect(siteWorkerOrigins(['chat.deepseek.com'])).toEqual(['https://chat.deepseek.com', 'http://chat.deepseek.com']);
  });
});
