/**
 * The claims ledger: every sentence the extension can show about an
 * organization, for every organization × service × device answer, worded by
 * the extension's own code (the decider, the verdict view and the same text
 * functions the warning page, the popup and the page banners call), each fact
 * line marked with the article sentences it rests on; then every UI message.
 * A reviewer reads claims here, not templates. Pure: `scripts/claims.ts`
 * writes it to docs/claims/<lang>.md and tests/unit/claims-ledger.test.ts
 * fails when the checked-in copy is stale.
 */
import { reminderLines } from '../src/content/reminders';
import { createDecider } from '../src/core/decide';
import { DEVICE_CONTEXTS, type DeviceContext } from '../src/core/device-context';
import { isStoppingLevel } from '../src/core/policy-enums';
import type { OrganizationPolicy, PolicyBundle, Service, SourcedText } from '../src/core/policy-schema';
import { buildVerdictView, type CitationView, type VerdictView } from '../src/core/verdict-view';
import { groupByNotice } from '../src/pages/interstitial/citations';
import { ledeKey } from '../src/shared/arrival';
import { formatReportDay } from '../src/shared/data-age';
import { applicabilityText, categoryText } from '../src/shared/device-text';
import { pickText, type UiLanguage } from '../src/shared/i18n';
import { scopeKey, sectorKey, statusKey } from '../src/shared/policy-text';
import { serviceName } from '../src/shared/service-name';
import { citationBadgeKey, explainKey, headingKey, responsibilityKey, verdictBadgeKey } from '../src/shared/verdict-text';

export type Translate = (key: string, substitutions?: string[]) => string;

export const CLAIMS_COMMAND = 'npm run claims';

const HEAD: Record<
  UiLanguage,
  { title: string; intro: string; sentences: string; device: Record<DeviceContext, string>; shared: string; all: string }
> = {
  en: {
    title: 'Claims ledger (English)',
    intro:
      'Every sentence AI Policy Guard can show about an organization, for each service it has a rule on and each answer to "Where is this browser?", worded by the extension’s own code from `policies/` and `public/_locales/en/messages.json`. A line marked [A1] rests on the article sentence A1 listed under its organization, quoted from `seeds/` word for word. The age of a report is computed when a page is shown and appears here as ‹time since›. Services whose lines differ only by their name are listed together, with ‹service› for the name.',
    sentences: 'Article sentences',
    device: { work: 'Work device', personal: 'My own device', unsaid: 'Not said' },
    shared: 'Lines on every warning',
    all: 'Every UI message',
  },
  ko: {
    title: '주장 목록 (한국어)',
    intro:
      'AI 정책 가드가 기관에 관해 보여 줄 수 있는 모든 문장을, 규칙이 있는 서비스마다, ‘이 브라우저를 어떤 기기에서 사용합니까?’의 답마다, 확장 프로그램 자체 코드로 `policies/`와 `public/_locales/ko/messages.json`에서 만들어 실었습니다. [A1]이 붙은 줄은 해당 기관 아래에 `seeds/`에서 그대로 옮긴 기사 문장 A1에 근거합니다. 보도 이후 지난 기간은 페이지를 표시할 때 계산되므로 여기서는 ‹경과 기간›으로 적었습니다. 이름만 다른 서비스는 함께 묶고 이름 자리에 ‹서비스›를 적었습니다.',
    sentences: '기사 문장',
    device: { work: '업무용 기기', personal: '개인 기기', unsaid: '정하지 않음' },
    shared: '모든 경고에 나오는 문장',
    all: 'UI 메시지 전체',
  },
};

const LABELS_EN = {
    heading: 'Warning heading',
    lede: 'Warning, first sentence',
    ledeOpenTab: 'Warning, first sentence (a tab open before the change)',
    ledeInPage: 'Warning, first sentence (a page that had opened)',
    ask: 'Warning asks',
    card: 'Card',
    scope: 'Scope',
    device: 'This device',
    category: 'Service',
    reminder: 'Reminder',
    personalUse: 'Personal use',
    reasons: 'Reason',
    context: 'Context',
    status: 'Status',
    reported: 'Reported',
    data: 'Where its data is stored',
    statement: 'Statement to tick before proceeding',
    popup: 'Popup',
    popupLine: 'Popup, under the organization',
    banner: 'Banner on the page',
    note: 'Note on the page',
    toast: 'After a paste or a send',
    nothing: 'Nothing is shown: the rule does not reach this device.',
    caveat: 'Under the citations',
    generic: 'generative AI',
};

