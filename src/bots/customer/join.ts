// Joining: /start [ref_<code>] → consent (a separate, unticked button) → the user's own phone → the business's
// questions (optional ones can be skipped) → card (new or linked; welcome bonus) with the Open card button →
// optional marketing consent → main menu.
import { Composer } from 'grammy';
import { getCustomerSession, memberByTelegram, setCustomerSession, type CustomerSession } from '../../app/botSessions.js';
import { recordConsent } from '../../app/consents.js';
import { joinFromTelegram, prepareJoin } from '../../app/joinFromTelegram.js';
import { parseAnswer } from '../../app/questionnaire.js';
import { DomainError, type Question } from '../../core/index.js';
import type { CustomerContext } from '../context.js';
import type { MessageKey } from '../i18n.js';
import { cardKeyboard, consentKeyboard, mainMenu, marketingKeyboard, questionKeyboard, shareKeyboard } from './keyboards.js';

/** The version of the consent texts shown (kept with each consent). */
export const PD_TEXT_VERSION = 'pd-1';
export const MARKETING_TEXT_VERSION = 'mk-1';

export const join = new Composer<CustomerContext>();

const REF_RE = /^ref_([a-z0-9]{8})$/;
const telegramName = (ctx: CustomerContext) => [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(' ').trim().slice(0, 100);

join.command('start', async (ctx) => {
  const { deps, businessId, t } = ctx.kopilka;
  const from = ctx.from;
  if (!from) return;
  const member = await memberByTelegram(deps, businessId, from.id);
  if (member?.blocked) return void (await ctx.reply(t('blocked')));
  if (member) {
    await ctx.reply(t('returning', { card: member.cardNumber }), { reply_markup: mainMenu(ctx) });
    if (ctx.kopilka.cardUrl) await ctx.reply(t('cardTextApp', { card: member.cardNumber }), { reply_markup: cardKeyboard(ctx) });
    return;
  }
  const session = await getCustomerSession(deps, businessId, from.id);
  if (session.pending) return askNext(ctx, session); // in the middle of the questions: carry on
  const ref = REF_RE.exec(ctx.match.trim())?.[1];
  if (ref) await setCustomerSession(deps, businessId, from.id, { ...session, ref });
  await ctx.reply(t('welcome'));
  if (ref) await ctx.reply(t('inviteJoined'));
  await ctx.reply(t('consentAsk'), { reply_markup: consentKeyboard(ctx) });
});

join.callbackQuery('consent:pd', async (ctx) => {
  const { deps, businessId, t } = ctx.kopilka;
  const session = await getCustomerSession(deps, businessId, ctx.from.id);
  await setCustomerSession(deps, businessId, ctx.from.id, { ...session, consent: { textVersion: PD_TEXT_VERSION, at: deps.clock.now().toISOString() } });
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined); // the tick is done: no second press
  await ctx.reply(t('consentThanks'), { reply_markup: shareKeyboard(ctx) });
});

join.on('message:contact', async (ctx) => {
  const { deps, businessId, t } = ctx.kopilka;
  const session = await getCustomerSession(deps, businessId, ctx.from.id);
  if (!session.consent) return void (await ctx.reply(t('needConsentFirst'), { reply_markup: consentKeyboard(ctx) }));
  const contact = ctx.message.contact;
  let prepared;
  try {
    prepared = await prepareJoin(deps, { businessId, telegramUserId: ctx.from.id, contact: { phone: contact.phone_number, userId: contact.user_id ?? null } });
  } catch (e) {
    if (e instanceof DomainError && (e.code === 'contact_not_own' || e.code === 'invalid_phone')) {
      return void (await ctx.reply(t('contactNotOwn'), { reply_markup: shareKeyboard(ctx) }));
    }
    throw e;
  }
  const next: CustomerSession = { ...session, pending: { phone: prepared.phone, questions: prepared.questions, answers: {}, done: [], today: prepared.today } };
  await setCustomerSession(deps, businessId, ctx.from.id, next);
  await askNext(ctx, next);
});

/** The question being asked now, or undefined when every one is answered or skipped. */
const current = (s: CustomerSession): Question | undefined => s.pending?.questions.find((q) => !s.pending?.done.includes(q.id));

const QUESTION_KEYS: Record<Exclude<Question['type'], 'text'>, MessageKey> = { name: 'askName', birthday: 'askBirthday', email: 'askEmail' };
const ERROR_KEYS: Record<Question['type'], MessageKey> = { name: 'badName', birthday: 'badBirthday', email: 'badEmail', text: 'badText' };

