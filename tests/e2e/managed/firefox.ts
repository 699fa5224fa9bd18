/**
 * Firefox with an enterprise `policies.json` in the installation's
 * distribution folder, launched through the shared harness
 * (tests/e2e/harness/firefox.ts).
 *
 * policies.json is read once, at start-up, by every Firefox on the machine.
 * So the file exists only while this Firefox starts (a file that was already
 * there is put back right after), and the extension is installed from a copy
 * with a gecko id of its own, the only id the policy names: a Firefox that
 * another suite starts meanwhile is not affected.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST_FIREFOX, launchFirefox, type FirefoxExtension, type FirefoxLaunchOptions } from '../harness/firefox';

/** `<installation>/distribution/policies.json` of this Firefox binary. */
export function policiesFileOf(executablePath: string): string {
  return path.join(path.dirname(realpathSync(executablePath)), 'distribution', 'policies.json');
}

/** A copy of dist/firefox (or of `source`) whose gecko id is unique to this run. */
export function copyWithOwnId(work: string, source: string = DIST_FIREFOX): string {
  const dist = path.join(work, 'extension');
  cpSync(source, dist, { recursive: true });
  const manifestPath = path.join(dist, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { browser_specific_settings: { gecko: { id: string } } };
  manifest.browser_specific_settings.gecko.id = `ai-policy-guard-e2e-${randomUUID().slice(0, 8)}@extension`;
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return dist;
}

export async function launchManagedFirefox(options: {
  executablePath: string;
  proxyPort: number;
  /** What goes under policies.3rdparty.Extensions[<gecko id>]. */
  policy: Record<string, unknown>;
  /**
   * Further keys of that policy given as JSON text, written into the file as
   * they are: for values Node's own JSON.stringify cannot write (nested
   * thousands of levels deep).
   */
  rawPolicyValues?: Record<string, string>;
  /**
   * Further top-level policies, given the gecko id and the copy's folder
   * (ExtensionSettings, say, to force-install a package made from it).
   */
  morePolicies?: (geckoId: string, dist: string, work: string) => Promise<Record<string, unknown>>;
  launch?: Pick<FirefoxLaunchOptions, 'install' | 'prefs' | 'startUrl'>;
  /** The build to copy; default dist/firefox. */
  source?: string;
}): Promise<FirefoxExtension> {
  const work = mkdtempSync(path.join(tmpdir(), 'ai-policy-guard-ff-managed-'));
  const dist = copyWithOwnId(work, options.source);
  const geckoId = (JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } })
    .browser_specific_settings.gecko.id;

  const file = policiesFileOf(options.executablePath);
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const base = previous ? (JSON.parse(previous) as { policies?: Record<string, unknown> }) : {};
  const policies = { ...(base.policies ?? {}) };
  const thirdParty = { ...((policies['3rdparty'] as { Extensions?: Record<string, unknown> } | undefined) ?? {}) };
  const raw = Object.entries(options.rawPolicyValues ?? {});
  const placeholders = Object.fromEntries(raw.map(([key], i) => [key, `raw-policy-value-${i}-${randomUUID()}`]));
  policies['3rdparty'] = { ...thirdParty, Extensions: { ...(thirdParty.Extensions ?? {}), [geckoId]: { ...options.policy, ...placeholders } } };
  Object.assign(policies, await options.morePolicies?.(geckoId, dist, work));
  mkdirSync(path.dirname(file), { recursive: true });
  let text = JSON.stringify({ ...base, policies }, null, 2);
  raw.forEach(([key, json]) => (text = text.replace(JSON.stringify(placeholders[key]), () => json)));
  writeFileSync(file, text);

  let ff: FirefoxExtension;
  try {
    ff = await launchFirefox({ executablePath: options.executablePath, proxyPort: options.proxyPort, dist, ...options.launch });
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  } finally {
    // Read at start-up: the file has done its work once Firefox runs.
    if (previous === null) rmSync(file, { force: true });
    else writeFileSync(file, previous);
  }
  return {
    ...ff,
    async close() {
      await ff.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