const LABELS: Record<UiLanguage, Record<keyof typeof LABELS_EN, string>> = {
  en: LABELS_EN,
  ko: {
    heading: '경고 제목',
    lede: '경고 첫 문장',
    ledeOpenTab: '경고 첫 문장(변경 전에 열려 있던 탭)',
    ledeInPage: '경고 첫 문장(이미 열린 페이지)',
    ask: '경고의 질문',
    card: '카드',
    scope: '적용 범위',
    device: '이 기기',
    category: '서비스',
    reminder: '안내',
    personalUse: '개인 사용',
    reasons: '사유',
    context: '배경',
    status: '상태',
    reported: '보도',
    data: '데이터 저장 위치',
    statement: '계속 진행 전 확인 문장',
    popup: '팝업',
    popupLine: '팝업, 기관 아래',
    banner: '페이지 배너',
    note: '페이지 안내',
    toast: '붙여 넣거나 보낸 뒤',
    nothing: '표시되는 것이 없습니다. 규칙이 이 기기에 해당하지 않습니다.',
    caveat: '인용 아래',
    generic: '생성형 AI',
  },
};

const SERVICE_MARK: Record<UiLanguage, string> = { en: '‹service›', ko: '‹서비스›' };
const AGE_MARK: Record<UiLanguage, string> = { en: '‹time since›', ko: '‹경과 기간›' };

/** The article sentences an organization's lines rest on, numbered A1, A2… in notice order. */
interface SentenceIndex {
  list: { id: string; text: SourcedText }[];
  ref(text: string): string;
}

function indexSentences(org: OrganizationPolicy, services: readonly Service[]): SentenceIndex {
  const list: { id: string; text: SourcedText }[] = [];
  const add = (text: SourcedText) => {
    if (!list.some((s) => s.text.text === text.text)) list.push({ id: `A${list.length + 1}`, text });
  };
  for (const notice of org.notices) {
    if (notice.title) add(notice.title);
    for (const quote of notice.quotes) add(quote);
    for (const item of notice.context ?? []) add(item);
  }
  // The data location is shown on the warning page only: where this organization stops the service.
  for (const service of services) {
    const stops = org.rules.some(
      (r) => isStoppingLevel(r.level) && ('service' in r.target ? r.target.service === service.id : r.target.category === service.category),
    );
    if (service.dataLocation && stops) add(service.dataLocation.quote);
  }
  return {
    list,
    ref: (text) => list.find((s) => s.text.text === text)?.id ?? '?',
  };
}

const refs = (ids: readonly string[]): string => ` [${[...new Set(ids)].join(', ')}]`;

/** The lines shown for one organization, one service, one device answer. */
function verdictLines(v: VerdictView, lang: UiLanguage, t: Translate, sentences: SentenceIndex): string[] {
  const L = LABELS[lang];
  if (v.level === 'none' || v.citations.length === 0) return [`- ${L.nothing}`];
  const service = v.service ? serviceName(v.service, lang) : '';
  const lines: string[] = [];
  const line = (label: string, text: string, rests: readonly string[] = []) =>
    lines.push(`- ${label}: ${text}${rests.length > 0 ? refs(rests) : ''}`);
  const stopping = isStoppingLevel(v.level);

  if (stopping) {
    line(L.heading, t(headingKey(v.level === 'block' ? 'block' : 'warn', v.citations), [service]));
    if (v.service?.dataLocation) {
      line(L.data, pickText(v.service.dataLocation.summary, lang), [sentences.ref(v.service.dataLocation.quote.text)]);
    }
    if (v.citations.some((c) => c.rules.some((r) => r.applies === 'unsaid'))) line(L.ask, t('interstitialDeviceAsk'));
  }
  for (const citation of v.citations) lines.push(...citationLines(citation, v, lang, t, sentences, stopping));
  if (stopping) {
    line(L.statement, v.level === 'warn' ? t('interstitialAckNotForWork') : t(responsibilityKey(v.citations)));
  }
  line(L.popup, `[${t(verdictBadgeKey(v.level, v.citations))}] ${t(explainKey(v.level, v.citations))}`);
  if (!stopping) {
    const kind = v.level === 'caution' ? 'banner' : 'note';
    const heading = t(kind === 'banner' ? 'contentBannerHeading' : 'contentNoteHeading');
    const shown = reminderLines(v, lang, t('contentReminderFallback'), t).map((r) => `**${r.organization}**${r.text}`);
    line(L[kind], `${heading} ${shown.join(' / ')}`, v.citations.flatMap((c) => c.rules.flatMap((r) => r.notice.quotes.map((q) => sentences.ref(q.text)))));
    if (kind === 'banner') line(L.toast, t('contentToastHeading'));
  }
  return lines;
}

