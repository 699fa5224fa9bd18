/**
 * Decisions over the real policy bundle (policies/ compiled exactly as the
 * build does), so the merges asserted here are the ones people will see.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { activeException, createDecider, MAX_DECISION_INPUT, pruneExceptions, type Decider } from '../../src/core/decide';
import type { DecideOptions, Decision, ProceedException } from '../../src/core/decision-types';
import type { PolicyBundle } from '../../src/core/policy-schema';

let bundle: PolicyBundle;
let decider: Decider;
beforeAll(() => {
  bundle = loadPolicyBundle();
  decider = createDecider(bundle);
});

const opts = (enabledOrganizations: string[], allowProceedOnBlock = false): DecideOptions => ({
  enabledOrganizations,
  allowProceedOnBlock,
});
const decide = (url: unknown, orgs: string[], allowProceedOnBlock = false): Decision =>
  decider.decideForUrl(url, opts(orgs, allowProceedOnBlock));
/** [organization, level] per citation, in order. */
const cited = (d: Decision) => d.citations.map((c) => [c.organizationId, c.level]);

describe('merging several profiles', () => {
  it('KHNP + Kakao on chatgpt.com: warn, cited by KHNP only', () => {
    const d = decide('https://chatgpt.com/', ['khnp', 'kakao']);
    expect(d.level).toBe('warn');
    expect(d.serviceId).toBe('chatgpt');
    expect(d.matchedHost).toBe('chatgpt.com');
    expect(cited(d)).toEqual([['khnp', 'warn']]);
    // KHNP's generative-AI category rule and its ChatGPT rule both apply.
    const rules = d.citations[0]!.rules;
    expect(rules.length).toBeGreaterThanOrEqual(2);
    expect(rules.every((r) => r.organizationId === 'khnp' && r.serviceId === 'chatgpt' && r.level === 'warn')).toBe(true);
    expect(rules.some((r) => 'category' in r.rule.target && r.rule.target.category === 'generative-ai')).toBe(true);
    expect(rules.some((r) => 'service' in r.rule.target && r.rule.target.service === 'chatgpt')).toBe(true);
    // Equally strict rules keep the order the organization wrote them in.
    const indexes = rules.map((r) => r.ruleIndex);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(d.proceedAllowed).toBe(true);
  });

  it('KB Financial Group + Naver on chat.deepseek.com: block, KB (block) then Naver (notice)', () => {
    const d = decide('https://chat.deepseek.com/', ['naver', 'kb-financial-group']);
    expect(d.level).toBe('block');
    expect(d.serviceId).toBe('deepseek');
    expect(cited(d)).toEqual([['kb-financial-group', 'block'], ['naver', 'notice']]);
    expect(d.proceedAllowed).toBe(false);
  });

  it('breaks ties between equally strict citations by bundle order, not settings order', () => {
    const blockers = bundle.organizations
      .filter((o) => o.rules.some((r) => 'service' in r.target && r.target.service === 'deepseek' && r.level === 'block'))
      .map((o) => o.id);
    expect(blockers.length).toBeGreaterThanOrEqual(3);
    const d = decide('https://chat.deepseek.com/', [...blockers].reverse());
    expect(d.citations.map((c) => c.organizationId)).toEqual(blockers);
  });

  it('orders citations strictest first over every organization at once', () => {
    const d = decide('https://chat.deepseek.com/', bundle.organizations.map((o) => o.id));
    const ranks = d.citations.map((c) => ['notice', 'caution', 'warn', 'block'].indexOf(c.level));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(d.level).toBe('block');
  });

  it('cites an organization listed twice once', () => {
    expect(cited(decide('https://chat.deepseek.com/', ['naver', 'naver']))).toEqual([['naver', 'notice']]);
  });
});

