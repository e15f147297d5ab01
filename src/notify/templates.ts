// Message texts sent to members outside the bots' conversations, in Russian (default) and English.
type Lang = 'ru' | 'en';

const texts = {
  ru: {
    signInCode: 'Код для входа в карту «{business}»: {code}. Действует {minutes} мин. Никому его не сообщайте.',
    signInLink: 'Или откройте ссылку: {link}',
  },
  en: {
    signInCode: 'Your sign-in code for the «{business}» card: {code}. Valid for {minutes} min. Do not share it.',
    signInLink: 'Or open this link: {link}',
  },
} satisfies Record<Lang, Record<string, string>>;

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));

export function signInCodeText(lang: Lang, p: { business: string; code: string; minutes: number; link: string | null }): string {
  const t = texts[lang];
  return [fill(t.signInCode, { business: p.business, code: p.code, minutes: p.minutes }), ...(p.link ? [fill(t.signInLink, { link: p.link })] : [])].join('\n');
}
