/** The policies and files the managed-path e2e tests use. */
export const ALTERNATIVE = 'https://assistant.example.com/';

/** Policy A: KB forced on, everything locked, no way past a block, one bad value and one unknown profile. */
export const POLICY_A = {
  enabledProfiles: ['kb-financial-group', 'no-such-org'],
  lockProfiles: true,
  allowProceedOnBlock: false,
  proceedMinutes: 500,
  customMessage: {
    en: 'KB Financial Group blocks DeepSeek on company devices. Questions: IT help desk, ext. 1234.',
    ko: 'KB금융그룹은 회사 기기에서 딥시크를 차단합니다. 문의: IT 헬프데스크(내선 1234)',
  },
  approvedAlternative: { url: ALTERNATIVE, label: { en: 'the KB AI Assistant', ko: 'KB AI 어시스턴트' } },
};

/** Policy B, written while the browser runs: Kakao (a work ban) forced on, a reason required. */
export const POLICY_B = {
  enabledProfiles: ['kakao'],
  requireJustification: true,
  customMessage: { en: 'Kakao: DeepSeek is banned for company-related tasks.' },
};

/** The Firefox policy: KB forced on; `lockProfiles` of the wrong type, which Firefox passes through: read as locked, and reported. */
export const POLICY_FIREFOX = {
  enabledProfiles: ['kb-financial-group'],
  lockProfiles: 'yes',
  customMessage: 'Firefox: DeepSeek is blocked by your organization.',
  approvedAlternative: { url: ALTERNATIVE, label: 'the in-house assistant' },
};

/** A valid custom organizations file (Acme Corp, a work ban on DeepSeek). */
export const CUSTOM_FILE = JSON.stringify({
  kind: 'ai-policy-guard/custom-organizations',
  version: 1,
  sources: [{ id: 'acme-intranet', publisher: { en: 'Acme intranet', ko: '애크미 사내망' }, headline: 'Use of external AI services', date: '2025-03-02' }],
  organizations: [
    {
      id: 'acme-corp',
      name: { en: 'Acme Corp', ko: '애크미' },
      sector: 'company',
      country: 'KR',
      notices: [{ id: 'ai-ban', source: 'acme-intranet', quotes: [{ text: 'Do not use DeepSeek for any work.' }], reasons: [], status: 'in-force' }],
      rules: [{ target: { service: 'deepseek' }, scope: 'work-tasks', level: 'warn', notice: 'ai-ban' }],
    },
  ],
});

/**
 * The administrator's own organization, shipped inside the policy. Its quote
 * appears nowhere else (not in seeds/, not in policies/), so seeing it on a
 * page proves the page cites this policy and nothing else.
 */
export const ORG_QUOTE = 'Acme Heavy Industries staff must not open DeepSeek on any device that holds plant data (circular 2025-117).';
export const ORG_NOTICE_URL = 'https://intranet.acme-heavy.example/circulars/2025-117';
export const ORG_NOTICE_HOST = 'intranet.acme-heavy.example';

const acmeHeavy = {
  id: 'acme-heavy',
  name: { en: 'Acme Heavy Industries', ko: '애크미중공업' },
  sector: 'company',
  country: 'KR',
  notices: [
    {
      id: 'circular-2025-117',
      source: 'acme-heavy-intranet',
      title: { text: 'Use of external generative AI services' },
      quotes: [{ text: ORG_QUOTE }],
      reasons: [{ en: 'Plant data could leave the company.', ko: '발전소 자료가 회사 밖으로 나갈 수 있습니다.' }],
      status: 'in-force',
      url: ORG_NOTICE_URL,
    },
  ],
  rules: [{ target: { service: 'deepseek' }, scope: 'office-devices', level: 'block', notice: 'circular-2025-117' }],
};

/** One organization whose rule names a service the catalog does not have: ignored, and listed by field. */
const brokenOrg = {
  ...acmeHeavy,
  id: 'beta-works',
  name: { en: 'Beta Works', ko: '베타웍스' },
  rules: [{ target: { service: 'skynet' }, scope: 'work-tasks', level: 'warn', notice: 'circular-2025-117' }],
};

/** The managed `organizations` value: a whole custom organizations file, one bad organization and one good. */
export const ORG_FILE = {
  kind: 'ai-policy-guard/custom-organizations',
  version: 1,
  sources: [
    {
      id: 'acme-heavy-intranet',
      publisher: { en: 'Acme Heavy Industries intranet', ko: '애크미중공업 사내망' },
      headline: 'Circular 2025-117',
      date: '2025-02-10',
    },
  ],
  organizations: [brokenOrg, acmeHeavy],
};

export const ORG_BROKEN_PROBLEM = 'organizations.0.rules.0.target.service: unknown service "skynet" (not in the extension\'s catalog) (ignored)';

/**
 * Chromium: the organization forced on (named in another case: ids match
 * case-insensitively), and a custom organization the person will import
 * (`gamma-labs`), which the policy forces on too once it exists.
 */
export const POLICY_ORG = { organizations: ORG_FILE, enabledProfiles: ['ACME-HEAVY', 'gamma-labs'] };

/** Firefox: the same file as a JSON string (as a REG_SZ carries it), and a lock of the wrong type. */
export const POLICY_ORG_FIREFOX = { organizations: JSON.stringify(ORG_FILE), enabledProfiles: ['acme-heavy'], allowProceedOnBlock: 'false' };

/** A custom organizations file with the given ids, every rule only a `notice`: what an import would put in their place. */
export function harmlessFile(id: string): string {
  return JSON.stringify({
    kind: 'ai-policy-guard/custom-organizations',
    version: 1,
    sources: [{ id: `${id}-src`, publisher: { en: 'Someone', ko: '누군가' }, headline: 'Anything goes', date: '2025-03-01' }],
    organizations: [
      {
        id,
        name: { en: `Harmless ${id}`, ko: `무해한 ${id}` },
        sector: 'company',
        country: 'KR',
        notices: [{ id: 'n', source: `${id}-src`, quotes: [{ text: 'DeepSeek is fine.' }], reasons: [], status: 'in-force' }],
        rules: [{ target: { service: 'deepseek' }, scope: 'work-tasks', level: 'notice', notice: 'n' }],
      },
    ],
  });
}

/** The organization the person imports; the policy forces it on. */
export const GAMMA_FILE = JSON.stringify({
  kind: 'ai-policy-guard/custom-organizations',
  version: 1,
  sources: [{ id: 'gamma-memo', publisher: { en: 'Gamma Labs memo', ko: '감마랩스 메모' }, headline: 'AI tools', date: '2025-02-20' }],
  organizations: [
    {
      id: 'gamma-labs',
      name: { en: 'Gamma Labs', ko: '감마랩스' },
      sector: 'company',
      country: 'KR',
      notices: [{ id: 'memo', source: 'gamma-memo', quotes: [{ text: 'Gamma Labs: no DeepSeek for work.' }], reasons: [], status: 'in-force' }],
      rules: [{ target: { service: 'deepseek' }, scope: 'work-tasks', level: 'warn', notice: 'memo' }],
    },
  ],
});
