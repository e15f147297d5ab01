// The main menu: card, balance, history, about the program, help. Works for joined members only.
import { Composer } from 'grammy';
import { businessForBot, memberByTelegram } from '../../app/botSessions.js';
import { listTransactions } from '../../app/listTransactions.js';
import { getBusinessProfile } from '../../app/updateBusinessProfile.js';
import { profilePlainText } from '../../core/businessProfile.js';
import type { CustomerContext } from '../context.js';
import { en } from '../locales/en.js';
import { ru } from '../locales/ru.js';
import type { MessageKey } from '../i18n.js';
import { cardKeyboard, mainMenu } from './keyboards.js';

export const menu = new Composer<CustomerContext>();

export const labels = (key: MessageKey) => [ru[key], en[key]];
const date = (iso: string, lang: string, timeZone: string) => new Date(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone });

/** The member behind this chat, or an answer saying why there is none (not joined, blocked). */
export async function memberOrReply(ctx: CustomerContext) {
  const { deps, businessId, t } = ctx.kopilka;
  const member = ctx.from ? await memberByTelegram(deps, businessId, ctx.from.id) : null;
  if (!member) await ctx.reply(t('notJoined'));
  else if (member.blocked) await ctx.reply(t('blocked'));
  return member && !member.blocked ? member : null;
}

const showCard = async (ctx: CustomerContext) => {
  const member = await memberOrReply(ctx);
  if (!member) return;
  const { t } = ctx.kopilka;
  const keyboard = cardKeyboard(ctx);
  if (keyboard) await ctx.reply(t('cardTextApp', { card: member.cardNumber }), { reply_markup: keyboard });
  else await ctx.reply(t('cardText', { card: member.cardNumber }), { reply_markup: mainMenu(ctx) });
};
menu.hears(labels('menuCard'), showCard);
menu.command('card', showCard);

const showBalance = async (ctx: CustomerContext) => {
  const member = await memberOrReply(ctx);
  if (!member) return;
  const { t, lang, deps, businessId } = ctx.kopilka;
  const { program } = await businessForBot(deps, businessId);
  const lines = [t('balance', { available: member.balance.available })];
  if (member.balance.pending > 0) lines.push(t('balancePending', { pending: member.balance.pending }));
  const soon = member.balance.expiringSoon[0];
  if (soon) lines.push(t('balanceExpiring', { date: date(soon.expiresAt, lang, program.timezone), expiring: soon.points }));
  await ctx.reply(lines.join('\n'), { reply_markup: mainMenu(ctx) });
};
menu.hears(labels('menuBalance'), showBalance);
menu.command('balance', showBalance);

const showHistory = async (ctx: CustomerContext) => {
  const member = await memberOrReply(ctx);
  if (!member) return;
  const { t, lang, deps, businessId } = ctx.kopilka;
  const { program } = await businessForBot(deps, businessId);
  const page = await listTransactions(deps, { businessId, memberId: member.id, limit: 10 });
  if (page.items.length === 0) return void (await ctx.reply(t('historyEmpty'), { reply_markup: mainMenu(ctx) }));
  const typeText = (type: string) => (`tx_${type}` in ru ? t(`tx_${type}` as MessageKey) : type);
  const lines = page.items.map((x) => `${date(x.when, lang, program.timezone)}  ${x.points > 0 ? '+' : ''}${x.points}  ${typeText(x.type)}`);
  await ctx.reply([t('historyTitle'), ...lines].join('\n'), { reply_markup: mainMenu(ctx) });
};
menu.hears(labels('menuHistory'), showHistory);
menu.command('history', showHistory);

const showInfo = async (ctx: CustomerContext) => {
  const { t, deps, businessId } = ctx.kopilka;
  const { program } = await businessForBot(deps, businessId);
  const lifetime = program.pointsLifetimeDays === null ? t('infoForever') : t('infoLifetime', { days: program.pointsLifetimeDays });
  const rules = t('infoRules', { earn: program.earnPercent, redeem: program.maxRedeemPercent, lifetime });
  // The owner's own text first (the Info page's plain form: tags stripped, never parsed as markup), then the address,
  // phone, hours and links, then the rules in our words.
  const profile = profilePlainText(await getBusinessProfile(deps, businessId).then((p) => ({ ...p, infoHtml: '' })), ctx.kopilka.lang === 'en' ? 'en' : 'ru');
  await ctx.reply([program.infoText.trim(), profile, rules].filter((x) => x !== '').join('\n\n'));
};
menu.hears(labels('menuInfo'), showInfo);
menu.command('info', showInfo);

const showHelp = (ctx: CustomerContext) => ctx.reply(ctx.kopilka.t('help'));
menu.hears(labels('menuHelp'), showHelp);
menu.command('help', showHelp);
