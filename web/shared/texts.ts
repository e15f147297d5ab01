// One app's texts: Russian by default, English when chosen, with the business's own word for points filled into
// every text that names them ({pointsName}, {PointsName}).
import { capitalize, fill } from './format.js';

export type Lang = 'ru' | 'en';

export function createTexts<M extends Record<string, string>>(ru: M, en: M) {
  let messages: M = ru;
  let lang: Lang = 'ru';
  let custom: string | null = null;
  const pointsName = () => custom ?? (lang === 'en' ? 'points' : 'баллы');
  return {
    setLanguage(next: Lang): void {
      lang = next;
      messages = next === 'en' ? en : ru;
      document.documentElement.lang = next;
    },
    /** The business's own word for points; empty goes back to the language's default. */
    setPointsName(name: string | null | undefined): void {
      custom = name && name.trim() ? name.trim() : null;
    },
    language: (): Lang => lang,
    t(key: keyof M, vars: Record<string, string | number> = {}): string {
      const p = pointsName();
      return fill(messages[key] as string, { pointsName: p, PointsName: capitalize(p), ...vars });
    },
  };
}
