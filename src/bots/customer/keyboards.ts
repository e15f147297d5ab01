// The customer bot's keyboards.
import { InlineKeyboard, Keyboard } from 'grammy';
import type { Question } from '../../core/index.js';
import type { CustomerContext } from '../context.js';

export const consentKeyboard = (ctx: CustomerContext) => new InlineKeyboard().text(ctx.kopilka.t('consentButton'), 'consent:pd');

export const shareKeyboard = (ctx: CustomerContext) => new Keyboard().requestContact(ctx.kopilka.t('shareButton')).resized().oneTime();

export const marketingKeyboard = (ctx: CustomerContext) =>
  new InlineKeyboard().text(ctx.kopilka.t('marketingYes'), 'marketing:yes').text(ctx.kopilka.t('marketingNo'), 'marketing:no');

/** "As in Telegram: <name>" for the name question, and Skip for optional ones; none for a required text question. */
export function questionKeyboard(ctx: CustomerContext, q: Question, telegramName: string) {
  const kb = new InlineKeyboard();
  if (q.type === 'name' && telegramName) kb.text(ctx.kopilka.t('useTelegramName', { name: telegramName }), `q:tgname:${q.id}`).row();
  if (!q.required) kb.text(ctx.kopilka.t('skipButton'), `q:skip:${q.id}`);
  return kb.inline_keyboard.some((row) => row.length > 0) ? kb : undefined;
}

/** Opens the card app inside Telegram (a Mini App: it signs in with Telegram's initData at once). */
export const cardKeyboard = (ctx: CustomerContext) =>
  ctx.kopilka.cardUrl ? new InlineKeyboard().webApp(ctx.kopilka.t('openCard'), ctx.kopilka.cardUrl) : undefined;

export const mainMenu = (ctx: CustomerContext) =>
  new Keyboard()
    .text(ctx.kopilka.t('menuCard')).text(ctx.kopilka.t('menuBalance')).row()
    .text(ctx.kopilka.t('menuHistory')).text(ctx.kopilka.t('menuInfo')).row()
    .text(ctx.kopilka.t('menuProfile')).text(ctx.kopilka.t('menuHelp'))
    .resized()
    .persistent();
