/**
 * The managed read (src/background/managed.ts) against a stand-in for the one
 * platform module: callers within a burst share one handing over of the
 * policy, a change the browser reports starts a new read at once, no reading
 * is reused past MANAGED_READ_REUSE_MS, and a failed read is not reused.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  const state = {
    managed: { lockProfiles: true, enabledProfiles: ['khnp'] } as Record<string, unknown>,
    managedGets: 0,
    failManaged: false,
    failLocal: false,
    local: new Map<string, unknown>(),
  };
  const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  const browser = {
    storage: {
      managed: {
        get: async () => {
          state.managedGets += 1;
          if (state.failManaged) throw new Error('Managed storage manifest not found');
          return copy(state.managed);
        },
      },
      local: {
        get: async (keys: string | string[]) => {
          if (state.failLocal) throw new Error('IO error: .../LOCK: No further details');
          const all = typeof keys === 'string' ? [keys] : keys;
          return Object.fromEntries(all.filter((k) => state.local.has(k)).map((k) => [k, copy(state.local.get(k))]));
        },
        set: async (items: Record<string, unknown>) => {
          for (const [k, v] of Object.entries(items)) state.local.set(k, copy(v));
        },
        remove: async (keys: string | string[]) => {
          for (const k of typeof keys === 'string' ? [keys] : keys) state.local.delete(k);
        },
      },
    },
    management: { getSelf: async () => ({ installType: 'admin' }) },
  };
  return { state, browser };
});

vi.mock('../../src/platform/browser', () => ({ browser: fake.browser }));

const { loadManagedValues, noteManagedChange, MANAGED_READ_REUSE_MS } = await import('../../src/background/managed');

describe('the managed read, shared within a burst', () => {
  let now = 1_000_000;
  beforeEach(async () => {
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    fake.state.failManaged = false;
    fake.state.failLocal = false;
    fake.state.managed = { lockProfiles: true, enabledProfiles: ['khnp'] };
    // A reported change ends whatever an earlier case left shared.
    await noteManagedChange({});
    fake.state.managedGets = 0;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('hands the policy over once for callers at once and just after', async () => {
    const [a, b] = await Promise.all([loadManagedValues(), loadManagedValues()]);
    now += 1_000;
    const c = await loadManagedValues();
    expect(fake.state.managedGets).toBe(1);
    expect(a.values).toEqual({ lockProfiles: true, enabledProfiles: ['khnp'] });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads afresh once the browser reports a change, and what it reads applies', async () => {
    await loadManagedValues();
    fake.state.managed = { lockProfiles: true, enabledProfiles: ['kakao'] };
    await noteManagedChange({ enabledProfiles: { newValue: ['kakao'] } });
    const after = await loadManagedValues();
    expect(fake.state.managedGets).toBe(2);
    expect(after.values).toEqual({ lockProfiles: true, enabledProfiles: ['kakao'] });
  });

  it(`reads afresh once the last read is ${MANAGED_READ_REUSE_MS} ms old, change reported or not`, async () => {
    await loadManagedValues();
    fake.state.managed = { lockProfiles: false };
    now += MANAGED_READ_REUSE_MS - 1;
    expect((await loadManagedValues()).values).toEqual({ lockProfiles: true, enabledProfiles: ['khnp'] });
    now += 1;
    expect((await loadManagedValues()).values).toEqual({ lockProfiles: false });
    expect(fake.state.managedGets).toBe(2);
  });

  it('a change reported while a read is under way is not answered by that read', async () => {
    const before = loadManagedValues();
    fake.state.managed = { lockProfiles: false };
    await noteManagedChange({ lockProfiles: { newValue: false } });
    const after = await loadManagedValues();
    await before;
    expect(fake.state.managedGets).toBe(2);
    expect(after.values).toEqual({ lockProfiles: false });
  });

  it('a read that failed is not shared once it has failed', async () => {
    fake.state.failLocal = true;
    await expect(loadManagedValues()).rejects.toThrow('IO error');
    fake.state.failLocal = false;
    expect((await loadManagedValues()).values).toEqual({ lockProfiles: true, enabledProfiles: ['khnp'] });
    expect(fake.state.managedGets).toBe(2);
  });
});
