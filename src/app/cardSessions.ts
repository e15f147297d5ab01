// Signing in to the card app without a password: from Telegram (initData signed with the business's bot token) or
// with a one-time link (printed by the CLI, later sent by SMS/e-mail). Both give a session; only hashes are stored.
import { createHash, randomBytes } from 'node:crypto';
import { DomainError, invalid, normalizePhone } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { verifyInitData } from './telegramInitData.js';

export const SIGN_IN_LINK_MINUTES = 15;
export const SESSION_DAYS = 30;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = (prefix: string, bytes: number) => `${prefix}${randomBytes(bytes).toString('base64url')}`;

export interface CardSession {
  sessionToken: string;
  businessId: string;
  memberId: string;
  expiresAt: string;
}

export async function openSession(deps: AppDeps, businessId: string, memberId: string, channel: string): Promise<CardSession> {
  const sessionToken = secret('kcs_', 32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await deps.uow.run(async (repos) => {
    const member = await repos.members.get(businessId, memberId);
    if (!member) throw new DomainError('member_not_found');
    if (member.blocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
    await repos.cardSessions.addSession({ secretHash: hash(sessionToken), businessId, memberId, channel, createdAt: now, expiresAt });
  });
  return { sessionToken, businessId, memberId, expiresAt: expiresAt.toISOString() };
}

/** A one-time sign-in token for the member with this phone (valid SIGN_IN_LINK_MINUTES). */
export async function issueSignInToken(deps: AppDeps, input: { businessId: string; phone: string }): Promise<{ token: string; memberId: string; expiresAt: string }> {
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const member = await repos.members.findByPhone(business.id, normalizePhone(input.phone, business.region));
    if (!member) throw new DomainError('member_not_found', 'No member with this phone');
    if (member.blocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
    const token = secret('ksl_', 24);
    const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000);
    await repos.cardSessions.addSignInToken({ tokenHash: hash(token), businessId: business.id, memberId: member.id, expiresAt });
    return { token, memberId: member.id, expiresAt: expiresAt.toISOString() };
  });
}

/** A new one-time sign-in token and what is stored of it (its hash), valid `minutes` from `now`. */
export function newSignInToken(now: Date, minutes: number): { token: string; tokenHash: string; expiresAt: Date } {
  const token = secret('ksl_', 24);
  return { token, tokenHash: hash(token), expiresAt: new Date(now.getTime() + minutes * 60_000) };
}

/** A one-time sign-in token for a member already found (sent with a sign-in code). */
export async function issueSignInTokenFor(deps: AppDeps, input: { businessId: string; memberId: string; minutes: number }): Promise<{ token: string; expiresAt: string }> {
  const token = secret('ksl_', 24);
  const expiresAt = new Date(deps.clock.now().getTime() + input.minutes * 60_000);
  await deps.uow.run((repos) => repos.cardSessions.addSignInToken({ tokenHash: hash(token), businessId: input.businessId, memberId: input.memberId, expiresAt }));
  return { token, expiresAt: expiresAt.toISOString() };
}

/** Signs out: the session token stops working at once. */
export async function endCardSession(deps: AppDeps, sessionToken: string): Promise<void> {
  if (typeof sessionToken !== 'string' || sessionToken.length > 100) return;
  await deps.uow.run((repos) => repos.cardSessions.endSession(hash(sessionToken)));
}

/** Trades a one-time token for a session; the same token again, or a late one, is refused. */
export async function signInWithToken(deps: AppDeps, token: string): Promise<CardSession> {
  if (typeof token !== 'string' || !/^ksl_[A-Za-z0-9_-]{32}$/.test(token)) throw new DomainError('invalid_sign_in');
  const now = deps.clock.now();
  const owner = await deps.uow.run((repos) => repos.cardSessions.useSignInToken(hash(token), now));
  if (!owner) throw new DomainError('invalid_sign_in');
  return openSession(deps, owner.businessId, owner.memberId, 'link');
}

/** Signs in the member tied to the Telegram user in `initData`, checked with the token of the business's bot. */
export async function signInWithTelegram(deps: AppDeps, input: { botId: string; initData: string }): Promise<CardSession> {
  if (!UUID_RE.test(input.botId)) throw new DomainError('invalid_init_data');
  const now = deps.clock.now();
  const bot = (await deps.uow.run((repos) => repos.bots.live())).find((b) => b.id === input.botId);
  if (!bot) throw new DomainError('invalid_init_data');
  const data = verifyInitData(bot.token, input.initData, now);
  const member = await deps.uow.run((repos) => repos.members.findByTelegram(bot.businessId, data.user.id));
  if (!member) throw new DomainError('member_not_found', 'Join through the bot first: press /start');
  if (member.blocked) throw new DomainError('member_blocked', 'The member is blocked; ask them to contact the shop');
  return openSession(deps, bot.businessId, member.id, 'telegram');
}

/** The member a session token belongs to, or null (unknown, expired, malformed). */
export async function authenticateCardSession(deps: AppDeps, sessionToken: string): Promise<{ businessId: string; memberId: string; channel: string } | null> {
  if (typeof sessionToken !== 'string' || !/^kcs_[A-Za-z0-9_-]{43}$/.test(sessionToken)) return null;
  const now = deps.clock.now();
  return deps.uow.run((repos) => repos.cardSessions.findSession(hash(sessionToken), now));
}

export const checkPhoneInput = (phone: unknown): string => {
  if (typeof phone !== 'string' || phone.length < 3 || phone.length > 40) throw invalid('phone is required', { field: 'phone' });
  return phone;
};
