/** An import cannot reword a source that an organization the policy holds cites. */
import { describe, expect, it } from 'vitest';
import { heldSourceConflicts } from '../../src/shared/policy-locks';
import type { CustomPolicies } from '../../src/core/custom-organizations';

const source = (id: string, headline: string) => ({ id, publisher: { en: 'Gamma intranet', ko: '감마 사내망' }, headline, date: '2025-03-02' });
const org = (id: string, sourceId: string) =>
  ({ id, name: { en: id, ko: id }, sector: 'company', country: 'KR', notices: [{ id: 'n', source: sourceId, quotes: [{ text: 'x' }], reasons: [], status: 'in-force' }], rules: [] }) as unknown as CustomPolicies['organizations'][number];

const current = {
  sources: [source('gamma-2025', 'Use of external AI services'), source('free-2025', 'Free')],
  organizations: [org('gamma-labs', 'gamma-2025'), org('free-org', 'free-2025')],
} as unknown as CustomPolicies;
const held = (id: string) => id === 'gamma-labs';

describe('heldSourceConflicts', () => {
  it('refuses a reworded source that a held organization cites, naming the field and the organization', () => {
    const imported = { sources: [source('other', 'x'), source('gamma-2025', 'DeepSeek is fine now')] } as unknown as CustomPolicies;
    expect(heldSourceConflicts(imported, current, held)).toEqual([
      'sources.1.id: "gamma-2025" is cited by "gamma-labs", which your organization holds; an import cannot replace it',
    ]);
  });
  it('lets through a source repeated as it stands, and one that only an unheld organization cites', () => {
    const imported = { sources: [source('gamma-2025', 'Use of external AI services'), source('free-2025', 'Changed')] } as unknown as CustomPolicies;
    expect(heldSourceConflicts(imported, current, held)).toEqual([]);
  });
});
