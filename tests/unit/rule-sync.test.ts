/**
 * The rule sync's order (src/background/rules.ts), against a stand-in for the
 * one platform module: allow rules that no longer hold go before anything
 * else, the rules are written whatever happens to the verdict table, and a
 * table that cannot be written (the quota, its size bound) is removed, so
 * warning pages ask the background. The rules are the real compiled ones.
 * Each case runs for both builds: Chrome keeps the table in storage.local,
 * Firefox in storage.session and never in storage.local, which its content
 * scripts can write.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPolicyBundle } from '../../scripts/load-policies';
import { createDecider } from '../../src/core/decide';
import type { ProceedException } from '../../src/core/decision-types';
import { buildVerdictTable } from '../../src/core/verdict-table-build';
import type { VerdictTable } from '../../src/core/verdict-table';

interface Rule {
  id: number;
  action: { type: string; redirect?: { regexSubstitution?: string } };
}

const fake = vi.hoisted(() => {
  const state = {
    dynamic: [] as { id: number }[],
    session: [] as { id: number }[],
    /** storage.local and storage.session. */
    areas: { local: new Map<string, unknown>(), session: new Map<string, unknown>() },
    calls: [] as string[],
    failSet: false,
    failSessionAdd: false,
  };
  const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  const update = (which: 'dynamic' | 'session') => async ({ removeRuleIds = [], addRules = [] }: { removeRuleIds?: number[]; addRules?: { id: number }[] }) => {
    state.calls.push(`${which}: -${removeRuleIds.length} +${addRules.length}`);
    if (which === 'session' && addRules.length > 0 && state.failSessionAdd) throw new Error('Rule count exceeded');
    const kept = state[which].filter((r) => !removeRuleIds.includes(r.id));
    if (addRules.some((r) => kept.some((k) => k.id === r.id))) throw new Error('Rule does not have a unique ID');
    state[which] = [...kept, ...copy(addRules)];
  };
  const area = (name: 'local' | 'session') => ({
    get: async (key: string) => {
      state.calls.push(`get ${name} ${key}`);
      return state.areas[name].has(key) ? { [key]: copy(state.areas[name].get(key)) } : {};
    },
    set: async (items: Record<string, unknown>) => {
      state.calls.push(`set ${name} ${Object.keys(items).join()}`);
      // Chrome's words when the area is full.
      if (state.failSet) throw new Error('QUOTA_BYTES quota exceeded');
      for (const [k, v] of Object.entries(items)) state.areas[name].set(k, copy(v));
    },
    remove: async (keys: string | string[]) => {
      const all = typeof keys === 'string' ? [keys] : keys;
      state.calls.push(`remove ${name} ${all.join()}`);
      for (const key of all) state.areas[name].delete(key);
    },
  });
  const browser = {
    declarativeNetRequest: {
      getDynamicRules: async () => copy(state.dynamic),
      getSessionRules: async () => copy(state.session),
      updateDynamicRules: update('dynamic'),
      updateSessionRules: update('session'),
    },
    storage: { local: area('local'), session: area('session') },
  };
  return { state, browser };
});

