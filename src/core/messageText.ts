// What a message says when it is sent: the business's template (or the default) for its kind and language, filled
// with the member's name, points and balance as they are at that moment.
import type { Language } from './notificationSettings.js';
import { DEFAULT_TEMPLATES, renderTemplate, type MessageKind } from './messageTemplates.js';
import type { NotificationSettings } from './notificationSettings.js';
import type { MessageType } from './messages.js';

/** 'YYYY-MM-DD' as the member reads dates: 15.03.2026 in Russian, 15 Mar 2026 in English. */
export function formatLocalDate(date: string, lang: Language): string {
  const [y, m, d] = date.split('-');
  if (lang === 'ru') return `${d}.${m}.${y}`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(d)} ${months[Number(m) - 1] ?? m} ${y}`;
}

export const memberLanguage = (language: string | null, settings: NotificationSettings): Language => (language === 'ru' || language === 'en' ? language : settings.language);

/** How a member without a name is addressed. */
export const FALLBACK_NAME: Readonly<Record<Language, string>> = { ru: 'Дорогой клиент', en: 'Dear customer' };

/** A card sign-in link sent by staff ({token} one-time, valid {minutes}); not a template the business edits. */
export const SIGN_IN_LINK_TEXT: Readonly<Record<Language, string>> = {
  ru: '{business}: ссылка для входа в вашу карту — {cardUrl}#signin={token}\nОна работает один раз в течение {minutes} мин. Если вы не просили её, просто не открывайте.',
  en: '{business}: your card sign-in link — {cardUrl}#signin={token}\nIt works once, within {minutes} minutes. If you did not ask for it, just ignore it.',
};

/** The text of a template kind, or of a fixed text (broadcasts may use the common variables; chat replies go as written). */
export function messageText(kind: MessageType, fixed: string | null, settings: NotificationSettings, lang: Language, vars: Readonly<Record<string, string | number>>): string {
  if (kind === 'chat') return fixed ?? '';
  if (kind === 'sign_in_link') return SIGN_IN_LINK_TEXT[lang].replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] === undefined ? m : String(vars[k])));
  if (kind === 'broadcast') return renderTemplate('broadcast', fixed ?? '', vars);
  const template = settings.templates[lang]?.[kind as MessageKind] ?? DEFAULT_TEMPLATES[lang][kind as MessageKind];
  return renderTemplate(kind as MessageKind, template, vars);
}
