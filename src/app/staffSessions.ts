// Staff sign-in: the staff bot's Mini App (Telegram initData checked with that bot's token), e-mail + password for
// shops without Telegram, or accepting an invitation on the web. Sessions are per device, 30 days, stored as hashes,
// and end at once when the staff member is blocked or removed.
import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_LIMITS, DomainError, invalid, type StaffMember } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { DUMMY_HASH, checkPassword, hashPassword, verifyPassword } from './passwords.js';
import { verifyInitData } from './telegramInitData.js';
import { verifyTelegramLogin, type TelegramLoginFields } from './telegramLogin.js';

export const STAFF_SESSION_DAYS = 30;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const newSecret = (prefix: string, bytes: number) => `${prefix}${randomBytes(bytes).toString('base64url')}`;

export interface StaffSessionView {
  sessionToken: string;
  expiresAt: string;
}

export function checkEmail(email: unknown): string {
  const e = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (e.length > 254 || !EMAIL_RE.test(e)) throw invalid('email is not a valid address', { field: 'email' });
  return e;
}

export function checkStaffName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (n.length < 1 || n.length > 100) throw invalid('name must be 1–100 characters', { field: 'name' });
  return n;
}

export async function openSession(deps: AppDeps, staff: StaffMember, channel: string, device: string | null): Promise<StaffSessionView> {
  const sessionToken = newSecret('kss_', 32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + STAFF_SESSION_DAYS * 86_400_000);
  await deps.uow.run(async (repos) => {
    await repos.staff.addSession({ secretHash: hashSecret(sessionToken), businessId: staff.businessId, staffId: staff.id, channel, device: device?.slice(0, 200) ?? null, createdAt: now, expiresAt });
    await repos.staff.addAudit({ businessId: staff.businessId, at: now, staffId: staff.id, staffRole: staff.role, action: 'session.start', memberId: null, points: null, issuedPoints: 0, amount: null, channel, details: { device: device?.slice(0, 200) ?? null } });
  });
  return { sessionToken, expiresAt: expiresAt.toISOString() };
}

export const usable = (s: StaffMember | null): StaffMember => {
  if (!s || s.status === 'removed') throw new DomainError('not_staff');
  if (s.status === 'blocked') throw new DomainError('staff_blocked');
  return s;
};

export async function signInStaffWithPassword(deps: AppDeps, input: { businessId: string; email: string; password: string; device?: string | null; channel?: 'web' | 'admin' }): Promise<StaffSessionView> {
  if (!UUID_RE.test(input.businessId)) throw new DomainError('invalid_credentials');
  const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
  const staff = await deps.uow.run((repos) => repos.staff.findByEmail(input.businessId, email));
  // The same work whether or not the e-mail is known: no way to tell staff addresses by timing.
  const ok = await verifyPassword(String(input.password ?? ''), staff?.passwordHash ?? DUMMY_HASH);
  if (!staff || !ok || staff.status === 'removed') throw new DomainError('invalid_credentials');
  return openSession(deps, usable(staff), input.channel ?? 'web', input.device ?? null);
}

export async function signInStaffWithTelegram(deps: AppDeps, input: { botId: string; initData: string; device?: string | null }): Promise<StaffSessionView> {
  if (!UUID_RE.test(input.botId)) throw new DomainError('invalid_init_data');
  const bot = (await deps.uow.run((repos) => repos.bots.live())).find((b) => b.id === input.botId && b.role === 'staff');
  if (!bot) throw new DomainError('invalid_init_data');
  const data = verifyInitData(bot.token, input.initData, deps.clock.now());
  const staff = await deps.uow.run((repos) => repos.staff.findByTelegram(bot.businessId, data.user.id));
  return openSession(deps, usable(staff), 'telegram', input.device ?? null);
}

/** The Telegram Login Widget on the cashier screen's sign-in page, checked with the business's staff bot token. */
export async function signInStaffWithTelegramLogin(deps: AppDeps, input: { businessId: string; telegramLogin: TelegramLoginFields; device?: string | null }): Promise<StaffSessionView> {
  if (!UUID_RE.test(input.businessId)) throw new DomainError('invalid_init_data');
  const bot = (await deps.uow.run((repos) => repos.bots.live(input.businessId))).find((b) => b.role === 'staff');
  if (!bot) throw new DomainError('invalid_init_data', 'This business has no staff bot to log in with');
  const user = verifyTelegramLogin(bot.token, input.telegramLogin, deps.clock.now());
  const staff = await deps.uow.run((repos) => repos.staff.findByTelegram(bot.businessId, user.id));
  return openSession(deps, usable(staff), 'telegram', input.device ?? null);
}

