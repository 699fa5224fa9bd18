/**
 * The enforcement status an administrator (or a helpdesk) reads on one
 * machine: what the extension read, what it enforces, and where it does not
 * run. The background gathers it from the live browser; this module only
 * shapes it and writes it as one text block to paste into a ticket. Pure and
 * zod-free; nothing here, or anywhere, sends it off the device.
 */
import type { DeviceContext } from '../core/device-context';
import type { ManagedFallback } from './managed-read';

/** The last rule sync and what it met (kept in storage.session). */
export interface SyncStatus {
  /** Epoch ms. */
  at: number;
  /** What started it: startup, settings, managed, proceed, expiry, … */
  reason: string;
  error: string | null;
  /** Rules it left in place; null when it failed. */
  dynamic: number | null;
  session: number | null;
}

export type SetBy = 'policy' | 'you';

export interface EnforcementStatus {
  /** Epoch ms the status was read. */
  readAt: number;
  version: string;
  browser: 'chrome' | 'firefox';
  /** management.getSelf().installType: 'admin' when installed by policy. */
  installType: string | null;
  managed: {
    present: boolean;
    /** The keys the browser handed over (or the fallback holds). */
    keys: string[];
    /** When the policy applied was seen (the last policy seen, or now). */
    seenAt: number | null;
    problems: string[];
    fallback: ManagedFallback | null;
  };
  profiles: { id: string; name: string; setBy: SetBy }[];
  profilesLocked: boolean;
  device: { context: DeviceContext; setBy: SetBy | null };
  rules: {
    installed: number;
    /** The hosts the installed rules stop (and their subdomains), sorted. */
    hosts: string[];
    digest: string;
    /** What the policy and settings in force compile to now. */
    expected: number;
    expectedDigest: string;
  };
  /** extension.isAllowedIncognitoAccess(): runs in private / incognito windows. */
  privateWindows: boolean;
  preconnect: { wanted: boolean; state: string; error: string | null };
  sync: SyncStatus | null;
}

export type Translate = (key: string, substitutions?: string[]) => string;

/** Rules in place are the ones the state in force compiles to. */
export function rulesMatch(status: EnforcementStatus): boolean {
  return status.rules.installed === status.rules.expected && status.rules.digest === status.rules.expectedDigest;
}

/** The one step that covers private windows, per browser. */
export function privateWindowStepKey(browser: EnforcementStatus['browser']): string {
  return browser === 'firefox' ? 'privateStepFirefox' : 'privateStepChrome';
}

const MAX_HOSTS_SHOWN = 40;

/** The status as lines of text, labels in the UI language, values as read (ids, keys, hosts stay as the browser has them). */
export function enforcementStatusLines(status: EnforcementStatus, t: Translate, time: (at: number) => string): string[] {
  const yes = t('statusYes');
  const no = t('statusNo');
  const by = (setBy: SetBy | null) => (setBy === 'policy' ? t('statusByPolicy') : setBy === 'you' ? t('statusByYou') : t('statusNotSet'));
  const lines: string[] = [];
  lines.push(t('statusTitle', [status.version, status.browser === 'firefox' ? 'Firefox' : 'Chrome', time(status.readAt)]));
  lines.push(`${t('statusInstalledByPolicy')}: ${status.installType === 'admin' ? yes : no} (${status.installType ?? '?'})`);
  const m = status.managed;
  lines.push(`${t('statusManaged')}: ${m.present ? t('statusManagedKeys', [String(m.keys.length), m.keys.join(', ')]) : t('statusManagedNone')}`);
  if (m.seenAt !== null && m.present) lines.push(`  ${t('statusManagedSeen')}: ${time(m.seenAt)}`);
  lines.push(
    `  ${t('statusFallback')}: ${
      m.fallback === null ? no : `${m.fallback.reason}${m.fallback.restrictive ? ` (${t('statusRestrictive')})` : ''}${m.fallback.detail ? `: ${m.fallback.detail}` : ''}`
    }`,
  );
  lines.push(`  ${t('statusProblems')}: ${m.problems.length}`);
  for (const problem of m.problems) lines.push(`    - ${problem}`);
  lines.push(
    `${t('statusProfiles')}: ${status.profiles.length === 0 ? t('statusNone') : status.profiles.map((p) => `${p.name} [${p.id}] (${by(p.setBy)})`).join('; ')}`,
  );
  lines.push(`  ${t('statusProfilesLocked')}: ${status.profilesLocked ? yes : no}`);
  lines.push(`${t('statusDevice')}: ${status.device.context} (${by(status.device.setBy)})`);
  const r = status.rules;
  lines.push(`${t('statusRules')}: ${r.installed}; ${t('statusDigest')} ${r.digest}`);
  lines.push(`  ${t('statusRulesExpected')}: ${r.expected}; ${t('statusDigest')} ${r.expectedDigest} (${rulesMatch(status) ? t('statusMatch') : t('statusMismatch')})`);
  const shown = r.hosts.slice(0, MAX_HOSTS_SHOWN);
  lines.push(`  ${t('statusHosts', [String(r.hosts.length)])}: ${shown.length === 0 ? t('statusNone') : shown.join(', ')}${r.hosts.length > shown.length ? ', …' : ''}`);
  lines.push(`${t('statusPrivate')}: ${status.privateWindows ? t('statusPrivateCovered') : `${t('statusPrivateNotCovered')} ${t(privateWindowStepKey(status.browser))}`}`);
  lines.push(`${t('statusPreconnect')}: ${status.preconnect.wanted ? yes : no} (${status.preconnect.state})${status.preconnect.error ? `: ${status.preconnect.error}` : ''}`);
  const s = status.sync;
  lines.push(
    `${t('statusSync')}: ${s === null ? t('statusNone') : `${time(s.at)} (${s.reason}); ${s.error === null ? t('statusNoError') : `${t('statusError')}: ${s.error}`}`}`,
  );
  return lines;
}

export function enforcementStatusText(status: EnforcementStatus, t: Translate, time: (at: number) => string): string {
  return `${enforcementStatusLines(status, t, time).join('\n')}\n`;
}