async function askNext(ctx: CustomerContext, session: CustomerSession): Promise<void> {
  const q = current(session);
  if (!q) return finish(ctx, session);
  const { t } = ctx.kopilka;
  const label = q.label.trim() || (q.type === 'text' ? q.id : t(QUESTION_KEYS[q.type]));
  const text = q.required ? label : `${label}\n${t('optional')}`;
  await ctx.reply(text, { reply_markup: questionKeyboard(ctx, q, q.type === 'name' ? telegramName(ctx) : '') });
}

async function answer(ctx: CustomerContext, session: CustomerSession, q: Question, value: string | null): Promise<void> {
  const pending = session.pending;
  if (!pending || !ctx.from) return;
  const answers = { ...pending.answers };
  if (value !== null) answers[q.id] = value;
  const next: CustomerSession = { ...session, pending: { ...pending, answers, done: [...pending.done, q.id] } };
  await setCustomerSession(ctx.kopilka.deps, ctx.kopilka.businessId, ctx.from.id, next);
  await askNext(ctx, next);
}

// A typed answer to the current question; anything else passes on to the menu.
join.on('message:text', async (ctx, next) => {
  const { deps, businessId, t } = ctx.kopilka;
  const session = await getCustomerSession(deps, businessId, ctx.from.id);
  const q = current(session);
  if (!session.pending || !q || ctx.message.text.startsWith('/')) return next();
  const parsed = parseAnswer(q, ctx.message.text, session.pending.today ?? deps.clock.now().toISOString().slice(0, 10));
  if (!parsed.ok) return void (await ctx.reply(t(ERROR_KEYS[q.type]), { reply_markup: questionKeyboard(ctx, q, q.type === 'name' ? telegramName(ctx) : '') }));
  await answer(ctx, session, q, parsed.value);
});

join.callbackQuery(/^q:(skip|tgname):([A-Za-z0-9_-]{1,40})$/, async (ctx) => {
  const { deps, businessId, t } = ctx.kopilka;
  await ctx.answerCallbackQuery();
  const session = await getCustomerSession(deps, businessId, ctx.from.id);
  const q = current(session);
  if (!q || q.id !== ctx.match[2]) return; // an old button: that question is behind us
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  if (ctx.match[1] === 'tgname') return answer(ctx, session, q, telegramName(ctx) || null);
  if (q.required) return void (await ctx.reply(t('requiredAnswer')));
  await answer(ctx, session, q, null);
});

async function finish(ctx: CustomerContext, session: CustomerSession): Promise<void> {
  const { deps, businessId, t } = ctx.kopilka;
  const from = ctx.from;
  const pending = session.pending;
  if (!from || !pending || !session.consent) return;
  const byType = (type: Question['type']) => pending.questions.find((q) => q.type === type && pending.answers[q.id] !== undefined);
  const value = (q: Question | undefined) => (q ? (pending.answers[q.id] ?? null) : null);
  const extra = Object.fromEntries(pending.questions.filter((q) => q.type === 'text' && pending.answers[q.id] !== undefined).map((q) => [q.id, pending.answers[q.id] as string]));
  const joined = await joinFromTelegram(deps, {
    businessId,
    telegramUserId: from.id,
    contact: { phone: pending.phone, userId: from.id },
    profile: { firstName: from.first_name, lastName: from.last_name, username: from.username },
    answers: { name: value(byType('name')), birthday: value(byType('birthday')), email: value(byType('email')), extra },
    referralCode: session.ref ?? null,
  });
  const member = joined.member;
  await recordConsent(deps, { businessId, memberId: member.id, kind: 'personal_data', granted: true, textVersion: session.consent.textVersion, channel: 'telegram' });
  await setCustomerSession(deps, businessId, from.id, null);
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
  if (ctx.kopilka.cardUrl) await ctx.reply(t('cardTextApp', { card: member.cardNumber }), { reply_markup: cardKeyboard(ctx) });
  await ctx.reply(t('marketingAsk'), { reply_markup: marketingKeyboard(ctx) });
}

join.callbackQuery(/^marketing:(yes|no)$/, async (ctx) => {
  const { deps, businessId, t } = ctx.kopilka;
  const member = await memberByTelegram(deps, businessId, ctx.from.id);
  await ctx.answerCallbackQuery();
  if (!member) return void (await ctx.reply(t('notJoined')));
  await recordConsent(deps, { businessId, memberId: member.id, kind: 'marketing', granted: ctx.match[1] === 'yes', textVersion: MARKETING_TEXT_VERSION, channel: 'telegram' });
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(t('marketingSaved'), { reply_markup: mainMenu(ctx) });
});
