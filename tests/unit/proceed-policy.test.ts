/**
 * Proceeding under an administrator's policy: allowProceedOnBlock and
 * allowProceedOnWarn in the decision (exceptions that end when the policy
 * stops allowing them: exception-policy.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { createDecider, type Decider } from '../../src/core/decide';
import type { DecideOptions } from '../../src/core/decision-types';
import type { PolicyBundle } from '../../src/core/policy-schema';
import { parseEnvelope } from '../../src/shared/protocol';

let bundle: PolicyBundle;
let decider: Decider;
beforeAll(() => {
  bundle = loadPolicyBundle();
  decider = createDecider(bundle);
});

const options = (enabledOrganizations: string[], block: boolean, warn?: boolean): DecideOptions => ({
  enabledOrganizations,
  allowProceedOnBlock: block,
  ...(warn === undefined ? {} : { allowProceedOnWarn: warn }),
});

describe('allowProceedOnWarn', () => {
  it.each([
    // url, organizations, allowProceedOnBlock, allowProceedOnWarn, level, proceedAllowed
    ['https://chatgpt.com/', ['khnp'], true, undefined, 'warn', true],
    ['https://chatgpt.com/', ['khnp'], true, true, 'warn', true],
    ['https://chatgpt.com/', ['khnp'], true, false, 'warn', false],
    ['https://chat.deepseek.com/', ['kb-financial-group'], true, false, 'block', true],
    ['https://chat.deepseek.com/', ['kb-financial-group'], false, true, 'block', false],
    ['https://chatgpt.com/', ['samsung-electronics'], true, false, 'caution', false],
  ] as const)('%s %j block=%s warn=%s → %s, proceed %s', (url, orgs, block, warn, level, allowed) => {
    const d = decider.decideForUrl(url, options([...orgs], block, warn));
    expect(d.level).toBe(level);
    expect(d.proceedAllowed).toBe(allowed);
  });
});

describe('protocol: proceedAnyway and the new kinds', () => {
  it('accepts a statement and a reason of up to 500 characters', () => {
    const ok = parseEnvelope({ kind: 'proceedAnyway', request: { url: 'https://chat.deepseek.com/', acknowledged: true, statement: 'responsibility', justification: 'x'.repeat(500) } });
    expect(ok.ok).toBe(true);
    const long = parseEnvelope({ kind: 'proceedAnyway', request: { url: 'https://chat.deepseek.com/', acknowledged: true, justification: 'x'.repeat(501) } });
    expect(long).toMatchObject({ ok: false, error: expect.stringMatching(/^proceedAnyway: justification: /) });
    const statement = parseEnvelope({ kind: 'proceedAnyway', request: { url: 'https://chat.deepseek.com/', acknowledged: true, statement: 'whatever' } });
    expect(statement.ok).toBe(false);
  });

  it('refuses a reset that was not confirmed and a language it does not have', () => {
    expect(parseEnvelope({ kind: 'resetAll', request: {} }).ok).toBe(false);
    expect(parseEnvelope({ kind: 'resetAll', request: { confirmed: true } }).ok).toBe(true);
    expect(parseEnvelope({ kind: 'updateSettings', request: { uiLanguage: 'fr' } }).ok).toBe(false);
    expect(parseEnvelope({ kind: 'updateSettings', request: { uiLanguage: 'ko', activityLog: false } }).ok).toBe(true);
  });
});
