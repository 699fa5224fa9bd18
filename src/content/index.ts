/**
 * Content script, injected at document_start on catalog hosts only (and by
 * the background into tabs open before install). The declarativeNetRequest
 * rules are the real barrier; this script covers what they cannot see:
 * single-page-app URL changes, back/forward-cache restores, proceed
 * exceptions that end while the page is open, and the quiet caution/notice
 * reminders. Every failure is silent.
 */
import type { VerdictResponse } from '../shared/protocol';
import { uiLanguageOf } from '../shared/i18n';
import { getMessage, getUILanguage, isContextAlive, onMessage, sendMessage } from '../platform/content-runtime';
import { createOverlay } from './overlay';
import { watchPromptActivity } from './prompt-activity';
import { reminderLines, type ReminderLine } from './reminders';
import { serviceName } from '../shared/service-name';
import { watchUrlChanges } from './url-watch';
import { isRecheckMessage } from '../shared/tab-messages';

/** Re-check a little after an exception ends, so the background surely sees it as ended. */
const EXPIRY_MARGIN_MS = 1000;
/** setTimeout fires at once for delays past 2^31 - 1 ms. */
const MAX_DELAY_MS = 2 ** 31 - 1;
const INSTANCE_KEY = '__aiPolicyGuardContent';

interface Instance {
  /** Re-checks; false when this instance's extension context is gone. */
  recheck(): boolean;
  stop(): void;
}


function start(): Instance {
  const lang = uiLanguageOf({ getUILanguage });
  const t = (key: string): string => getMessage(key) || key;
  const overlay = createOverlay(
    {
      brand: t('extName'),
      heading: { banner: t('contentBannerHeading'), note: t('contentNoteHeading'), toast: t('contentToastHeading') },
      dismiss: t('contentDismiss'),
    },
    lang,
  );
  let latest = 0;
  let caution: ReminderLine[] | null = null;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  let stopPromptWatch: (() => void) | undefined;
  /** The service the pre-profile note is up for in this document; null once closed. */
  let hintFor: string | null = null;

  /**
   * No organization of the person's restricts this service (often: none is
   * chosen yet). The background says whether to show the note; it claims the
   * note for this service for the session, so only the first page shows it.
   */
  async function offerHint(id: number, href: string, serviceId: string): Promise<void> {
    const hint = await sendMessage('getProfileHint', { url: href });
    if (id !== latest) return;
    if (hint.show === 'no' || (hint.show === 'shown' && hintFor !== serviceId)) {
      overlay.clearHint();
      hintFor = null;
      return;
    }
    hintFor = serviceId;
    const count = String(hint.count);
    overlay.hint({
      text: getMessage(hint.count === 1 ? 'contentHintOne' : 'contentHintMany', [count, serviceName({ name: hint.service, nameKo: hint.serviceKo }, lang), t('extName')]),
      choose: { label: t('contentHintChoose'), run: () => void sendMessage('openProfileList', {}).catch(() => undefined) },
      never: { label: t('contentHintNever'), run: () => void sendMessage('turnOffProfileHint', {}).catch(() => undefined) },
      closed: () => {
        hintFor = null;
      },
    });
  }

  function setCaution(lines: ReminderLine[] | null): void {
    caution = lines;
    if (lines) {
      stopPromptWatch ??= watchPromptActivity(() => {
        if (!isContextAlive()) instance.stop();
        else if (caution) overlay.toast(caution);
      });
    } else {
      stopPromptWatch?.();
      stopPromptWatch = undefined;
    }
  }

  function apply({ verdict, exceptionExpiresAt }: VerdictResponse, href: string, id: number): void {
    clearTimeout(expiryTimer);
    const { level } = verdict;
    const lines = reminderLines(verdict, lang, t('contentReminderFallback'), (key, subs) => getMessage(key, subs) || key);
    setCaution(level === 'caution' ? lines : null);
    if (level === 'caution' || level === 'notice') {
      overlay.show(level === 'caution' ? 'banner' : 'note', lines);
      return;
    }
    overlay.clear();
    if (level === 'none' && verdict.service !== null) {
      void offerHint(id, href, verdict.service.id).catch(() => undefined);
      return;
    }
    if (level !== 'block' && level !== 'warn') return;
    const remaining = exceptionExpiresAt === null ? 0 : exceptionExpiresAt - Date.now();
    if (remaining > 0) {
      expiryTimer = setTimeout(check, Math.min(remaining + EXPIRY_MARGIN_MS, MAX_DELAY_MS));
    } else {
      // The background sends this tab to the warning: the page can neither see
      // nor cancel a navigation the browser starts (src/background/warning-messages.ts).
      void sendMessage('sendTabToWarning', { url: href }).catch(() => undefined);
    }
  }

  async function check(): Promise<void> {
    if (!isContextAlive()) return instance.stop();
    const id = ++latest;
    const href = location.href;
    try {
      const response = await sendMessage('getVerdict', { url: href });
      // A newer check (SPA navigation, recheck message) has the last word.
      if (id === latest) apply(response, href, id);
    } catch {
      // The background is unreachable or refused: the DNR rules still stand.
    }
  }

  const recheck = (): void => void check();
  const onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) recheck();
  };
  window.addEventListener('pageshow', onPageShow);
  const stopUrlWatch = watchUrlChanges(recheck);
  const stopMessages = onMessage((message) => {
    if (!isRecheckMessage(message)) return undefined;
    recheck();
    return { ok: true };
  });

  const instance: Instance = {
    recheck() {
      if (!isContextAlive()) return false;
      recheck();
      return true;
    },
    stop() {
      latest += 1;
      clearTimeout(expiryTimer);
      setCaution(null);
      overlay.clear();
      window.removeEventListener('pageshow', onPageShow);
      stopUrlWatch();
      try {
        stopMessages();
      } catch {
        // The context is already gone, and its listeners with it.
      }
    },
  };
  recheck();
  return instance;
}

// The background injects this file into tabs that were open before install;
// where the manifest already injected it, the running copy just re-checks.
// A copy left behind by an extension update or reload is replaced.
const scope = globalThis as typeof globalThis & { [INSTANCE_KEY]?: Instance };
const running = scope[INSTANCE_KEY];
if (!running?.recheck()) {
  running?.stop();
  scope[INSTANCE_KEY] = start();
}
