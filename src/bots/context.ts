// The customer bot's context: which business the bot belongs to, the use cases' dependencies, and texts in the
// user's language with the business's own name for its points.
import type { Context } from 'grammy';
import type { AppDeps } from '../app/deps.js';
import { translate, langOf, type Lang, type MessageKey } from './i18n.js';

export interface KopilkaFlavor {
  kopilka: {
    deps: AppDeps;
    businessId: string;
    businessName: string;
    pointsName: string;
    lang: Lang;
    /** The card app as a Telegram Mini App for this bot (https only); null when there is no public https address. */
    cardUrl: string | null;
    t(key: MessageKey, params?: Record<string, string | number>): string;
  };
}

export type CustomerContext = Context & KopilkaFlavor;

export function kopilkaContext(
  deps: AppDeps,
  businessId: string,
  business: { name: string; pointsName: string },
  languageCode: string | undefined,
  cardUrl: string | null = null,
): KopilkaFlavor['kopilka'] {
  const lang = langOf(languageCode);
  return {
    deps,
    businessId,
    businessName: business.name,
    pointsName: business.pointsName,
    lang,
    cardUrl,
    t: (key, params = {}) => translate(lang, key, { points: business.pointsName, business: business.name, ...params }),
  };
}
