// "Delete my data": the member's personal data is erased at their request (152-FZ / GDPR right to erasure). The card
// stops working, sessions end, the consents are recorded as withdrawn; the points ledger stays, anonymous, for the
// business's accounts. The phone is free to join again as a new member.
import { DomainError } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';

export const ERASURE_TEXT_VERSION = 'erase-1';

export async function eraseMember(deps: AppDeps, input: { businessId: string; memberId: string; channel: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const member = await repos.members.get(business.id, input.memberId);
    if (!member) throw new DomainError('member_not_found');
    if (member.erasedAt) return; // asked twice: done already
    if (member.telegramUserId !== null) await repos.botSessions.set(business.id, member.telegramUserId, null, now);
    await repos.members.erase(business.id, member.id, now);
    await repos.cardSessions.endAll(business.id, member.id);
    await repos.chat.forget(business.id, member.id); // what they wrote to the business is theirs too
    await repos.messages.forgetMember(business.id, member.id); // and what was sent to them
    for (const kind of ['personal_data', 'marketing'] as const) {
      await repos.members.addConsent({ businessId: business.id, memberId: member.id, kind, granted: false, textVersion: ERASURE_TEXT_VERSION, channel: input.channel, at: now });
    }
    await repos.outbox.add({ businessId: business.id, type: 'member.erased', payload: { memberId: member.id } }, now);
  });
}