/** Creates the staff member an invitation names (web: with e-mail and password) and signs them in. */
export async function acceptInviteWithPassword(deps: AppDeps, input: { inviteToken: string; name: string; email: string; password: string; device?: string | null }): Promise<StaffSessionView> {
  const name = checkStaffName(input.name);
  const email = checkEmail(input.email);
  const passwordHash = await hashPassword(checkPassword(input.password));
  const staff = await acceptInvite(deps, input.inviteToken, { name, email, passwordHash, telegramUserId: null, telegramUsername: null }, 'web');
  return openSession(deps, staff, 'web', input.device ?? null);
}

/** Creates the staff member an invitation names, tied to what the caller proved (a Telegram account, or e-mail). */
export async function acceptInvite(
  deps: AppDeps,
  inviteToken: string,
  who: { name: string; email: string | null; passwordHash: string | null; telegramUserId: number | null; telegramUsername: string | null },
  channel: string,
  businessId?: string,
): Promise<StaffMember> {
  if (typeof inviteToken !== 'string' || !/^ksi_[A-Za-z0-9_-]{32}$/.test(inviteToken)) throw new DomainError('invalid_invite');
  const now = deps.clock.now();
  const id = deps.newId();
  return deps.uow.run(async (repos) => {
    const invite = await repos.staff.useInvite(hashSecret(inviteToken), now, id);
    if (!invite || (businessId && invite.businessId !== businessId)) throw new DomainError('invalid_invite');
    await loadBusiness(repos, invite.businessId);
    const staff: StaffMember = {
      id,
      businessId: invite.businessId,
      name: who.name || invite.name,
      role: invite.role,
      locationIds: invite.locationIds,
      email: who.email,
      passwordHash: who.passwordHash,
      telegramUserId: who.telegramUserId,
      telegramUsername: who.telegramUsername,
      limits: DEFAULT_LIMITS[invite.role],
      status: 'active',
      createdAt: now,
    };
    if ((await repos.staff.insert(staff)) === 'taken') throw new DomainError('staff_exists');
    await repos.staff.addAudit({ businessId: staff.businessId, at: now, staffId: staff.id, staffRole: staff.role, action: 'staff.joined', memberId: null, points: null, issuedPoints: 0, amount: null, channel, details: { invitedBy: invite.createdBy, role: invite.role } });
    return staff;
  });
}

/** The active staff member behind a session token, or null. */
export async function authenticateStaff(deps: AppDeps, sessionToken: string): Promise<StaffMember | null> {
  if (typeof sessionToken !== 'string' || !/^kss_[A-Za-z0-9_-]{43}$/.test(sessionToken)) return null;
  const now = deps.clock.now();
  return deps.uow.run((repos) => repos.staff.findSession(hashSecret(sessionToken), now));
}

export async function endStaffSession(deps: AppDeps, sessionToken: string): Promise<void> {
  if (typeof sessionToken !== 'string' || sessionToken.length > 100) return;
  await deps.uow.run((repos) => repos.staff.endSession(hashSecret(sessionToken)));
}

/** The staff member tied to a Telegram account in this business (blocked ones too, so the bot can say so). */
export async function staffByTelegram(deps: AppDeps, businessId: string, telegramUserId: number): Promise<StaffMember | null> {
  return deps.uow.run((repos) => repos.staff.findByTelegram(businessId, telegramUserId));
}

/** /start <invitation> in the staff bot: the Telegram account becomes the invited staff member. */
export async function acceptInviteFromTelegram(deps: AppDeps, input: { businessId: string; inviteToken: string; telegramUserId: number; username: string | null; name: string }): Promise<StaffMember> {
  const name = input.name.trim().slice(0, 100);
  return acceptInvite(deps, input.inviteToken, { name, email: null, passwordHash: null, telegramUserId: input.telegramUserId, telegramUsername: input.username }, 'telegram', input.businessId);
}

export interface StaffDeviceSession {
  id: string;
  channel: string;
  device: string | null;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}

/** The caller's own signed-in devices. */
export async function listStaffSessions(deps: AppDeps, c: { staff: StaffMember; token: string }): Promise<StaffDeviceSession[]> {
  const current = hashSecret(c.token).slice(0, 16);
  const rows = await deps.uow.run((repos) => repos.staff.sessions(c.staff.businessId, c.staff.id, deps.clock.now()));
  return rows.map((r) => ({ id: r.id, channel: r.channel, device: r.device, createdAt: r.createdAt.toISOString(), expiresAt: r.expiresAt.toISOString(), current: r.id === current }));
}

/** Signs one of the caller's devices out (a lost phone, a shared till). */
export async function revokeStaffSession(deps: AppDeps, c: { staff: StaffMember }, id: string): Promise<void> {
  const ended = await deps.uow.run((repos) => repos.staff.endSessionById(c.staff.businessId, c.staff.id, id));
  if (!ended) throw new DomainError('staff_not_found', 'No such session of yours');
}
