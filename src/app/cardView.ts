// What the card app shows on its first screen, in one answer: the card (QR token, number), points, redemption
// share, totals, tier and progress to the next one.
import { DomainError, nextTier } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { detailsOf } from './findMembers.js';
import { loadBusiness } from './members.js';
import { issueQrToken } from './qrTokens.js';
import { programView, type ProgramView } from './program.js';
import type { MemberDetails } from './views.js';

/** The QR changes every minute and each token is accepted for 3 minutes, so a screenshot is useless soon after. */
export const CARD_QR_TTL_SECONDS = 180;

export interface CardView {
  business: { name: string; pointsName: string };
  member: MemberDetails;
  program: Pick<ProgramView, 'earnPercent' | 'maxRedeemPercent' | 'pointsLifetimeDays' | 'pointValue' | 'currency'>;
  nextTier: { name: string; missing: number } | null;
  qr: { token: string; expiresAt: string; refreshAfterSeconds: number };
}

export async function cardView(deps: AppDeps, input: { businessId: string; memberId: string }): Promise<CardView> {
  const now = deps.clock.now();
  const { business, member } = await deps.uow.run(async (repos) => {
    const b = await loadBusiness(repos, input.businessId);
    const m = await repos.members.get(b.id, input.memberId);
    if (!m) throw new DomainError('member_not_found');
    const [details] = await detailsOf(repos, b, [m], now);
    return { business: b, member: details as MemberDetails };
  });
  if (member.blocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
  const qr = await issueQrToken(deps, { businessId: business.id, memberId: member.id, ttlSeconds: CARD_QR_TTL_SECONDS });
  const p = programView(business);
  const next = nextTier(business.program, member.totalSpent);
  return {
    business: { name: business.name, pointsName: p.pointsName },
    member,
    program: { earnPercent: member.tier ? (p.tiers.find((t) => t.id === member.tier?.id)?.earnPercent ?? p.earnPercent) : p.earnPercent, maxRedeemPercent: member.tier ? (p.tiers.find((t) => t.id === member.tier?.id)?.maxRedeemPercent ?? p.maxRedeemPercent) : p.maxRedeemPercent, pointsLifetimeDays: p.pointsLifetimeDays, pointValue: p.pointValue, currency: p.currency },
    nextTier: next ? { name: next.tier.name, missing: next.missing } : null,
    qr: { ...qr, refreshAfterSeconds: 60 },
  };
}
