// Signing in to the card app from any browser by phone: a 6-digit code (and a one-time link) goes to the member
// through their own channel; a few wrong tries burn the code, and codes per phone are limited.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { DomainError, invalid, normalizePhone, type Member } from '../core/index.js';
import { openSession, issueSignInTokenFor, type CardSession } from './cardSessions.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';

export const CODE_MINUTES = 10;
export const CODE_ATTEMPTS = 5;
/** Codes a member may be sent: one a minute, six an hour. */
export const CODES_PER_MINUTE = 1;
export const CODES_PER_HOUR = 6;

/** Delivers a sign-in code through the member's channel (Telegram, SMS, e-mail; in development the log). */
export interface SignInCodeSender {
  send(to: { businessId: string; businessName: string; member: Member }, message: { code: string; link: string | null; minutes: number }): Promise<void>;
}

const hashCode = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest();

function checkInput(input: { businessId: unknown; phone: unknown }) {
  if (typeof input.businessId !== 'string' || !UUID_RE.test(input.businessId)) throw new DomainError('business_not_found');
  if (typeof input.phone !== 'string' || input.phone.length < 3 || input.phone.length > 40) throw invalid('phone is required', { field: 'phone' });
  return { businessId: input.businessId, phone: input.phone };
}

/**
 * Sends a code to the member with this phone. The answer is the same whether or not the phone is a member, so the
 * form cannot be used to find out who shops where; `sent` says what happened, for the log only.
 */
export async function requestSignInCode(
  deps: AppDeps,
  sender: SignInCodeSender,
  input: { businessId: string; phone: string; linkBase?: string | null },
): Promise<{ expiresAt: string; sent: boolean }> {
  const { businessId, phone } = checkInput(input);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000);
  const found = await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    const member = await repos.members.findByPhone(business.id, normalizePhone(phone, business.region));
    if (!member || member.blocked) return null;
    // A burst of requests for one phone is refused before anything is sent (SMS cost, a pestered customer).
    if ((await repos.cardSessions.codesSince(business.id, member.id, new Date(now.getTime() - 60_000))) >= CODES_PER_MINUTE ||
        (await repos.cardSessions.codesSince(business.id, member.id, new Date(now.getTime() - 3_600_000))) >= CODES_PER_HOUR) {
      throw new DomainError('too_many_codes', 'A code was sent a moment ago; wait a minute before asking again', { retryAfterSeconds: 60 });
    }
    const id = deps.newId();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await repos.cardSessions.addCode({ id, businessId: business.id, memberId: member.id, codeHash: hashCode(id, code).toString('hex'), createdAt: now, expiresAt });
    return { business, member, code };
  });
  if (!found) return { expiresAt: expiresAt.toISOString(), sent: false };
  const link = input.linkBase
    ? `${input.linkBase}?b=${businessId}#signin=${(await issueSignInTokenFor(deps, { businessId, memberId: found.member.id, minutes: CODE_MINUTES })).token}`
    : null;
  await sender.send({ businessId, businessName: found.business.name, member: found.member }, { code: found.code, link, minutes: CODE_MINUTES });
  return { expiresAt: expiresAt.toISOString(), sent: true };
}

/** Trades phone + code for a session. A wrong code counts against the code; the fifth wrong try burns it. */
export async function signInWithCode(deps: AppDeps, input: { businessId: string; phone: string; code: string }): Promise<CardSession> {
  const { businessId, phone } = checkInput(input);
  if (typeof input.code !== 'string' || !/^\d{6}$/.test(input.code.trim())) throw new DomainError('invalid_code');
  const code = input.code.trim();
  const now = deps.clock.now();
  // The wrong try is counted in its own committed transaction; the error is thrown after it commits.
  const outcome = await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    const member = await repos.members.findByPhone(business.id, normalizePhone(phone, business.region));
    if (!member) return { ok: false as const };
    const live = await repos.cardSessions.liveCode(business.id, member.id, now);
    if (!live || live.attempts >= CODE_ATTEMPTS) return { ok: false as const };
    const right = timingSafeEqual(hashCode(live.id, code), Buffer.from(live.codeHash, 'hex'));
    await repos.cardSessions.codeTried(business.id, live.id, right ? 'used' : 'wrong', now);
    return right ? { ok: true as const, member } : { ok: false as const };
  });
  if (!outcome.ok) throw new DomainError('invalid_code');
  if (outcome.member.blocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
  return openSession(deps, businessId, outcome.member.id, 'code');
}
