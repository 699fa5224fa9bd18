/** The note before any profile is chosen, over the real policy list. */
import { describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { profileHint, restrictingOrganizations } from '../../src/core/profile-hint';

const bundle = loadPolicyBundle();
const none = { enabledOrganizations: [], off: false, shownThisSession: [] };

describe('which organizations restrict a service', () => {
  it('DeepSeek: every organization with a warn or block rule for it, and only those', () => {
    const ids = restrictingOrganizations(bundle, 'deepseek');
    expect(ids).toEqual(expect.arrayContaining(['lg-uplus', 'kb-financial-group', 'kakao', 'khnp']));
    // Cautions and notices only do not restrict (Samsung's office-PC caution, Naver's consideration).
    expect(ids).not.toContain('samsung-electronics');
    expect(ids).not.toContain('naver');
    for (const id of ids) {
      const org = bundle.organizations.find((o) => o.id === id)!;
      expect(org.rules.some((r) => r.level === 'warn' || r.level === 'block'), id).toBe(true);
    }
  });

  it('a category rule counts (KHNP’s work ban on generative AI reaches ChatGPT)', () => {
    expect(restrictingOrganizations(bundle, 'chatgpt')).toContain('khnp');
    expect(restrictingOrganizations(bundle, 'no-such-service')).toEqual([]);
  });
});

describe('when the note shows', () => {
  const n = restrictingOrganizations(bundle, 'deepseek').length;

  it('once per service per session, with the count', () => {
    expect(profileHint(bundle, 'deepseek', none)).toEqual({ show: 'new', count: n });
    expect(profileHint(bundle, 'deepseek', { ...none, shownThisSession: ['deepseek'] })).toEqual({ show: 'shown', count: n });
    expect(profileHint(bundle, 'chatgpt', { ...none, shownThisSession: ['deepseek'] }).show).toBe('new');
  });

  it('never once a profile is on, after "Don’t show this again", or off the catalog', () => {
    expect(profileHint(bundle, 'deepseek', { ...none, enabledOrganizations: ['naver'] })).toEqual({ show: 'no' });
    expect(profileHint(bundle, 'deepseek', { ...none, off: true })).toEqual({ show: 'no' });
    expect(profileHint(bundle, null, none)).toEqual({ show: 'no' });
  });
});
