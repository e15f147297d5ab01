// The customer bot's keyboards.
import { InlineKeyboard, Keyboard } from 'grammy';
import type { CustomerContext } from '../context.js';

export const consentKeyboard = (ctx: CustomerContext) => new InlineKeyboard().text(ctx.kopilka.t('consentButton'), 'consent:pd');

export const shareKeyboard = (ctx: CustomerContext) => new Keyboard().requestContact(ctx.kopilka.t('shareButton')).resized().oneTime();

export const marketingKeyboard = (ctx: CustomerContext) =>
  new InlineKeyboard().text(ctx.kopilka.t('marketingYes'), 'marketing:yes').text(ctx.kopilka.t('marketingNo'), 'marketing:no');

export const mainMenu = (ctx: CustomerContext) =>
  new Keyboard()
    .text(ctx.kopilka.t('menuCard')).text(ctx.kopilka.t('menuBalance')).row()
    .text(ctx.kopilka.t('menuHistory')).text(ctx.kopilka.t('menuInfo')).row()
    .text(ctx.kopilka.t('menuHelp'))
    .resized()
    .persistent();