describe('levels', () => {
  it('no enabled profile → none, while still naming the service', () => {
    const d = decide('https://chat.deepseek.com/', []);
    expect(d).toMatchObject({ level: 'none', citations: [], serviceId: 'deepseek', matchedHost: 'deepseek.com', proceedAllowed: false });
    expect(d.url?.host).toBe('chat.deepseek.com');
  });

  it('ignores unknown profile ids', () => {
    expect(cited(decide('https://chat.deepseek.com/', ['no-such-organization', 'naver']))).toEqual([['naver', 'notice']]);
    expect(decide('https://chat.deepseek.com/', ['no-such-organization']).level).toBe('none');
  });

  it('caution: Samsung Electronics on chatgpt.com, Italy on chat.deepseek.com', () => {
    expect(cited(decide('https://chatgpt.com/', ['samsung-electronics']))).toEqual([['samsung-electronics', 'caution']]);
    expect(decide('https://chatgpt.com/', ['samsung-electronics']).level).toBe('caution');
    expect(decide('https://chat.deepseek.com/', ['italy']).level).toBe('caution');
  });

  it('notice: Naver alone on chat.deepseek.com', () => {
    const d = decide('https://chat.deepseek.com/', ['naver']);
    expect(d.level).toBe('notice');
    expect(d.citations[0]!.rules[0]).toMatchObject({ organizationId: 'naver', serviceId: 'deepseek', level: 'notice' });
  });

  it('LG U+ on chat.deepseek.com: block, with its caution rule listed after it', () => {
    const d = decide('https://chat.deepseek.com/', ['lg-uplus']);
    expect(d.level).toBe('block');
    expect(d.citations).toHaveLength(1);
    expect(d.citations[0]!.level).toBe('block');
    expect(d.citations[0]!.rules.map((r) => r.level)).toEqual(['block', 'caution']);
  });

  it('a category rule covers every service of the category: KHNP on claude.ai → warn', () => {
    const d = decide('https://claude.ai/new', ['khnp']);
    expect(d.level).toBe('warn');
    expect(d.serviceId).toBe('claude');
    expect(d.citations[0]!.rules.every((r) => 'category' in r.rule.target)).toBe(true);
  });

  it('exact hosts: KHNP on google.com → none, on gemini.google.com → warn', () => {
    const google = decide('https://google.com/', ['khnp']);
    expect(google).toMatchObject({ level: 'none', serviceId: null, matchedHost: null });
    expect(decide('https://mail.google.com/', ['khnp']).level).toBe('none');
    expect(decide('https://x.gemini.google.com/', ['khnp']).level).toBe('none');
    expect(decide('https://gemini.google.com/app', ['khnp'])).toMatchObject({ level: 'warn', serviceId: 'gemini' });
  });

  it('fills each matched rule from its notice', () => {
    const d = decide('https://chat.deepseek.com/', ['kb-financial-group']);
    const org = bundle.organizations.find((o) => o.id === 'kb-financial-group')!;
    for (const r of d.citations[0]!.rules) {
      expect(r.rule).toEqual(org.rules[r.ruleIndex]);
      expect(r.noticeId).toBe(r.rule.notice);
      expect(r.scope).toBe(r.rule.scope);
      expect(r.noticeStatus).toBe(org.notices.find((n) => n.id === r.noticeId)!.status);
    }
  });
});

describe('proceedAllowed', () => {
  const table: [string, string, string[], boolean, boolean][] = [
    // [url, expected level, organizations, allowProceedOnBlock, expected proceedAllowed]
    ['https://chat.deepseek.com/', 'block', ['kb-financial-group'], false, false],
    ['https://chat.deepseek.com/', 'block', ['kb-financial-group'], true, true],
    ['https://chatgpt.com/', 'warn', ['khnp'], false, true],
    ['https://chatgpt.com/', 'warn', ['khnp'], true, true],
    ['https://chatgpt.com/', 'caution', ['samsung-electronics'], false, false],
    ['https://chatgpt.com/', 'caution', ['samsung-electronics'], true, false],
    ['https://chat.deepseek.com/', 'notice', ['naver'], false, false],
    ['https://chat.deepseek.com/', 'notice', ['naver'], true, false],
    ['https://example.com/', 'none', ['kb-financial-group'], false, false],
    ['https://example.com/', 'none', ['kb-financial-group'], true, false],
  ];
  it.each(table)('%s %s (%j, allowProceedOnBlock=%s) → %s', (url, level, orgs, allow, expected) => {
    const d = decide(url, orgs, allow);
    expect(d.level).toBe(level);
    expect(d.proceedAllowed).toBe(expected);
  });
});

