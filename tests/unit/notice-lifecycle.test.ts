/** Notices with a life cycle: when they apply, their versions, what changed, and acknowledgements. */
import { describe, expect, it } from 'vitest';
import {
  lifecycleViews,
  localDay,
  nextNoticeRecords,
  nextPhaseChange,
  noticePhase,
  noticeVersion,
  rulesInEffect,
} from '../../src/core/notice-lifecycle';
import type { CustomPolicies } from '../../src/core/custom-organizations';
import type { Notice } from '../../src/core/policy-schema';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { readManagedPolicy } from '../../src/shared/managed-policy';

const notice = (over: Partial<Notice> = {}): Notice => ({
  id: 'circular',
  source: 'intranet',
  quotes: [{ text: 'Do not use DeepSeek on plant computers.' }],
  reasons: [],
  status: 'in-force',
  ...over,
});

const policies = (n: Notice): CustomPolicies => ({
  sources: [{ id: 'intranet', publisher: { en: 'Intranet', ko: '사내망' }, headline: 'Circular', date: '2025-02-10' }],
  organizations: [
    {
      id: 'acme-heavy',
      name: { en: 'Acme Heavy Industries', ko: '애크미중공업' },
      sector: 'company',
      country: 'KR',
      notices: [n],
      rules: [{ target: { service: 'deepseek' }, scope: 'office-devices', level: 'block', notice: n.id }],
    },
  ] as CustomPolicies['organizations'],
});

describe('noticePhase and rulesInEffect', () => {
  it('is upcoming before its first day, in effect through its last, expired after', () => {
    const n = notice({ effective: '2027-01-01', expires: '2027-06-30' });
    expect(noticePhase(n, '2026-12-31')).toBe('upcoming');
    expect(noticePhase(n, '2027-01-01')).toBe('in-effect');
    expect(noticePhase(n, '2027-06-30')).toBe('in-effect');
    expect(noticePhase(n, '2027-07-01')).toBe('expired');
    expect(noticePhase(notice(), '1999-01-01')).toBe('in-effect');
  });

  it('drops the rules of a notice that does not apply today, and keeps the notice to show', () => {
    const p = policies(notice({ expires: '2026-01-31' }));
    const today = rulesInEffect(p, '2026-02-01');
    expect(today.organizations[0]?.rules).toEqual([]);
    expect(today.organizations[0]?.notices).toHaveLength(1);
    expect(rulesInEffect(p, '2026-01-31')).toBe(p);
  });

  it('names the next day a notice starts or stops applying', () => {
    const p = policies(notice({ effective: '2027-01-01', expires: '2027-06-30' }));
    expect(nextPhaseChange(p, '2026-12-01')).toBe('2027-01-01');
    expect(nextPhaseChange(p, '2027-01-01')).toBe('2027-07-01');
    expect(nextPhaseChange(p, '2027-07-01')).toBeNull();
  });

  it('localDay is the local calendar day', () => {
    const at = new Date(2027, 0, 31, 23, 59).getTime();
    expect(localDay(at)).toBe('2027-01-31');
  });
});

describe('versions and what changed', () => {
  it('uses the administrator’s version, else one derived from the words', () => {
    expect(noticeVersion(notice({ version: '3' }))).toBe('3');
    const derived = noticeVersion(notice());
    expect(derived).toMatch(/^#[0-9a-f]{8}$/);
    expect(noticeVersion(notice())).toBe(derived);
    expect(noticeVersion(notice({ quotes: [{ text: 'Another text.' }] }))).not.toBe(derived);
  });

  it('a first sight is no update; a new version keeps the one before and asks again', () => {
    const v2 = policies(notice({ version: '2', acknowledge: true }));
    const first = nextNoticeRecords({}, v2, 1000);
    expect(lifecycleViews(v2, first, '2026-12-01')).toEqual([
      expect.objectContaining({ version: '2', updatedAt: null, before: null, acknowledgeNeeded: true }),
    ]);
    const acked = { 'acme-heavy/circular': { ...first['acme-heavy/circular']!, acknowledged: '2' } };
    expect(lifecycleViews(v2, acked, '2026-12-01')[0]).toMatchObject({ acknowledgeNeeded: false });

    const v3 = policies(notice({ version: '3', acknowledge: true, quotes: [{ text: 'Do not use DeepSeek on any company device.' }] }));
    const second = nextNoticeRecords(acked, v3, 2000);
    expect(second['acme-heavy/circular']).toMatchObject({ version: '3', seenAt: 2000, previous: { version: '2' } });
    expect(lifecycleViews(v3, second, '2026-12-01')[0]).toMatchObject({
      version: '3',
      updatedAt: 2000,
      before: ['Do not use DeepSeek on plant computers.'],
      after: ['Do not use DeepSeek on any company device.'],
      acknowledgeNeeded: true,
    });
    // The same version seen again changes nothing.
    expect(nextNoticeRecords(second, v3, 3000)).toEqual(second);
  });

  it('a notice gone from the policy keeps its record: back again, it is not new', () => {
    const v2 = policies(notice({ version: '2' }));
    const first = nextNoticeRecords({}, v2, 1000);
    const gone = nextNoticeRecords(first, { sources: [], organizations: [] }, 2000);
    expect(gone).toEqual(first);
  });

  it('an expired or upcoming notice asks for nothing', () => {
    const p = policies(notice({ version: '2', acknowledge: true, expires: '2026-01-01' }));
    expect(lifecycleViews(p, nextNoticeRecords({}, p, 1), '2026-12-01')[0]).toMatchObject({ phase: 'expired', acknowledgeNeeded: false });
  });
});

describe('a managed organization with a life cycle reads with no problem', () => {
  it('version, effective, expires and acknowledge are accepted on a notice', () => {
    const p = policies(notice({ version: '3', effective: '2026-01-01', expires: '2027-12-31', acknowledge: true }));
    const report = readManagedPolicy(
      { organizations: { kind: 'ai-policy-guard/custom-organizations', version: 1, ...p } },
      { bundle: loadPolicyBundle(), knownOrganizations: new Set() },
    );
    expect(report.problems).toEqual([]);
    expect(report.policy.organizations?.organizations[0]?.notices[0]).toMatchObject({ version: '3', effective: '2026-01-01', acknowledge: true });
  });
});
