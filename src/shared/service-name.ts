/**
 * A service's name in the UI language: Korean media write 딥시크, 챗GPT, 뤼튼,
 * so a Korean page does too, wherever the catalog gives a Korean name.
 */
import type { UiLanguage } from './i18n';

export interface NamedService {
  name: string;
  nameKo?: string;
}

export function serviceName(service: NamedService, lang: UiLanguage): string {
  return lang === 'ko' && service.nameKo ? service.nameKo : service.name;
}
