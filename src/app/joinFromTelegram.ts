// A customer joins (or comes back) through a business's Telegram bot by sharing their phone: the phone must be the
// sender's own (Telegram vouches for it); an existing member with that phone — enrolled at the till or imported —
// is linked to the Telegram account instead of getting a second card.
import { DomainError, invalid, localDateOf, normalizePhone, type Member, type Question } from '../core/index.js';
import { checkProfile, enrolMember } from './createMember.js';
import { checkAnswers } from './questionnaire.js';
import { inviterFor } from './referrals.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';
import { memberDetails, type MemberDetails } from './views.js';

export interface JoinFromTelegramInput {
  businessId: string;
  /** The sender of the contact message (update.message.from.id). */
  telegramUserId: number;
  contact: { phone: string; userId?: number | null | undefined };
  profile: { firstName?: string | null | undefined; lastName?: string | null | undefined; username?: string | null | undefined };
  /** Answers to the business's questionnaire; for a linked member they fill only what the card lacks. */
  answers?: { name?: string | null; birthday?: string | null; email?: string | null; extra?: Record<string, string> } | undefined;
  /** From /start ref_<code>: the member who invited this customer (a new member only). */
  referralCode?: string | null | undefined;
}

export interface JoinResult {
  /** joined: a new member; linked: an existing member now tied to this Telegram account; returning: already tied. */
  outcome: 'joined' | 'linked' | 'returning';
  member: MemberDetails;
  welcomeBonus: number;
}

const isTelegramId = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;

export async function joinFromTelegram(deps: AppDeps, input: JoinFromTelegramInput): Promise<JoinResult> {
  if (!isTelegramId(input.telegramUserId)) throw invalid('telegramUserId must be a positive integer', { field: 'telegramUserId' });
  // A forwarded or typed-in contact card carries someone else's user_id, or none: only the sender's own counts.
  if (input.contact.userId !== input.telegramUserId) throw new DomainError('contact_not_own');
  const now = deps.clock.now();
  const username = input.profile.username?.trim() || null;
  const telegramName = [input.profile.firstName, input.profile.lastName].map((x) => x?.trim()).filter(Boolean).join(' ').slice(0, 100) || null;
  const a = input.answers ?? {};
  const actor = { type: 'member' as const, id: null };
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const phone = normalizePhone(input.contact.phone, business.region);
    const given = checkProfile({ name: a.name, birthday: a.birthday, email: a.email }, localDateOf(now, business.timezone));
    const extra = checkAnswers(business.program.questionnaire, a.extra ?? {});
    const details = async (m: Member) => {
      const lots = await repos.lots.open(business.id, m.id);
      return memberDetails(m, business.program, lots, now, m.totalSpent);
    };
    const byPhone = await repos.members.findByPhone(business.id, phone);
    if (byPhone) {
      if (byPhone.telegramUserId === input.telegramUserId) return { outcome: 'returning', member: await details(byPhone), welcomeBonus: 0 };
      // Telegram has just confirmed this account owns the phone: it takes the card over from any earlier account.
      await repos.members.linkTelegram(business.id, byPhone.id, input.telegramUserId, username);
      const filled = { ...byPhone, name: byPhone.name ?? given.name, birthday: byPhone.birthday ?? given.birthday, email: byPhone.email ?? given.email, answers: { ...extra, ...byPhone.answers } };
      await repos.members.update(filled, now);
      await repos.outbox.add({ businessId: business.id, type: 'member.telegram_linked', payload: { memberId: byPhone.id, telegramUserId: input.telegramUserId } }, now);
      return { outcome: 'linked', member: await details({ ...filled, telegramUserId: input.telegramUserId, telegramUsername: username }), welcomeBonus: 0 };
    }
    // A new phone: a new member. If this Telegram account had another member's card (an old number), the link moves.
    const inviter = await inviterFor(repos, business, input.referralCode);
    const created = await enrolMember(repos, deps, business, phone, { ...given, name: given.name ?? telegramName }, actor, now, { answers: extra, referredBy: inviter?.id ?? null });
    await repos.members.linkTelegram(business.id, created.member.id, input.telegramUserId, username);
    return { outcome: 'joined', member: created.member, welcomeBonus: created.welcomeBonus };
  });
}

/**
 * Before joining: checks the shared contact (the sender's own, a valid phone) and says which of the business's
 * questions to ask — all of them for a new customer, only the unanswered ones for a card found by the phone.
 */
export async function prepareJoin(
  deps: AppDeps,
  input: { businessId: string; telegramUserId: number; contact: { phone: string; userId?: number | null | undefined } },
): Promise<{ phone: string; questions: Question[]; existing: boolean; today: string }> {
  if (!isTelegramId(input.telegramUserId)) throw invalid('telegramUserId must be a positive integer', { field: 'telegramUserId' });
  if (input.contact.userId !== input.telegramUserId) throw new DomainError('contact_not_own');
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const phone = normalizePhone(input.contact.phone, business.region);
    const m = await repos.members.findByPhone(business.id, phone);
    const has = (q: Question) => (m ? Boolean(q.type === 'text' ? m.answers[q.id] : m[q.type]) : false);
    return { phone, questions: business.program.questionnaire.filter((q) => !has(q)), existing: m !== null, today: localDateOf(now, business.timezone) };
  });
}
