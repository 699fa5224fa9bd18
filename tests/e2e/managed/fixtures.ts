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
