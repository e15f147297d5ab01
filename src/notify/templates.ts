// Message texts sent to members outside the bots' conversations, in Russian (default) and English.
type Lang = 'ru' | 'en';

const texts = {
  ru: {
    signInCode: 'Код для входа в карту «{business}»: {code}. Действует {minutes} мин. Никому его не сообщайте.',
    signInLink: 'Или откройте ссылку: {link}',
    redeemCode: 'Код для оплаты баллами в «{business}»: {code}. Назовите его кассиру. Действует {minutes} мин. Если вы ничего не покупаете — не сообщайте код никому.',
    limitAlert: '⚠️ {staff} ({role}) превысил(а) лимит ({limit}): хотел(а) начислить {wanted}, доступно {allowed}. Операция отклонена.',
  },
  en: {
    signInCode: 'Your sign-in code for the «{business}» card: {code}. Valid for {minutes} min. Do not share it.',
    signInLink: 'Or open this link: {link}',
    redeemCode: 'Your code to pay with points at «{business}»: {code}. Tell it to the cashier. Valid for {minutes} min. If you are not buying anything, do not share it.',
    limitAlert: '⚠️ {staff} ({role}) went over a limit ({limit}): wanted to issue {wanted}, {allowed} allowed. The operation was refused.',
  },
} satisfies Record<Lang, Record<string, string>>;

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));

export function signInCodeText(lang: Lang, p: { business: string; code: string; minutes: number; link: string | null }): string {
  const t = texts[lang];
  return [fill(t.signInCode, { business: p.business, code: p.code, minutes: p.minutes }), ...(p.link ? [fill(t.signInLink, { link: p.link })] : [])].join('\n');
}

export function redeemCodeText(lang: Lang, p: { business: string; code: string; minutes: number }): string {
  return fill(texts[lang].redeemCode, p);
}

const LIMIT_NAMES: Record<Lang, Record<string, string>> = {
  ru: { per_operation: 'за одну операцию', per_day: 'за день', budget: 'бюджет' },
  en: { per_operation: 'per operation', per_day: 'per day', budget: 'budget' },
};

export function limitAlertText(lang: Lang, p: { staff: string; role: string; limit: string; wanted: number; allowed: number; action: string }): string {
  return fill(texts[lang].limitAlert, { ...p, limit: LIMIT_NAMES[lang][p.limit] ?? p.limit });
}
