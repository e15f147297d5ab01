// Lookup at the till: by phone (any format), by card number (check digit verified) or by the last 4 digits of the
// phone, which returns every match so the cashier can choose.
import { invalid, isLast4, type Member } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { findMember, loadBusiness } from './members.js';
import { memberView, type MemberView } from './views.js';

export type MemberQuery = { phone: string } | { card: string } | { last4: string } | { id: string };

export const LAST4_MATCH_LIMIT = 50;

export async function findMembers(deps: AppDeps, businessId: string, query: MemberQuery): Promise<MemberView[]> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    let found: Member[];
    if ('last4' in query) {
      if (!isLast4(query.last4)) throw invalid('last4 must be exactly 4 digits', { field: 'last4' });
      found = await repos.members.findByLast4(business.id, query.last4, LAST4_MATCH_LIMIT);
    } else {
      const one = await findMember(repos, business, query);
      found = one ? [one] : [];
    }
    return found.map(memberView);
  });
}
