/**
 * Storage key names, kept free of zod so that pages which only watch a key
 * do not bundle the schema library. settings.ts lists each key's schema.
 */
/** storage.local key holding Settings. */
export const SETTINGS_KEY = 'settings';
/** storage.local key set when stored data had to be replaced by defaults. */
export const STORAGE_NOTICE_KEY = 'storageNotice';
/** storage.session key holding ProceedException[] (cleared when the browser closes). */
export const EXCEPTIONS_KEY = 'proceedExceptions';
/** storage.local key holding the custom organization policies. */
export const CUSTOM_POLICIES_KEY = 'customPolicies';
/** storage.local key holding the local activity log. */
export const ACTIVITY_LOG_KEY = 'activityLog';
/** storage.local key holding ActivityDrops (src/shared/activity-log.ts): how many entries the cap pushed out, and when. */
export const ACTIVITY_DROPS_KEY = 'activityLogDrops';
/** storage.local key holding PreconnectChoice (src/shared/network-prediction.ts). */
export const PRECONNECT_KEY = 'preconnect';
/**
 * storage.local key holding LastSeenPolicy (src/shared/managed-read.ts): the
 * last managed policy the browser handed over, kept so that an early empty
 * or failed read of storage.managed does not lift the administrator's rules.
 */
export const MANAGED_LAST_SEEN_KEY = 'managedLastSeen';
/**
 * storage.local key holding the SHA-256 of the last policy seen (written with
 * it, in the same call): a start-up that reads the same policy again learns so
 * without reading the whole copy back.
 */
export const MANAGED_LAST_SEEN_DIGEST_KEY = 'managedLastSeenDigest';
/** storage.session key: services the "choose your organization" note was shown for in this browser session. */
export const PROFILE_HINT_SHOWN_KEY = 'profileHintShown';
/** storage.session key holding the times a message last opened a tab (src/shared/tab-open-limit.ts). */
export const TAB_OPENS_KEY = 'tabOpens';
/** storage.session key holding SyncStatus (src/shared/enforcement-status.ts): the last rule sync and any error it met. */
export const SYNC_STATUS_KEY = 'ruleSyncStatus';
/** storage.session key holding WarningsSeen (src/shared/warning-dedupe.ts): one log entry per stopped navigation. */
export const WARNINGS_SEEN_KEY = 'warningsSeen';
/**
 * Key of the VerdictTable (src/core/verdict-table.ts) the current redirect
 * rules were built with: the interstitial reads it without waking the
 * background. In storage.local in Chrome, storage.session in Firefox
 * (verdictTableArea, src/platform/storage-access.ts).
 */
export const VERDICT_TABLE_KEY = 'verdictTable';
/**
 * Beside the table, in the same area and written in the same call: the
 * table's own key alone, so a rule sync learns whether the table it would
 * write is stored without reading the whole table back (hundreds of KB with a
 * large managed policy, read while a warning page may be reading it too).
 */
export const VERDICT_TABLE_KEY_KEY = 'verdictTableKey';
/**
 * storage.local key holding this install's device code (XXXX-XXXX, src/core/exception-token.ts):
 * random, made once, shown on the options page for the person to send with a request.
 */
export const DEVICE_CODE_KEY = 'deviceCode';
/** storage.local key holding StoredGrant[] (src/background/signed-exceptions.ts): the signed exceptions pasted here. */
export const SIGNED_EXCEPTIONS_KEY = 'signedExceptions';
/**
 * storage.local key holding NoticeRecords (src/core/notice-lifecycle.ts): the version of
 * each administrator's notice last seen here, the one before it, and the one acknowledged.
 */
export const NOTICE_RECORDS_KEY = 'noticeRecords';
/**
 * storage.session key holding the host names whose service workers were last
 * removed (src/background/site-workers.ts): a host that stays stopped needs no
 * second removal in the same browser session.
 */
export const SITE_WORKERS_REMOVED_KEY = 'siteWorkersRemoved';
