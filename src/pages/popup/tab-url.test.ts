import { describe, expect, it } from 'vitest';
import { addressToCheck } from './tab-url';

const INTERSTITIAL = 'chrome-extension://abc/src/pages/interstitial/index.html';

describe('addressToCheck', () => {
  it('has nothing to check when the tab URL is hidden', () => {
    expect(addressToCheck(undefined, INTERSTITIAL)).toBeNull();
    expect(addressToCheck('', INTERSTITIAL)).toBeNull();
  });

  it('checks a visible tab URL as it is', () => {
    expect(addressToCheck('https://chat.deepseek.com/a?b#c', INTERSTITIAL)).toBe('https://chat.deepseek.com/a?b#c');
  });

  it('checks the blocked address of the interstitial, raw', () => {
    expect(addressToCheck(`${INTERSTITIAL}#https://chat.deepseek.com/x%23y#z`, INTERSTITIAL)).toBe(
      'https://chat.deepseek.com/x%23y#z',
    );
  });

  it('has nothing to check on an interstitial without an address', () => {
    expect(addressToCheck(INTERSTITIAL, INTERSTITIAL)).toBeNull();
    expect(addressToCheck(`${INTERSTITIAL}#`, INTERSTITIAL)).toBeNull();
  });

  it('passes other extension pages on, for the background to find unchecked', () => {
    expect(addressToCheck('chrome-extension://abc/src/pages/options/index.html', INTERSTITIAL)).toBe(
      'chrome-extension://abc/src/pages/options/index.html',
    );
  });
});
