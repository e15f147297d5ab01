// "Resend sign-in link" on the admin panel's member page: a new one-time link to the member's card app, handed to the
// notifications engine (a `messages` row, kind 'sign_in_link', a service message) so it goes by the business's
// channel order like every other message. Only the token's hash is kept with the sign-in tokens; the token itself
// rides in the message's vars until it is sent, and the panel never shows it (memberViews masks it).
// Limited per member (a pestered customer, SMS cost) and written to the audit log, in one transaction.
import { DomainError, requirePermission, type StaffMember } from '../core/index.js';
import { newSignInToken } from './cardSessions.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { scheduleMessages } from './messages.js';

/** How long a link sent this way works: the member may read the message a while later. */
export const RESENT_LINK_MINUTES = 60;
/** Links one member may be sent by staff: one a minute, five an hour. */
export const LINKS_PER_MINUTE = 1;
export const LINKS_PER_HOUR = 5;
export const SIGN_IN_LINK_ACTION = 'member.sign_in_link';

export interface ResentSignInLink {
  /** The `messages` row that carries the link. */
  messageId: string;
  memberId: string;
  /** The link stops working then (and after its first use). */
  expiresAt: string;
}

export async function resendSignInLink(
  deps: AppDeps,
  input: { businessId: string; staff: StaffMember; memberId: string; channel?: string },
): Promise<ResentSignInLink> {
  requirePermission(input.staff.role, 'chat.reply');
  if (input.staff.businessId !== input.businessId) throw new DomainError('forbidden', 'Staff of another business');
  if (!UUID_RE.test(input.memberId)) throw new DomainError('member_not_found');
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    // The member's lock serialises two clicks at once, so the limit below holds.
    const locked = await repos.members.lock(business.id, input.memberId);
    const member = locked?.member;
    if (!member || member.erasedAt) throw new DomainError('member_not_found');
    if (member.blocked) throw new DomainError('member_blocked', 'The member is blocked: unblock them first');
    const sent = async (ms: number) => (await repos.reports.audit(business.id, { limit: LINKS_PER_HOUR, memberId: member.id, action: SIGN_IN_LINK_ACTION, from: new Date(now.getTime() - ms) })).length;
    if ((await sent(60_000)) >= LINKS_PER_MINUTE) {
      throw new DomainError('too_many_codes', 'A sign-in link was sent to this member a moment ago; wait a minute before sending another', { retryAfterSeconds: 60 });
    }
    if ((await sent(3_600_000)) >= LINKS_PER_HOUR) {
      throw new DomainError('too_many_codes', `This member was sent ${LINKS_PER_HOUR} sign-in links within the hour; try again later`, { retryAfterSeconds: 3600 });
    }
    const link = newSignInToken(now, RESENT_LINK_MINUTES);
    await repos.cardSessions.addSignInToken({ tokenHash: link.tokenHash, businessId: business.id, memberId: member.id, expiresAt: link.expiresAt });
    const messageId = deps.newId();
    await scheduleMessages(repos, [{
      businessId: business.id, id: messageId, key: `sign_in_link:${messageId}`, memberId: member.id, kind: 'sign_in_link', purpose: 'service',
      campaignId: null, vars: { token: link.token, minutes: RESENT_LINK_MINUTES }, text: null, sendAfter: now, createdAt: now,
    }]);
    await repos.staff.addAudit({
      businessId: business.id, at: now, staffId: input.staff.id, staffRole: input.staff.role, action: SIGN_IN_LINK_ACTION, memberId: member.id,
      points: null, issuedPoints: 0, amount: null, channel: input.channel ?? 'web', details: { messageId, expiresAt: link.expiresAt.toISOString() },
    });
    return { messageId, memberId: member.id, expiresAt: link.expiresAt.toISOString() };
  });
}