function citationLines(
  citation: CitationView,
  v: VerdictView,
  lang: UiLanguage,
  t: Translate,
  sentences: SentenceIndex,
  stopping: boolean,
): string[] {
  const L = LABELS[lang];
  const name = pickText(citation.organization.name, lang);
  const service = v.service ? serviceName(v.service, lang) : '';
  const lines: string[] = [`- ${L.card}: **${name}** [${t(citationBadgeKey(citation))}]`];
  const sub = (label: string, text: string, rests: readonly string[] = []) =>
    lines.push(`  - ${label}: ${text}${rests.length > 0 ? refs(rests) : ''}`);
  for (const group of groupByNotice(citation.rules)) {
    const { notice, source } = group;
    const rests = notice.quotes.map((q) => sentences.ref(q.text));
    if (stopping) {
      for (const text of new Set(group.rules.map((r) => t(scopeKey(r.scope, r.level))))) sub(L.scope, text, rests);
      if (notice.personalUse) {
        const says = notice.personalUse.sourceSays;
        const shown = lang === 'ko' && notice.personalUse.ko ? `“${says}” (${t('interstitialTranslationLabel')}: ${notice.personalUse.ko})` : `“${says}”`;
        sub(L.personalUse, `${t('interstitialPersonalUse')} ${shown}`, notice.quotes.filter((q) => q.text.includes(says)).map((q) => sentences.ref(q.text)));
      }
    }
    for (const text of new Set(group.rules.map((r) => applicabilityText(r, name, service, t)))) sub(stopping ? L.device : L.popupLine, text, rests);
    for (const text of new Set(group.rules.flatMap((r) => categoryText(r, service, t) ?? []))) sub(L.category, text, rests);
    if (stopping) {
      for (const text of new Set(group.rules.flatMap((r) => (r.reminder ? [pickText(r.reminder, lang)] : [])))) sub(L.reminder, text, rests);
      for (const reason of notice.reasons) sub(L.reasons, pickText(reason, lang), rests);
      for (const item of notice.context ?? []) sub(L.context, pickText(item.about, lang), [sentences.ref(item.text)]);
      sub(L.status, t(statusKey(notice.status)), rests);
    }
    sub(L.reported, t('dataAgeReported', [formatReportDay(source.date, lang), AGE_MARK[lang]]));
  }
  return lines;
}

/** Services an organization has a rule on, directly or through their category, in catalog order. */
function servicesOf(org: OrganizationPolicy, bundle: PolicyBundle): Service[] {
  return bundle.services.filter((s) =>
    org.rules.some((r) => ('service' in r.target ? r.target.service === s.id : r.target.category === s.category)),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function renderLedger(bundle: PolicyBundle, lang: UiLanguage, t: Translate, messages: Record<string, { message: string }>): string {
  const head = HEAD[lang];
  const decider = createDecider(bundle);
  const out: string[] = [
    `# ${head.title}`,
    '',
    `<!-- Generated by \`${CLAIMS_COMMAND}\` (scripts/claims.ts). Do not edit: change policies/, the messages or the wording code, then run it again. -->`,
    '',
    head.intro,
    '',
  ];
  let sector = '';
  for (const org of bundle.organizations) {
    if (org.sector !== sector) {
      sector = org.sector;
      out.push(`## ${t(sectorKey(org.sector))}`, '');
    }
    const services = servicesOf(org, bundle);
    const sentences = indexSentences(org, services);
    out.push(`### ${pickText(org.name, lang)} (\`${org.id}\`)`, '', `${head.sentences}:`, '');
    for (const { id, text } of sentences.list) {
      out.push(`- ${id}: “${text.text}”`);
      if (lang === 'ko' && text.ko) out.push(`  - ${t('interstitialTranslationLabel')}: ${text.ko}`);
    }
    out.push('');
    // Services whose lines differ only by the service's name are listed once.
    const blocks = new Map<string, string[]>();
    for (const service of services) {
      const name = serviceName(service, lang);
      const url = `https://${service.hosts[0]!.host}/`;
      // Device answers that show the same lines are listed together.
      const byLines = new Map<string, DeviceContext[]>();
      for (const context of DEVICE_CONTEXTS) {
        const v = buildVerdictView(
          bundle,
          decider.decideForUrl(url, { enabledOrganizations: [org.id], allowProceedOnBlock: true, deviceContext: context }),
        );
        const lines = verdictLines(v, lang, t, sentences).join('\n');
        byLines.set(lines, [...(byLines.get(lines) ?? []), context]);
      }
      const body: string[] = [];
      for (const [lines, contexts] of byLines) body.push(`**${contexts.map((c) => head.device[c]).join(' · ')}**`, '', lines, '');
      const key = body.join('\n').replace(new RegExp(escapeRegExp(name), 'g'), SERVICE_MARK[lang]);
      const names = blocks.get(key) ?? [];
      names.push(name);
      blocks.set(key, names);
    }
    for (const [body, names] of blocks) {
      const title = names.length === 1 ? names[0]! : `${names.join(', ')} (${SERVICE_MARK[lang]})`;
      out.push(`#### ${title}`, '', names.length === 1 ? body.replaceAll(SERVICE_MARK[lang], names[0]!) : body);
    }
  }
  const L = LABELS[lang];
  out.push(`## ${head.shared}`, '');
  for (const [label, key] of [
    [L.lede, ledeKey('redirect')],
    [L.ledeOpenTab, ledeKey('open-tab')],
    [L.ledeInPage, ledeKey('in-page')],
    [L.caveat, 'dataAgeMayHaveChanged'],
  ] as const) {
    out.push(`- ${label}: ${t(key)}`);
  }
  out.push('');
  out.push(`## ${head.all}`, '');
  for (const [key, entry] of Object.entries(messages)) out.push(`- \`${key}\`: ${entry.message.replace(/\n/g, ' ')}`);
  out.push('');
  return out.join('\n');
}
