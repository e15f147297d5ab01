// One member as the API shows them: profile, tier, balance (available, pending, expiring soon), totals.
import { DomainError } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { detailsOf } from './findMembers.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import type { MemberDetails } from './views.js';

export async function getMember(deps: AppDeps, input: { businessId: string; memberId: string }): Promise<MemberDetails> {
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const member = UUID_RE.test(input.memberId) ? await repos.members.get(business.id, input.memberId) : null;
    if (!member) throw new DomainError('member_not_found');
    const [details] = await detailsOf(repos, business, [member], now);
    if (!details) throw new DomainError('member_not_found');
    return details;
  });
}