vi.mock('../../src/platform/browser', () => ({ browser: fake.browser }));
vi.stubGlobal('__TARGET__', 'chrome');
vi.stubGlobal('location', { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' });

const { removeLocalVerdictTable, syncRules } = await import('../../src/background/rules');

const bundle = loadPolicyBundle();
const decider = createDecider(bundle);
const NOW = Date.now();

const exception = (serviceId: string): ProceedException => ({
  serviceId,
  createdAt: NOW - 60_000,
  expiresAt: NOW + 600_000,
  granted: { level: 'warn', organizations: [{ id: 'khnp', level: 'warn' }] },
});

function input(enabledOrganizations: string[], exceptions: ProceedException[], page: object = {}) {
  const options = { enabledOrganizations, allowProceedOnBlock: true };
  const verdictTable: VerdictTable<unknown> = buildVerdictTable({ bundle, decider, options, page, excepted: new Set(exceptions.map((e) => e.serviceId)) });
  return { bundle, enabledOrganizations, exceptions, deviceContext: 'unsaid' as const, verdictTable };
}

const redirectKey = () => {
  const redirect = (fake.state.dynamic as Rule[]).find((r) => r.action.type === 'redirect');
  return /\?v=([0-9a-z]+)#/.exec(redirect?.action.redirect?.regexSubstitution ?? '')?.[1] ?? null;
};
const TARGETS = [
  { target: 'chrome', area: 'local', other: 'session' },
  { target: 'firefox', area: 'session', other: 'local' },
] as const;

describe.each(TARGETS)('the rule sync, in any order of events ($target: the table in storage.$area)', ({ target, area, other }) => {
  const table = () => fake.state.areas[area];
  const storedKey = () => (table().get('verdictTable') as { key?: string } | undefined)?.key ?? null;

  beforeEach(async () => {
    vi.stubGlobal('__TARGET__', target);
    Object.assign(fake.state, { dynamic: [], session: [], areas: { local: new Map(), session: new Map() }, calls: [], failSet: false, failSessionAdd: false });
    // A person proceeded on DeepSeek under KHNP's warning: its allow rule and the table stand.
    await syncRules(async () => input(['khnp'], [exception('deepseek')]));
    expect(fake.state.session.length).toBeGreaterThan(0);
    expect(storedKey()).toBe(redirectKey());
    fake.state.calls.length = 0;
  });

  it('removes the ended exception and writes the new rules when the table write is refused, and removes the old table', async () => {
    fake.state.failSet = true;
    const result = await syncRules(async () => input(['khnp', 'kb-financial-group'], []));
    expect(fake.state.session).toEqual([]);
    expect(result.dynamic).toBeGreaterThan(0);
    expect(redirectKey()).not.toBeNull();
    // No table under a key a page could trust: it asks the background.
    expect(table().has('verdictTable')).toBe(false);
    expect(table().has('verdictTableKey')).toBe(false);
    expect(fake.state.calls).toEqual([
      expect.stringMatching(/^session: -\d+ \+0$/),
      expect.stringMatching(/^dynamic: /),
      `get ${area} verdictTableKey`,
      `set ${area} verdictTable,verdictTableKey`,
      `remove ${area} verdictTable,verdictTableKey`,
    ]);
  });

  it('removes the ended exception before anything else, even when adding the new allow rules fails', async () => {
    fake.state.failSessionAdd = true;
    await expect(syncRules(async () => input(['khnp'], [exception('chatgpt')]))).rejects.toThrow('Rule count exceeded');
    expect(fake.state.calls[0]).toMatch(/^session: -\d+ \+0$/);
    expect(fake.state.session).toEqual([]);
  });

  it('leaves a standing exception rule in place (no gap) while another is added', async () => {
    const before = fake.state.session.map((r) => r.id);
    await syncRules(async () => input(['khnp'], [exception('deepseek'), exception('chatgpt')]));
    expect(fake.state.calls[0]).toMatch(/^session: -0 \+\d+$/);
    expect(fake.state.session.map((r) => r.id)).toEqual(expect.arrayContaining(before));
  });

  it('writes the rules before the table they name, and the table under the key they carry', async () => {
    await syncRules(async () => input(['kb-financial-group'], []));
    expect(fake.state.calls.indexOf(`set ${area} verdictTable,verdictTableKey`)).toBeGreaterThan(fake.state.calls.findIndex((c) => c.startsWith('dynamic: ')));
    expect(storedKey()).toBe(redirectKey());
    expect(table().get('verdictTableKey')).toBe(redirectKey());
  });

  it('learns that the table is stored from its key alone, never reading the table back', async () => {
    await syncRules(async () => input(['khnp'], [exception('deepseek')]));
    expect(fake.state.calls).not.toContain(`get ${area} verdictTable`);
    expect(fake.state.calls).toContain(`get ${area} verdictTableKey`);
  });

  it('writes the table again when it went without its key (an older version stored it alone)', async () => {
    table().delete('verdictTableKey');
    await syncRules(async () => input(['khnp'], [exception('deepseek')]));
    expect(fake.state.calls).toContain(`set ${area} verdictTable,verdictTableKey`);
    expect(table().get('verdictTableKey')).toBe(storedKey());
  });

  it('does not store a table over its size bound, and removes the one stored', async () => {
    const big = { customMessage: 'x'.repeat(3_100_000) };
    await syncRules(async () => input(['kb-financial-group'], [], big));
    expect(table().has('verdictTable')).toBe(false);
    expect(table().has('verdictTableKey')).toBe(false);
    expect(fake.state.calls).not.toContain(`set ${area} verdictTable,verdictTableKey`);
    expect(redirectKey()).not.toBeNull();
  });

  it(`never writes a table to storage.${other}`, async () => {
    await syncRules(async () => input(['kb-financial-group'], []));
    fake.state.failSet = true;
    await syncRules(async () => input(['khnp'], []));
    expect(fake.state.areas[other].has('verdictTable')).toBe(false);
    expect(fake.state.areas[other].has('verdictTableKey')).toBe(false);
    expect(fake.state.calls.filter((c) => c.includes(` ${other} `))).toEqual([]);
  });

  it(target === 'firefox' ? "removes an older version's table from storage.local" : 'leaves storage.local to the sync', async () => {
    const old = { key: 'old', services: [], verdicts: {}, page: {} };
    fake.state.areas.local.set('verdictTable', old);
    await removeLocalVerdictTable();
    expect(fake.state.areas.local.has('verdictTable')).toBe(target === 'chrome');
  });
});
