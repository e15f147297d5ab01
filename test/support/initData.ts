// Mini App initData as Telegram would sign it for a user (tests only; the real one comes from Telegram).
import { signInitData } from '../../src/app/telegramInitData.js';

export const signInInitData = (botToken: string, userId: number, now: Date) =>
  signInitData(botToken, { user: JSON.stringify({ id: userId, first_name: 'Test', language_code: 'ru' }), auth_date: String(Math.floor(now.getTime() / 1000) - 5) });
