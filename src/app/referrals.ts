// Referrals: a member shares t.me/<bot>?start=ref_<code>; a friend who joins by it is tied to them, and after the
// friend's first purchase both get the business's bonuses — once, in the purchase's own transaction.
import { randomInt } from 'node:crypto';
import {
  SYSTEM,
  availablePoints,
  credits,
  lotSchedule,
  type Business,
  type Member,
  type MemberLot,
  type NewLedgerTransaction,
  type OutboxEvent,
  type Repositories,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { lockMember } from './members.js';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const REFERRAL_CODE_RE = /^[a-z0-9]{8}$/;

/** The member's invite code, made the first time it is needed; null when referrals are off. */
export async function referralCodeOf(repos: Repositories, business: Business, member: Member): Promise<string | null> {
  if (!business.program.referral.enabled || member.erasedAt) return null;
  if (member.referralCode) return member.referralCode;
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(0, ALPHABET.length)]).join('');
    const got = await repos.members.setReferralCode(business.id, member.id, code);
    if (got) return got;
  }
  return null;
}

/** Who invited a joining customer: the code's owner, when referrals are on and the owner is an active member. */
export async function inviterFor(repos: Repositories, business: Business, code: string | null | undefined): Promise<Member | null> {
  if (!code || !business.program.referral.enabled || !REFERRAL_CODE_RE.test(code)) return null;
  const inviter = await repos.members.findByReferralCode(business.id, code);
  return inviter && !inviter.blocked ? inviter : null;
}

export interface ReferralReward {
  /** The friend's bonus, to be written with the purchase (the friend is already locked). */
  friendTransaction: NewLedgerTransaction | null;
  friendLots: MemberLot[];
  events: OutboxEvent[];
}

/**
 * Inside a friend's purchase: on their first one, credits the inviter now (locking them) and returns the friend's
 * credit for the caller to write. Nothing when the friend was not invited, was rewarded already, or referrals are off.
 */
export async function rewardReferral(repos: Repositories, deps: AppDeps, business: Business, friend: Member, stateAfter: readonly MemberLot[], now: Date, purchaseId: string): Promise<ReferralReward> {
  const none: ReferralReward = { friendTransaction: null, friendLots: [], events: [] };
  const r = business.program.referral;
  if (!friend.referredBy || friend.referralRewardedAt || friend.purchasesCount > 0 || !r.enabled) return none;
  await repos.members.markReferralRewarded(business.id, friend.id, now);
  const events: OutboxEvent[] = [];
  if (r.inviterBonus > 0) {
    const inviter = await lockMember(repos, business.id, { id: friend.referredBy }, now, { allowBlocked: true }).catch(() => null);
    if (inviter && !inviter.member.blocked) {
      const lot = { id: deps.newId(), amount: r.inviterBonus, purchaseId: null, ...lotSchedule(business.program, business.timezone, now) };
      const balance = availablePoints([...inviter.lots, { ...lot, remaining: lot.amount, createdAt: now, memberId: inviter.member.id, expiredPoints: 0 }], now);
      const id = deps.newId();
      const tx: NewLedgerTransaction = { id, businessId: business.id, memberId: inviter.member.id, type: 'referral', points: lot.amount, balanceAfter: balance, reason: 'Invited a friend', actor: SYSTEM, purchaseId: null, createdAt: now, newLots: [lot], debits: [], postings: credits([lot], 'issued'), meta: { friendId: friend.id } };
      await repos.ledger.write({ transactions: [tx], events: [{ businessId: business.id, type: 'points.referral', payload: { memberId: inviter.member.id, friendId: friend.id, transactionId: id, points: lot.amount, balance } }], at: now });
    }
  }
  if (r.friendBonus <= 0) return { ...none, events };
  const lot = { id: deps.newId(), amount: r.friendBonus, purchaseId: null, ...lotSchedule(business.program, business.timezone, now) };
  const friendLots = [{ ...lot, remaining: lot.amount, createdAt: now, memberId: friend.id, expiredPoints: 0 }];
  const balance = availablePoints([...stateAfter, ...friendLots], now);
  const id = deps.newId();
  const friendTransaction: NewLedgerTransaction = { id, businessId: business.id, memberId: friend.id, type: 'referral', points: lot.amount, balanceAfter: balance, reason: 'Joined by a friend\'s invitation', actor: SYSTEM, purchaseId: null, createdAt: now, newLots: [lot], debits: [], postings: credits([lot], 'issued'), meta: { inviterId: friend.referredBy, purchaseId } };
  events.push({ businessId: business.id, type: 'points.referral', payload: { memberId: friend.id, inviterId: friend.referredBy, transactionId: id, points: lot.amount, balance } });
  return { friendTransaction, friendLots, events };
}

/** The member's invite link through the business's customer bot, with both bonuses; null when referrals are off. */
export async function inviteLink(deps: AppDeps, input: { businessId: string; memberId: string }): Promise<{ link: string; inviterBonus: number; friendBonus: number } | null> {
  return deps.uow.run(async (repos) => {
    const business = await repos.businesses.get(input.businessId);
    const member = business ? await repos.members.get(business.id, input.memberId) : null;
    const bot = business ? (await repos.bots.live(business.id)).find((b) => b.role === 'customer') : undefined;
    if (!business || !member || !bot) return null;
    const code = await referralCodeOf(repos, business, member);
    return code ? { link: `https://t.me/${bot.username}?start=ref_${code}`, inviterBonus: business.program.referral.inviterBonus, friendBonus: business.program.referral.friendBonus } : null;
  });
}
