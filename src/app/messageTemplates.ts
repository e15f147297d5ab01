// The business's message texts: what each kind says now (its own text or the default) and a preview of a text
// before it is saved, filled with sample values, so a broken template is caught then and not in a member's chat.
import { DEFAULT_TEMPLATES, TEMPLATE_VARIABLES, addDays, checkTemplate, formatLocalDate, localDateOf, renderTemplate, type Business, type Language, type MessageKind } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';

export const TEMPLATE_KINDS = ['accrual', 'redemption', 'expiry_reminder', 'welcome', 'birthday', 'winback'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export interface TemplateInfo {
  kind: TemplateKind;
  variables: string[];
  texts: Record<Language, string>;
  custom: Record<Language, boolean>;
}

export function templatesOf(b: Business): TemplateInfo[] {
  const own = b.program.notifications.templates;
  return TEMPLATE_KINDS.map((kind) => ({
    kind,
    variables: [...TEMPLATE_VARIABLES[kind]],
    texts: { ru: own.ru?.[kind] ?? DEFAULT_TEMPLATES.ru[kind], en: own.en?.[kind] ?? DEFAULT_TEMPLATES.en[kind] },
    custom: { ru: own.ru?.[kind] !== undefined, en: own.en?.[kind] !== undefined },
  }));
}

export async function listTemplates(deps: AppDeps, businessId: string): Promise<{ items: TemplateInfo[] }> {
  return deps.uow.run(async (repos) => ({ items: templatesOf(await loadBusiness(repos, businessId)) }));
}

/** Sample values a preview is filled with, as a member would read them. */
export function sampleVars(b: Business, lang: Language, now: Date, cardUrl: string): Record<string, string | number> {
  const lastDay = addDays(localDateOf(now, b.timezone), 4);
  return {
    name: lang === 'ru' ? 'Анна' : 'Anna',
    points: 150,
    balance: 1250,
    bonus: 300,
    days: 4,
    expiresAt: formatLocalDate(lastDay, lang),
    pointsName: b.program.pointsName,
    business: b.name,
    cardUrl,
  };
}

/** Checks a template (invalid_template with every problem) and fills it with sample values. */
export async function previewTemplate(deps: AppDeps, input: { businessId: string; kind: MessageKind; text: string; language?: Language | undefined; cardUrl: string }): Promise<{ text: string; variables: string[] }> {
  const business = await deps.uow.run((repos) => loadBusiness(repos, input.businessId));
  const text = checkTemplate(input.kind, input.text);
  const lang = input.language ?? business.program.notifications.language;
  return { text: renderTemplate(input.kind, text, sampleVars(business, lang, deps.clock.now(), input.cardUrl)), variables: [...TEMPLATE_VARIABLES[input.kind]] };
}
