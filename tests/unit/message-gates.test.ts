/**
 * Every message kind names its gate (src/shared/message-gates.ts), and the
 * background's handlers match: each kind that lowers a decision calls
 * `passGate` under its own name, and no other kind does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGE_GATES } from '../../src/shared/message-gates';
import { MESSAGE_KINDS } from '../../src/shared/protocol-kinds';

const BACKGROUND = 'src/background';
const sources = readdirSync(BACKGROUND)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(path.join(BACKGROUND, f), 'utf8'))
  .join('\n');

/** Kinds named in a `passGate('<kind>'` call, or `passGate(kind` inside a handler shared by named kinds. */
const gated = new Set([...sources.matchAll(/passGate\('([A-Za-z]+)'/g)].map((m) => m[1]));
const shared = [...sources.matchAll(/async function \w+\(kind: ((?:'[A-Za-z]+'(?: \| )?)+)/g)].flatMap((m) => [...m[1]!.matchAll(/'([A-Za-z]+)'/g)].map((k) => k[1]!));
if (/passGate\(kind,/.test(sources)) for (const kind of shared) gated.add(kind);

describe('MESSAGE_GATES', () => {
  it('names every message kind', () => {
    expect(Object.keys(MESSAGE_GATES).sort()).toEqual([...MESSAGE_KINDS].sort());
  });

  it.each(Object.entries(MESSAGE_GATES))('%s: the background handler matches the table', (kind, gate) => {
    expect(gated.has(kind), gate.lowers === false ? `${kind} ${gate.because}, yet calls passGate` : `${kind} lowers (${gate.lowers}) but never calls passGate`).toBe(
      gate.lowers !== false,
    );
  });

  it('the kinds that lower a decision are the ones this audit found', () => {
    const lowering = Object.entries(MESSAGE_GATES)
      .filter(([, g]) => g.lowers !== false)
      .map(([k]) => k)
      .sort();
    expect(lowering).toEqual([
      'applyExceptionToken',
      'importCustomPolicies',
      'proceedAnyway',
      'removeCustomOrganization',
      'resetAll',
      'setDeviceContext',
      'setProfileEnabled',
      'updateSettings',
    ]);
  });
});
