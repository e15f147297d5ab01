// Finding and locking the member a write is about, with their business and open lots.
import {
  DomainError,
  availablePoints,
  normalizePhone,
  parseCardNumber,
  pendingPoints,
  type Business,
  type Member,
  type MemberLot,
  type MemberRef,
  type Repositories,
  type LockedMemberRecord,
  tierWindowStart,
} from '../core/index.js';
import { UUID_RE } from './ids.js';
import { verifyQrToken } from './qrCodec.js';

export async function loadBusiness(repos: Repositories, businessId: string): Promise<Business> {
  const business = UUID_RE.test(businessId) ? await repos.businesses.get(businessId) : null;
  if (!business) throw new DomainError('business_not_found', `No business ${String(businessId).slice(0, 40)}`);
  return business;
}

/** Finds a member by id, phone (any common format) or card number; null if there is none. */
export async function findMember(repos: Repositories, business: Business, ref: MemberRef, now: Date): Promise<Member | null> {
  if ('id' in ref) return UUID_RE.test(ref.id) ? repos.members.get(business.id, ref.id) : null;
  if ('phone' in ref) return repos.members.findByPhone(business.id, normalizePhone(ref.phone, business.region));
  if ('card' in ref) return repos.members.findByCard(business.id, parseCardNumber(ref.card));
  if ('qrToken' in ref) return repos.members.get(business.id, await memberIdFromQr(repos, business, ref.qrToken, now));
  throw new DomainError('validation_failed', 'member must be given by id, phone or card');
}

async function memberIdFromQr(repos: Repositories, business: Business, token: string, now: Date): Promise<string> {
  const secret = await repos.businesses.qrSecret(business.id);
  if (!secret) throw new DomainError('business_not_found');
  return verifyQrToken(secret, token, now);
}

/** The member's spend within the tier window (only read when the program has tiers and a window). */
export async function tierSpend(repos: Repositories, business: Business, member: Member, now: Date): Promise<number> {
  if (business.program.tiers.length === 0) return 0;
  if (business.program.tierWindowDays === null) return member.totalSpent;
  return repos.purchases.totalSpent(business.id, member.id, tierWindowStart(business.program, now));
}

export interface LockedMember {
  business: Business;
  member: Member;
  lots: MemberLot[];
  /** Spend within the tier window, when asked for with `tierAt`. */
  totalSpent: number;
}

export interface LockOptions {
  allowBlocked?: boolean;
  /** false: read without locking (quotes). */
  lock?: boolean;
  /** Also read the member's spend in the tier window ending at this instant. */
  tierAt?: Date;
  /** Already locked and read by the statement that claimed the idempotency key (null: no such member). */
  prelocked?: LockedMemberRecord | null;
}

/** Locks the member (the one serialisation point for their points) and reads their open lots. */
export async function lockMember(repos: Repositories, businessId: string, ref: MemberRef, now: Date, opts: LockOptions = {}): Promise<LockedMember> {
  let found: { business: Business; member: Member; lots: MemberLot[] } | null = null;
  if (opts.prelocked !== undefined) {
    found = opts.prelocked;
    if (!found) await loadBusiness(repos, businessId);
  } else if (opts.lock === false) {
    const business = await loadBusiness(repos, businessId);
    const member = await findMember(repos, business, ref, now);
    found = member ? { business, member, lots: await repos.lots.open(business.id, member.id) } : null;
  } else if ('id' in ref) {
    // The common path (the till knows the id, or a QR gave it): one round trip locks and reads everything.
    found = UUID_RE.test(ref.id) && UUID_RE.test(businessId) ? await repos.members.lock(businessId, ref.id) : null;
    if (!found) await loadBusiness(repos, businessId); // business_not_found, if that is what is missing
  } else {
    const business = await loadBusiness(repos, businessId);
    const member = await findMember(repos, business, ref, now);
    found = member ? await repos.members.lock(business.id, member.id) : null;
  }
  if (!found) throw new DomainError('member_not_found');
  const { business, member, lots } = found;
  if (member.blocked && !opts.allowBlocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
  // Without tiers the spend is not needed, and not read.
  const totalSpent = opts.tierAt ? await tierSpend(repos, business, member, opts.tierAt) : 0;
  return { business, member, lots, totalSpent };
}

export function balanceOf(lots: readonly MemberLot[], now: Date): { available: number; pending: number } {
  return { available: availablePoints(lots, now), pending: pendingPoints(lots, now) };
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
