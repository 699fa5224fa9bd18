import { describe, expect, it } from 'vitest';
import { MAX_URL_LENGTH, blockedUrlFromHash, isCheckable, matchedTarget, ownEntryUrl } from './guards';

describe('blockedUrlFromHash', () => {
  it('keeps the fragment raw, so an encoded # stays encoded', () => {
    expect(blockedUrlFromHash('#https://chat.deepseek.com/a%23b#c')).toBe('https://chat.deepseek.com/a%23b#c');
    expect(blockedUrlFromHash('#%3Cimg%20src=x%3E')).toBe('%3Cimg%20src=x%3E');
    expect(blockedUrlFromHash('')).toBe('');
  });
});

describe('isCheckable', () => {
  it('refuses empty, over-long and unparsable input', () => {
    expect(isCheckable('')).toBe(false);
    expect(isCheckable(`https://chat.deepseek.com/${'a'.repeat(MAX_URL_LENGTH)}`)).toBe(false);
    expect(isCheckable('<img src=x onerror=alert(1)>')).toBe(false);
    expect(isCheckable('chat.deepseek.com')).toBe(false);
  });
  it('passes parsable URLs on (the background decides what they are)', () => {
    expect(isCheckable('https://chat.deepseek.com/')).toBe(true);
    expect(isCheckable('javascript:alert(1)')).toBe(true);
  });
});

describe('matchedTarget', () => {
  const href = 'https://chat.deepseek.com/';
  it('follows only the exact matched http(s) href', () => {
    expect(matchedTarget(href, href)).toBe(href);
    expect(matchedTarget('http://deepseek.com/x', 'http://deepseek.com/x')).toBe('http://deepseek.com/x');
  });
  it('refuses anything else', () => {
    expect(matchedTarget('https://evil.example/', href)).toBeNull();
    expect(matchedTarget('https://chat.deepseek.com', href)).toBeNull();
    expect(matchedTarget(href, null)).toBeNull();
    for (const bad of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'wss://chat.deepseek.com/', 'not a url']) {
      expect(matchedTarget(bad, bad)).toBeNull();
    }
  });
});

describe('ownEntryUrl', () => {
  const base = 'chrome-extension://abc/src/pages/interstitial/index.html';
  it('marks the address once, keeping the query and the raw fragment', () => {
    expect(ownEntryUrl(`${base}?v=k1#https://chat.deepseek.com/a%23b?x=1#c`)).toBe(`${base}?v=k1&own=1#https://chat.deepseek.com/a%23b?x=1#c`);
    expect(ownEntryUrl(`${base}#http://chat.deepseek.com/`)).toBe(`${base}?own=1#http://chat.deepseek.com/`);
    expect(ownEntryUrl(base)).toBe(`${base}?own=1`);
    expect(ownEntryUrl(`${base}?#x`)).toBe(`${base}?own=1#x`);
  });
  it('answers null for an address already marked', () => {
    expect(ownEntryUrl(`${base}?v=k1&own=1#https://chat.deepseek.com/`)).toBeNull();
    expect(ownEntryUrl(`${base}?own=1`)).toBeNull();
    // A fragment that merely contains the marker is not a mark.
    expect(ownEntryUrl(`${base}?v=k1#https://x.example/?own=1`)).toBe(`${base}?v=k1&own=1#https://x.example/?own=1`);
  });
});
