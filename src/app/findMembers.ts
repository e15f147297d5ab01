// Lookup at the till and in the admin: by phone (any format), by card number (check digit verified), by the last 4
// digits of the phone (every match, so the cashier can choose), or by free text over name, phone and card number.
import { invalid, isLast4, type Member, type Repositories, type Business } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { findMember, loadBusiness, tierSpend } from './members.js';
import { memberDetails, type MemberDetails } from './views.js';

export type MemberQuery = { phone: string } | { card: string } | { last4: string } | { id: string } | { qrToken: string } | { q: string };

export const LAST4_MATCH_LIMIT = 50;
export const SEARCH_LIMIT = 50;

export async function findMembers(deps: AppDeps, businessId: string, query: MemberQuery): Promise<MemberDetails[]> {
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    let found: Member[];
    if ('last4' in query) {
      if (!isLast4(query.last4)) throw invalid('last4 must be exactly 4 digits', { field: 'last4' });
      found = await repos.members.findByLast4(business.id, query.last4, LAST4_MATCH_LIMIT);
    } else if ('q' in query) {
      const text = typeof query.q === 'string' ? query.q.trim() : '';
      if (text.length < 2 || text.length > 100) throw invalid('q must be 2–100 characters', { field: 'q' });
      found = await repos.members.search(business.id, { text, digits: text.replace(/\D/g, '') }, SEARCH_LIMIT);
    } else {
      const one = await findMember(repos, business, query, now);
      found = one ? [one] : [];
    }
    return detailsOf(repos, business, found, now);
  });
}

/** Members as the API shows them, with balances, read with one query for all their lots. */
export async function detailsOf(repos: Repositories, business: Business, members: Member[], now: Date): Promise<MemberDetails[]> {
  const lots = await repos.lots.openMany(business.id, members.map((m) => m.id));
  const out: MemberDetails[] = [];
  for (const m of members) {
    out.push(memberDetails(m, business.program, lots.filter((l) => l.memberId === m.id), now, await tierSpend(repos, business, m, now)));
  }
  return out;
}
