import { describe, expect, it } from 'vitest';
import { MESSAGE_SENDERS, isAllowedSender, senderContext, type SenderFacts } from '../../src/shared/message-senders';
import { requestSchemas, type MessageKind } from '../../src/shared/protocol';
import { INTERSTITIAL_PATH, OPTIONS_PATH, POPUP_PATH } from '../../src/shared/paths';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${ID}/`;
const KINDS = Object.keys(requestSchemas) as MessageKind[];
const tab = { id: 7 };

const popup: SenderFacts = { id: ID, url: `${BASE}${POPUP_PATH}` };
const popupInTab: SenderFacts = { id: ID, url: `${BASE}${POPUP_PATH}`, tab, frameId: 0 };
const options: SenderFacts = { id: ID, url: `${BASE}${OPTIONS_PATH}#welcome`, tab, frameId: 0 };
const interstitial: SenderFacts = { id: ID, url: `${BASE}${INTERSTITIAL_PATH}#https://chat.deepseek.com/`, tab, frameId: 0 };
const framedInterstitial: SenderFacts = { ...interstitial, frameId: 4 };
const content: SenderFacts = { id: ID, url: 'https://chat.deepseek.com/a', tab, frameId: 0 };

const allowed = (facts: SenderFacts) => KINDS.filter((k) => isAllowedSender(k, senderContext(facts, ID, BASE))).sort();

describe('senderContext', () => {
  it.each([
    ['the popup (no tab)', popup, 'popup'],
    ['the popup opened as a tab', popupInTab, 'popup'],
    ['the options page, with a fragment', options, 'options'],
    ['the options page with a query', { ...options, url: `${BASE}${OPTIONS_PATH}?x=1` }, 'options'],
    ['the interstitial in its tab', interstitial, 'interstitial'],
    ['the interstitial framed by a site', framedInterstitial, 'interstitial-frame'],
    ['the content script in a top frame', content, 'content'],
    ['a content script in a sub-frame', { ...content, frameId: 2 }, 'unknown'],
    ['a page-like sender outside any tab', { id: ID, url: 'https://chat.deepseek.com/' }, 'unknown'],
    ['the options page inside a frame', { ...options, frameId: 1 }, 'unknown'],
    ['the popup inside a frame', { ...popupInTab, frameId: 3 }, 'unknown'],
    ['a tab sender without a frame id', { ...options, frameId: undefined }, 'unknown'],
    ['another extension', { ...options, id: 'someone-else' }, 'unknown'],
    ['no id at all', { url: options.url, tab, frameId: 0 }, 'unknown'],
    ['no URL', { id: ID, tab, frameId: 0 }, 'unknown'],
    ['another page of the extension', { ...options, url: `${BASE}assets/other.html` }, 'unknown'],
    ['a script-less document of the extension', { ...options, url: `${BASE}manifest.json` }, 'extension-document'],
    ['the same, in a frame', { ...options, url: `${BASE}manifest.json`, frameId: 2 }, 'unknown'],
    ['a look-alike path', { ...options, url: `${BASE}${OPTIONS_PATH}.html` }, 'unknown'],
    ['a look-alike origin', { ...options, url: `chrome-extension://${ID}.evil.test/${OPTIONS_PATH}` }, 'content'],
  ] as const)('%s', (_name, facts, expected) => {
    expect(senderContext(facts, ID, BASE)).toBe(expected);
  });
});

describe('MESSAGE_SENDERS', () => {
  it('names every message kind, each with at least one sender', () => {
    expect(Object.keys(MESSAGE_SENDERS).sort()).toEqual([...KINDS].sort());
    for (const kind of KINDS) expect(MESSAGE_SENDERS[kind].length, kind).toBeGreaterThan(0);
  });

  it('lets the content script read a verdict, answer its own note and send its tab to the warning, and a framed interstitial only read a verdict', () => {
    expect(allowed(content)).toEqual(['getProfileHint', 'getVerdict', 'openProfileList', 'sendTabToWarning', 'turnOffProfileHint']);
    expect(allowed(framedInterstitial)).toEqual(['getVerdict']);
  });

  it('lets the interstitial proceed, log and answer where the browser is only in its own top frame', () => {
    expect(allowed(interstitial)).toEqual(['acknowledgeNotice', 'applyExceptionToken', 'getSignedExceptions', 'getVerdict', 'proceedAnyway', 'recordWarningShown', 'setDeviceContext']);
    for (const facts of [popup, options, content, framedInterstitial]) {
      expect(isAllowedSender('proceedAnyway', senderContext(facts, ID, BASE))).toBe(false);
      expect(isAllowedSender('recordWarningShown', senderContext(facts, ID, BASE))).toBe(false);
      expect(isAllowedSender('setDeviceContext', senderContext(facts, ID, BASE))).toBe(false);
    }
  });

  it('keeps what changes settings or reads private data to the popup and options page', () => {
    const popupKinds = allowed(popup);
    expect(popupKinds).toEqual(allowed(popupInTab));
    expect(popupKinds).toEqual([
      'acknowledgeNotice',
      'dismissStorageNotice',
      'endException',
      'getEnforcementStatus',
      'getExceptions',
      'getPreconnectStatus',
      'getProfiles',
      'getSettings',
      'getSignedExceptions',
      'getVerdict',
      'setProfileEnabled',
    ]);
    const optionsKinds = allowed(options);
    for (const kind of ['resetAll', 'clearActivityLog', 'importCustomPolicies', 'exportCustomPolicies', 'getActivityLog', 'updateSettings'] as const) {
      expect(optionsKinds, kind).toContain(kind);
      expect(popupKinds, kind).not.toContain(kind);
    }
    expect(optionsKinds).not.toContain('proceedAnyway');
  });

  it('takes a signed exception only from the options page and the warning in its own top frame', () => {
    expect(isAllowedSender('applyExceptionToken', senderContext(options, ID, BASE))).toBe(true);
    expect(isAllowedSender('applyExceptionToken', senderContext(interstitial, ID, BASE))).toBe(true);
    for (const facts of [popup, content, framedInterstitial, { ...content, frameId: 1 }]) {
      expect(isAllowedSender('applyExceptionToken', senderContext(facts, ID, BASE))).toBe(false);
    }
    // The device code is never handed to a site's page, framed warning included.
    for (const facts of [content, framedInterstitial]) {
      expect(isAllowedSender('getSignedExceptions', senderContext(facts, ID, BASE))).toBe(false);
    }
  });

  it('lets a script-less document of the extension read the profile list and nothing else', () => {
    expect(allowed({ ...options, url: `${BASE}manifest.json` })).toEqual(['getProfiles']);
  });

  it('refuses everything to an unknown sender', () => {
    expect(allowed({ ...content, frameId: 1 })).toEqual([]);
    expect(allowed({ ...options, id: 'x' })).toEqual([]);
  });
});
