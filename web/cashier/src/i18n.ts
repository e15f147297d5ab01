// The cashier screen's texts: Russian by default, English for English-speaking phones and Telegram users.
import { createTexts } from '../../shared/texts.js';
import { en } from './locales/en.js';
import { ru, type Messages } from './locales/ru.js';

export type MessageKey = keyof Messages;

const texts = createTexts<Messages>(ru, en);
export const { setLanguage, setPointsName, t } = texts;
/** BCP 47 tag for Intl. */
export const locale = (): string => texts.language();
