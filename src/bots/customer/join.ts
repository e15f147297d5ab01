// Joining: /start → consent (a separate, unticked button) → the user's own phone → card (new or linked) →
// optional marketing consent → main menu.
import { Composer } from 'grammy';
import { getCustomerSession, memberByTelegram, setCustomerSession } from '../../app/botSessions.js';
import { recordConsent } from '../../app/consents.js';
import { joinFromTelegram } from '../../app/joinFromTelegram.js';
import { DomainError } from '../../core/index.js';
import type { CustomerContext } from '../context.js';
import { consentKeyboard, mainMenu, marketingKeyboard, shareKeyboard } from './keyboards.js';

/** The version of the consent texts shown (kept with each consent). */
export const PD_TEXT_VERSION = 'pd-1';
export const MARKETING_TEXT_VERSION = 'mk-1';

export const join = new Composer<CustomerContext>();

join.command('start', async (ctx) => {
  const { deps, businessId, t } = ctx.kopilka;
  const from = ctx.from;
  if (!from) return;
  const member = await memberByTelegram(deps, businessId, from.id);
  if (member?.blocked) return void (await ctx.reply(t('blocked')));
  if (member) return void (await ctx.reply(t('returning', { card: member.cardNumber }), { reply_markup: mainMenu(ctx) }));
  await ctx.reply(t('welcome'));
  await ctx.reply(t('consentAsk'), { reply_markup: consentKeyboard(ctx) });
});

join.callbackQuery('consent:pd', async (ctx) => {
  const { deps, businessId, t } = ctx.kopilka;
  await setCustomerSession(deps, businessId, ctx.from.id, { consent: { textVersion: PD_TEXT_VERSION, at: deps.clock.now().toISOString() } });
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined); // the tick is done: no second press
  await ctx.reply(t('consentThanks'), { reply_markup: shareKeyboard(ctx) });
});

join.on('message:contact', async (ctx) => {
  const { deps, businessId, t } = ctx.kopilka;
  const session = await getCustomerSession(deps, businessId, ctx.from.id);
  if (!session.consent) return void (await ctx.reply(t('needConsentFirst'), { reply_markup: consentKeyboard(ctx) }));
  const contact = ctx.message.contact;
  let joined;
  try {
    joined = await joinFromTelegram(deps, {
      businessId,
      telegramUserId: ctx.from.id,
      contact: { phone: contact.phone_number, userId: contact.user_id ?? null },
      profile: { firstName: ctx.from.first_name, lastName: ctx.from.last_name, username: ctx.from.username },
    });
  } catch (e) {
    if (e instanceof DomainError && (e.code === 'contact_not_own' || e.code === 'invalid_phone')) {
      return void (await ctx.reply(t('contactNotOwn'), { reply_markup: shareKeyboard(ctx) }));
    }
    throw e;
  }
  const member = joined.member;
  await recordConsent(deps, { businessId, memberId: member.id, kind: 'personal_data', granted: true, textVersion: session.consent.textVersion, channel: 'telegram' });
  await setCustomerSession(deps, businessId, ctx.from.id, null);
  if (member.blocked) return void (await ctx.reply(t('blocked'), { reply_markup: { remove_keyboard: true } }));
  const text =
    joined.outcome === 'joined'
      ? joined.welcomeBonus > 0
        ? t('joinedBonus', { card: member.cardNumber, bonus: joined.welcomeBonus })
        : t('joined', { card: member.cardNumber })
      : joined.outcome === 'linked'
        ? t('linked', { card: member.cardNumber })
        : t('returning', { card: member.cardNumber });
  await ctx.reply(text, { reply_markup: mainMenu(ctx) });
  await ctx.reply(t('marketingAsk'), { reply_markup: marketingKeyboard(ctx) });
});

join.callbackQuery(/^marketing:(yes|no)$/, async (ctx) => {
  const { deps, businessId, t } = ctx.kopilka;
  const member = await memberByTelegram(deps, businessId, ctx.from.id);
  await ctx.answerCallbackQuery();
  if (!member) return void (await ctx.reply(t('notJoined')));
  await recordConsent(deps, { businessId, memberId: member.id, kind: 'marketing', granted: ctx.match[1] === 'yes', textVersion: MARKETING_TEXT_VERSION, channel: 'telegram' });
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(t('marketingSaved'), { reply_markup: mainMenu(ctx) });
});
