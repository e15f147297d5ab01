// The staff bot's keyboards and the labels it hears in both languages.
import { InlineKeyboard, Keyboard } from 'grammy';
import { staffEn } from '../locales/staff.en.js';
import { staffRu } from '../locales/staff.ru.js';
import type { StaffContext, StaffKey } from '../staffContext.js';

/** A reply-keyboard label in every language (a user may switch their app's language). */
export const labels = (key: StaffKey) => [staffRu[key], staffEn[key]];

/** Always under the input field: scan a QR, help. */
export const mainMenu = (ctx: StaffContext) => new Keyboard().text(ctx.kopilka.t('menuScan')).text(ctx.kopilka.t('menuHelp')).resized().persistent();

/** Opens the cashier screen inside Telegram to scan the customer's QR (https only). */
export const scanKeyboard = (ctx: StaffContext) => (ctx.kopilka.cashierUrl ? new InlineKeyboard().webApp(ctx.kopilka.t('scanButton'), ctx.kopilka.cashierUrl) : undefined);

export const cancelKeyboard = (ctx: StaffContext, id: string) => new InlineKeyboard().text(ctx.kopilka.t('btnCancel'), `no:${id}`);

export const confirmKeyboard = (ctx: StaffContext, data: string, id: string) =>
  new InlineKeyboard().text(ctx.kopilka.t('btnConfirm'), data).text(ctx.kopilka.t('btnCancel'), `no:${id}`);
