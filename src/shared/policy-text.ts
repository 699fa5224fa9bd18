/** Maps policy enums to message keys in _locales, so every page words them alike. */
import type { Level, NoticeStatus, Scope, Sector } from '../core/policy-schema';
import type { DecisionLevel } from '../core/decision-types';

const LEVEL_KEYS: Record<DecisionLevel, string> = {
  block: 'levelBlock',
  warn: 'levelWarn',
  caution: 'levelCaution',
  notice: 'levelNotice',
  none: 'levelNone',
};

const STATUS_KEYS: Record<NoticeStatus, string> = {
  'in-force': 'statusInForce',
  'limited-or-will-limit': 'statusLimitedOrWillLimit',
  announced: 'statusAnnounced',
  considering: 'statusConsidering',
  monitoring: 'statusMonitoring',
  inquiry: 'statusInquiry',
};

const SECTOR_KEYS: Record<Sector, string> = {
  company: 'sectorCompany',
  financial: 'sectorFinancial',
  government: 'sectorGovernment',
  'foreign-government': 'sectorForeignGovernment',
};

const SCOPE_KEYS: Record<Scope, string> = {
  'work-tasks': 'scopeWorkTasks',
  'company-network': 'scopeCompanyNetwork',
  'external-network': 'scopeExternalNetwork',
  'office-devices': 'scopeOfficeDevices',
  'government-devices': 'scopeGovernmentDevices',
  'app-markets': 'scopeAppMarkets',
  'personal-computers': 'scopePersonalComputers',
  unspecified: 'scopeUnspecified',
};

export const levelKey = (level: DecisionLevel): string => LEVEL_KEYS[level];
export const statusKey = (status: NoticeStatus): string => STATUS_KEYS[status];
export const sectorKey = (sector: Sector): string => SECTOR_KEYS[sector];

/**
 * "Use for work tasks is banned" is only true of a ban; a notice or caution
 * about work tasks is worded as a concern instead. Neither says anything of
 * personal use: only a notice that says so does (`notice.personalUse`).
 */
export function scopeKey(scope: Scope, level: Level): string {
  if (scope === 'work-tasks' && (level === 'notice' || level === 'caution')) return 'scopeWorkTasksConcern';
  return SCOPE_KEYS[scope];
}
