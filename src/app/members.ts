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
} from '../core/index.js';
import { UUID_RE } from './ids.js';

export async function loadBusiness(repos: Repositories, businessId: string): Promise<Business> {
  const business = UUID_RE.test(businessId) ? await repos.businesses.get(businessId) : null;
  if (!business) throw new DomainError('business_not_found', `No business ${String(businessId).slice(0, 40)}`);
  return business;
}

/** Finds a member by id, phone (any common format) or card number; null if there is none. */
export async function findMember(repos: Repositories, business: Business, ref: MemberRef): Promise<Member | null> {
  if ('id' in ref) return UUID_RE.test(ref.id) ? repos.members.get(business.id, ref.id) : null;
  if ('phone' in ref) return repos.members.findByPhone(business.id, normalizePhone(ref.phone, business.region));
  if ('card' in ref) return repos.members.findByCard(business.id, parseCardNumber(ref.card));
  throw new DomainError('validation_failed', 'member must be given by id, phone or card');
}

export interface LockedMember {
  business: Business;
  member: Member;
  lots: MemberLot[];
}

/** Locks the member (the one serialisation point for their points) and reads their open lots. */
export async function lockMember(repos: Repositories, businessId: string, ref: MemberRef, opts: { allowBlocked?: boolean; lock?: boolean } = {}): Promise<LockedMember> {
  const business = await loadBusiness(repos, businessId);
  // By id the member is locked at once; by phone or card it is found first, then locked.
  const id = 'id' in ref ? (UUID_RE.test(ref.id) ? ref.id : null) : (await findMember(repos, business, ref))?.id ?? null;
  const member = id ? await (opts.lock === false ? repos.members.get(business.id, id) : repos.members.lock(business.id, id)) : null;
  if (!member) throw new DomainError('member_not_found');
  if (member.blocked && !opts.allowBlocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
  const lots = await repos.lots.open(business.id, member.id);
  return { business, member, lots };
}

export function balanceOf(lots: readonly MemberLot[], now: Date): { available: number; pending: number } {
  return { available: availablePoints(lots, now), pending: pendingPoints(lots, now) };
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
