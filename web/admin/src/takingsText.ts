// The Takings section's and the members' share figure's texts in the panel's current language.
import { fill } from '../../shared/format.js';
import { language } from './i18n.js';
import { takingsEn, takingsRu, type TakingsMessages } from './locales/takings.js';

export const kt = (key: keyof TakingsMessages, vars: Record<string, string | number> = {}): string => fill((language() === 'en' ? takingsEn : takingsRu)[key], vars);
