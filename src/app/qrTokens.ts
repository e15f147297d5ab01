// Issuing a member's QR token (the card app shows it; the till scans it into POST /purchases as member.qrToken).
import { DomainError, invalid } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { signQrToken } from './qrCodec.js';

export const QR_TOKEN_TTL_SECONDS = 600;
const MAX_TTL_SECONDS = 366 * 86_400;

export interface QrTokenView {
  token: string;
  expiresAt: string;
}

export async function issueQrToken(deps: AppDeps, input: { businessId: string; memberId: string; ttlSeconds?: number | undefined }): Promise<QrTokenView> {
  const ttl = input.ttlSeconds ?? QR_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 10 || ttl > MAX_TTL_SECONDS) throw invalid(`ttlSeconds must be a whole number from 10 to ${MAX_TTL_SECONDS}`, { field: 'ttlSeconds' });
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const member = UUID_RE.test(input.memberId) ? await repos.members.get(business.id, input.memberId) : null;
    if (!member) throw new DomainError('member_not_found');
    if (member.blocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
    const secret = await repos.businesses.qrSecret(business.id);
    if (!secret) throw new DomainError('business_not_found');
    const expiresAt = new Date(now.getTime() + ttl * 1000);
    return { token: signQrToken(secret, member.id, expiresAt), expiresAt: expiresAt.toISOString() };
  });
}
