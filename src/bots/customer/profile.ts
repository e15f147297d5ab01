// The customer's profile in the bot: what the business knows about them, the marketing switch, and the invite link.
// Editing and "delete my data" live in the card app (one place for forms).
import { Composer, InlineKeyboard } from 'grammy';
import { businessForBot } from '../../app/botSessions.js';
import { inviteLink } from '../../app/referrals.js';
import { memberConsents } from '../../app/consents.js';
import type { CustomerContext } from '../context.js';
import { labels, memberOrReply } from './menu.js';

export const profile = new Composer<CustomerContext>();

const showProfile = async (ctx: CustomerContext) => {
  const member = await memberOrReply(ctx);
  if (!member) return;
  const { t, lang, deps, businessId, cardUrl } = ctx.kopilka;
  const { program } = await businessForBot(deps, businessId);
  const marketing = (await memberConsents(deps, { businessId, memberId: member.id })).find((c) => c.kind === 'marketing')?.granted ?? false;
  const birthday = member.birthday ? new Date(`${member.birthday}T12:00:00Z`).toLocaleDateString(lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone: 'UTC' }) : t('notGiven');
  const lines = [
    t('profile', { card: member.cardNumber, name: member.name ?? t('notGiven'), birthday, phone: member.phone, marketing: t(marketing ? 'marketingOn' : 'marketingOff') }),
  ];
  const invite = program.referral.enabled ? await inviteLink(deps, { businessId, memberId: member.id }) : null;
  if (invite) lines.push('', t('invite', { link: invite.link, inviterBonus: invite.inviterBonus, friendBonus: invite.friendBonus }));
  if (cardUrl) lines.push('', t('profileEditHint'));
  const kb = new InlineKeyboard().text(t(marketing ? 'marketingTurnOff' : 'marketingTurnOn'), marketing ? 'marketing:no' : 'marketing:yes');
  if (cardUrl) kb.row().webApp(t('openCard'), cardUrl);
  await ctx.reply(lines.join('\n'), { reply_markup: kb, link_preview_options: { is_disabled: true } });
};
profile.hears(labels('menuProfile'), showProfile);
profile.command('profile', showProfile);