describe('hostile input', () => {
  it.each([undefined, null, 42, {}, [], 'not a url', 'blob:https://chat.deepseek.com/x', 'javascript:alert(1)'])(
    'decides none for %j without throwing',
    (input) => {
      const d = decide(input, ['kb-financial-group']);
      expect(d).toMatchObject({ level: 'none', url: null, serviceId: null, citations: [], proceedAllowed: false });
      expect(d.input).toBe(typeof input === 'string' ? input : '');
    },
  );

  it('falls back to none when the options themselves are corrupt', () => {
    const corrupt = { enabledOrganizations: null, allowProceedOnBlock: 'yes' } as unknown as DecideOptions;
    const d = decider.decideForUrl('https://chat.deepseek.com/', corrupt);
    expect(d).toMatchObject({ level: 'none', url: null, citations: [], proceedAllowed: false, input: 'https://chat.deepseek.com/' });
  });

  it('echoes at most 2048 characters of the input', () => {
    const long = `https://chat.deepseek.com/?q=${'x'.repeat(5000)}`;
    const d = decide(long, ['kb-financial-group']);
    expect(d.input).toHaveLength(MAX_DECISION_INPUT);
    expect(long.startsWith(d.input)).toBe(true);
    expect(d.level).toBe('block');
    // A cut through a surrogate pair drops the orphaned half.
    const emoji = `${'a'.repeat(MAX_DECISION_INPUT - 1)}😀`;
    expect(decide(emoji, []).input).toBe('a'.repeat(MAX_DECISION_INPUT - 1));
  });

  it('hands out fresh arrays, so a caller mutating one decision cannot change the next', () => {
    const first = decide('https://chat.deepseek.com/', ['lg-uplus']);
    first.citations[0]!.rules.length = 0;
    first.citations.length = 0;
    expect(decide('https://chat.deepseek.com/', ['lg-uplus']).citations[0]!.rules).toHaveLength(2);
  });

  it('maps every catalog host of the real bundle back to its own service', () => {
    for (const service of bundle.services) {
      for (const { host } of service.hosts) {
        expect(decider.index.lookup(host)).toMatchObject({ serviceId: service.id, host });
      }
    }
  });
});

describe('proceed exceptions', () => {
  const e = (serviceId: string, createdAt: number, expiresAt: number): ProceedException => ({ serviceId, createdAt, expiresAt, granted: { level: 'warn', organizations: [] } });
  const ex = e('deepseek', 1000, 2000);

  it.each([
    [999, null],
    [1000, ex],
    [1500, ex],
    [1999, ex],
    [2000, null],
    [2001, null],
  ])('at %d the exception is %j', (now, expected) => {
    expect(activeException([ex], 'deepseek', now)).toEqual(expected);
  });

  it('applies only to its own service and never to an unmatched URL', () => {
    expect(activeException([ex], 'chatgpt', 1500)).toBeNull();
    expect(activeException([ex], null, 1500)).toBeNull();
    expect(activeException([], 'deepseek', 1500)).toBeNull();
  });

  it('returns the active exception lasting longest', () => {
    const longer = e('deepseek', 1200, 5000);
    const longest = e('deepseek', 0, 9000);
    expect(activeException([ex, longer, longest], 'deepseek', 1500)).toBe(longest);
    // `longer` has not started at 1100, so the shorter one is the active one.
    expect(activeException([longer, ex], 'deepseek', 1100)).toBe(ex);
  });

  it('prunes exactly the expired ones (expiresAt ≤ now)', () => {
    const list = [e('a', 0, 1000), e('b', 0, 1001), e('c', 5000, 6000), e('d', 0, Number.NaN)];
    expect(pruneExceptions(list, 1000).map((x) => x.serviceId)).toEqual(['b', 'c']);
    expect(pruneExceptions(list, 999).map((x) => x.serviceId)).toEqual(['a', 'b', 'c']);
    expect(pruneExceptions([], 0)).toEqual([]);
  });
});
