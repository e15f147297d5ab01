// Enrols a member: phone normalised and unique per business, a card number with a check digit, the welcome bonus once.
import { randomInt } from 'node:crypto';
import {
  DomainError,
  SYSTEM,
  availablePoints,
  cardNumberFromRandom,
  credits,
  invalid,
  isIsoDate,
  localDateOf,
  lotSchedule,
  normalizePhone,
  type Actor,
  type Member,
  type Business,
  type Repositories,
  type NewLedgerTransaction,
  type NewLot,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { checkIdempotencyKey, once } from './idempotency.js';
import { loadBusiness } from './members.js';
import { memberDetails, memberView, type BalanceView, type MemberDetails } from './views.js';

export interface CreateMemberInput {
  businessId: string;
  phone: string;
  name?: string | null | undefined;
  birthday?: string | null | undefined;
  email?: string | null | undefined;
  actor?: Actor;
  idempotencyKey?: string | null | undefined;
}

export interface CreatedMember {
  member: MemberDetails;
  balance: BalanceView;
  welcomeBonus: number;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const cryptoRandom = () => randomInt(0, 1_000_000_000) / 1_000_000_000;

export function checkProfile(input: { name?: string | null | undefined; birthday?: string | null | undefined; email?: string | null | undefined }, today: string) {
  const name = input.name == null ? null : String(input.name).trim() || null;
  if (name !== null && name.length > 100) throw invalid('name must be at most 100 characters', { field: 'name' });
  const birthday = input.birthday ?? null;
  if (birthday !== null && (typeof birthday !== 'string' || !isIsoDate(birthday) || birthday > today || birthday < '1900-01-01')) {
    throw invalid('birthday must be a real past date as YYYY-MM-DD', { field: 'birthday' });
  }
  const email = input.email == null ? null : String(input.email).trim().toLowerCase() || null;
  if (email !== null && (email.length > 254 || !EMAIL_RE.test(email))) throw invalid('email is not a valid address', { field: 'email' });
  return { name, birthday, email };
}

export async function createMember(deps: AppDeps, input: CreateMemberInput): Promise<CreatedMember> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const now = deps.clock.now();
  const actor = input.actor ?? SYSTEM;
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const phone = normalizePhone(input.phone, business.region);
    const profile = checkProfile(input, localDateOf(now, business.timezone));
    return once(repos, business.id, key, 'member.create', { phone, ...profile }, now, () => enrolMember(repos, deps, business, phone, profile, actor, now));
  });
}

/** Enrols a member inside the caller's transaction (the API, the bots): card number, welcome bonus, event. */
export async function enrolMember(
  repos: Repositories,
  deps: AppDeps,
  business: Business,
  phone: string,
  profile: { name: string | null; birthday: string | null; email: string | null },
  actor: Actor,
  now: Date,
  extra: Partial<Pick<Member, 'telegramUserId' | 'telegramUsername' | 'answers' | 'referredBy'>> = {},
): Promise<CreatedMember> {
  let member: Member | null = null;
  for (let attempt = 0; attempt < 8 && !member; attempt++) {
    const candidate: Member = {
      id: deps.newId(),
      businessId: business.id,
      cardNumber: cardNumberFromRandom(cryptoRandom),
      phone,
      ...profile,
      blocked: false,
      totalSpent: 0,
      purchasesCount: 0,
      telegramUserId: extra.telegramUserId ?? null,
      telegramUsername: extra.telegramUsername ?? null,
      vkUserId: null,
      answers: extra.answers ?? {},
      referralCode: null,
      referredBy: extra.referredBy ?? null,
      referralRewardedAt: null,
      erasedAt: null,
      createdAt: now,
    };
    const outcome = await repos.members.insert(candidate);
    if (outcome === 'phone_taken') {
      const existing = await repos.members.findByPhone(business.id, phone);
      throw new DomainError('member_exists', 'A member with this phone already exists', { memberId: existing?.id });
    }
    if (outcome === 'ok') member = candidate;
  }
  if (!member) throw new Error('could not allocate a unique card number');
  // Per-staff "members registered" on the dashboard; enrolments by bots, API keys and the CLI are not anyone's.
  if (actor.type === 'staff' && actor.id) await repos.reports.noteRegisteredBy(business.id, member.id, actor.id);
  const bonus = business.program.welcomeBonus;
  const lots: NewLot[] = [];
  const transactions: NewLedgerTransaction[] = [];
  if (bonus > 0) {
    const lot = { id: deps.newId(), amount: bonus, purchaseId: null, ...lotSchedule(business.program, business.timezone, now) };
    lots.push(lot);
    transactions.push({
      id: deps.newId(),
      businessId: business.id,
      memberId: member.id,
      type: 'welcome',
      points: bonus,
      balanceAfter: availablePoints([{ ...lot, remaining: bonus, createdAt: now }], now),
      reason: 'Welcome bonus',
      actor,
      purchaseId: null,
      createdAt: now,
      newLots: lots,
      debits: [],
      postings: credits(lots, 'issued'),
      meta: {},
    });
  }
  const view = memberView(member);
  // joinedInTelegram: the bot already welcomed them in its own chat, so the welcome message is not sent again.
  const event = { businessId: business.id, type: 'member.created', payload: { member: view, welcomeBonus: bonus, joinedInTelegram: member.telegramUserId !== null } };
  await repos.ledger.write({ transactions, events: [event], at: now });
  const state = lots.map((l) => ({ ...l, remaining: l.amount, createdAt: now }));
  const details = memberDetails(member, business.program, state, now, 0);
  return { member: details, balance: { available: details.balance.available, pending: details.balance.pending }, welcomeBonus: bonus };
}
