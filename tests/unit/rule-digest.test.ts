/** The status page's rule digest: the same for compiled rules and the browser's copy of them (Firefox's, as seen in Firefox ESR 153), different when a rule differs. */
import { describe, expect, it } from 'vitest';
import { rulesDigest } from '../../src/core/rule-digest';

const compiled = [
  {
    id: 1,
    priority: 2,
    action: { type: 'redirect', redirect: { regexSubstitution: 'moz-extension://u/src/pages/interstitial/index.html?v=k#\\0' } },
    condition: { regexFilter: '^.*$', requestDomains: ['deepseek.com', 'chat.deepseek.com'], resourceTypes: ['sub_frame', 'main_frame'] },
  },
  { id: 2, action: { type: 'block' }, condition: { requestDomains: ['deepseek.com'], excludedResourceTypes: ['main_frame', 'sub_frame'] } },
];
// What Firefox's getDynamicRules() answered for rules like these: every unset key null, defaults filled in, lists in its own order.
const asFirefoxListsThem = [
  {
    id: 2,
    priority: 1,
    condition: { urlFilter: null, regexFilter: null, isUrlFilterCaseSensitive: null, requestDomains: ['deepseek.com'], resourceTypes: null, excludedResourceTypes: ['main_frame', 'sub_frame'], tabIds: null },
    action: { redirect: null, requestHeaders: null, responseHeaders: null, type: 'block' },
  },
  {
    id: 1,
    priority: 2,
    condition: { urlFilter: null, regexFilter: '^.*$', isUrlFilterCaseSensitive: false, initiatorDomains: null, requestDomains: ['chat.deepseek.com', 'deepseek.com'], resourceTypes: ['main_frame', 'sub_frame'] },
    action: { redirect: { extensionPath: null, regexSubstitution: 'moz-extension://u/src/pages/interstitial/index.html?v=k#\\0', transform: null, url: null }, requestHeaders: null, responseHeaders: null, type: 'redirect' },
  },
];

describe('rulesDigest', () => {
  it("is the same for the compiled rules and the browser's copy of them", () => {
    expect(rulesDigest(asFirefoxListsThem)).toBe(rulesDigest(compiled));
  });
  it('differs when a rule stops another host, redirects elsewhere, or is missing', () => {
    const base = rulesDigest(compiled);
    expect(rulesDigest([{ ...compiled[0]!, condition: { ...compiled[0]!.condition, requestDomains: ['deepseek.com'] } }, compiled[1]!])).not.toBe(base);
    expect(rulesDigest([{ ...compiled[0]!, action: { type: 'redirect', redirect: { regexSubstitution: 'https://elsewhere.example/#\\0' } } }, compiled[1]!])).not.toBe(base);
    expect(rulesDigest([compiled[0]!])).not.toBe(base);
    expect(rulesDigest([{ ...compiled[1]!, priority: 3 }, compiled[0]!])).not.toBe(base);
  });
});
