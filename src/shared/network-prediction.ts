/**
 * "Turn off pre-connecting": the person's choice, the administrator's word on
 * it, and what the browser reports back, put together into one state the
 * popup and the options page can explain. Pure and free of validation
 * libraries: the background applies it at every start
 * (src/background/network-prediction.ts), so it must stay cheap to load.
 *
 * Why the setting exists: a declarativeNetRequest redirect stops the HTTP
 * request, but the browser's network prediction opens TCP connections (and,
 * for https, sends a TLS hello naming the host) to a banned site before the
 * redirect, as the navigation starts or when a link is pointed at. Measured in
 * tests/e2e/connections.e2e.ts with the rules on and default settings:
 * Chromium 156 opened 2 connections for a typed address, 3 for a clicked
 * link, 2 for window.open, 1 for a page's `<link rel=preconnect>`; Firefox ESR
 * 153 opened 1 for a hovered or clicked link and 1 for a preconnect hint, 0
 * for a typed address or window.open. With network prediction turned off
 * through `privacy.network.networkPredictionEnabled`, 0 in every case in both.
 * The cost: no pre-connecting, DNS prefetching or preloading on any site,
 * which is why it is a choice and not the default.
 */
/** storage.local value: what the person chose on the options page. */
export interface PreconnectChoice {
  /** True: keep the browser's network prediction off. */
  preventPreconnect: boolean;
}

export const DEFAULT_PRECONNECT_CHOICE: PreconnectChoice = { preventPreconnect: false };

/** Reads the stored choice; anything unreadable is the default (off), reported. */
export function readPreconnectChoice(raw: unknown): { value: PreconnectChoice; recovered: string | null } {
  if (raw === undefined) return { value: DEFAULT_PRECONNECT_CHOICE, recovered: null };
  // Exactly `{ preventPreconnect: boolean }`, nothing else: one key is not worth a schema library.
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const keys = Object.keys(raw);
    const value = (raw as Record<string, unknown>).preventPreconnect;
    if (keys.length === 1 && keys[0] === 'preventPreconnect' && typeof value === 'boolean') return { value: { preventPreconnect: value }, recovered: null };
  }
  return { value: DEFAULT_PRECONNECT_CHOICE, recovered: 'preconnect: unreadable, turned off' };
}

/** What applies: the administrator's value wins and locks the option. */
export function wantedPreconnectProtection(choice: PreconnectChoice, managed: boolean | undefined): { wanted: boolean; locked: boolean } {
  return { wanted: managed ?? choice.preventPreconnect, locked: managed !== undefined };
}

/** `types.ChromeSetting` levels of control, as both browsers name them. */
export type LevelOfControl =
  | 'not_controllable'
  | 'controlled_by_other_extensions'
  | 'controllable_by_this_extension'
  | 'controlled_by_this_extension';

/** `privacy.network.networkPredictionEnabled.get({})`: value true means the browser predicts. */
export interface PredictionReading {
  levelOfControl: LevelOfControl;
  value: boolean;
}

export type PreconnectState =
  /** Not asked for: the browser's own setting applies. */
  | 'off'
  /** Asked for, but the permission to change privacy settings has not been given. */
  | 'needs-permission'
  /** This extension keeps network prediction off. */
  | 'on'
  /** Prediction is off, and something else controls it too (a browser policy, another extension). */
  | 'on-elsewhere'
  /** Refused: a browser policy keeps network prediction on. */
  | 'refused-policy'
  /** Refused: another extension controls the setting and keeps prediction on. */
  | 'refused-extension'
  /** This browser has no such setting, or changing it failed. */
  | 'unavailable';

export interface PreconnectStatus {
  /** The protection applies: the administrator asked for it or the person chose it. */
  wanted: boolean;
  /** The person's own choice (shown when nothing is locked). */
  chosen: boolean;
  /** Set by the administrator's policy; the person cannot change it. */
  locked: boolean;
  /** The optional `privacy` permission is granted. */
  permission: boolean;
  state: PreconnectState;
  /** What the browser reported, when it could be read. */
  reading: PredictionReading | null;
  /** Why the setting could not be changed, in the browser's words. */
  error: string | null;
}

/**
 * The state, from what was wanted and what the browser answered after the
 * background applied it. The value is what counts: Firefox reports
 * `not_controllable` as soon as ANY of its prefs is locked (its
 * `NetworkPrediction` policy locks only the DNS-prefetch ones) while our
 * change to the others still took effect, so a `false` value under any level
 * of control means "off".
 */
export function preconnectState(input: {
  wanted: boolean;
  permission: boolean;
  reading: PredictionReading | null;
  failed: boolean;
}): PreconnectState {
  const { wanted, permission, reading, failed } = input;
  if (!wanted) return 'off';
  if (!permission) return 'needs-permission';
  if (reading === null || failed) return 'unavailable';
  if (!reading.value) return reading.levelOfControl === 'controlled_by_this_extension' ? 'on' : 'on-elsewhere';
  if (reading.levelOfControl === 'not_controllable') return 'refused-policy';
  if (reading.levelOfControl === 'controlled_by_other_extensions') return 'refused-extension';
  return 'unavailable';
}

const LEVELS: ReadonlySet<string> = new Set<LevelOfControl>([
  'not_controllable',
  'controlled_by_other_extensions',
  'controllable_by_this_extension',
  'controlled_by_this_extension',
]);

/** Checks what `ChromeSetting.get` returned; anything else is no reading at all. */
export function asPredictionReading(raw: unknown): PredictionReading | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { levelOfControl, value } = raw as { levelOfControl?: unknown; value?: unknown };
  if (typeof levelOfControl !== 'string' || !LEVELS.has(levelOfControl) || typeof value !== 'boolean') return null;
  return { levelOfControl: levelOfControl as LevelOfControl, value };
}
