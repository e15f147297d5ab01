// "Log in with Telegram" on the cashier screen without Telegram's widget (no outside script, no domain setup): the
// page asks for a login and opens t.me/<staff bot>?start=login_<code>; the staff member presses Start; the bot
// approves the code for whoever they are in Telegram (staff only); the page, holding the login's secret, collects a
// session once. Five minutes at most.
import { randomInt } from 'node:crypto';
import { DomainError } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { hashSecret, newSecret, openSession, usable, type StaffSessionView } from './staffSessions.js';

export const TELEGRAM_LOGIN_MINUTES = 5;
const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const LOGIN_CODE_RE = /^[a-z0-9]{12}$/;

async function staffBotOf(deps: AppDeps, businessId: string) {
  return (await deps.uow.run((repos) => repos.bots.live(businessId))).find((b) => b.role === 'staff') ?? null;
}

/** The sign-in page's view of the business (public). */
export async function staffBusiness(deps: AppDeps, businessId: string): Promise<{ id: string; name: string; staffBotUsername: string | null }> {
  if (!UUID_RE.test(businessId)) throw new DomainError('business_not_found');
  const business = await deps.uow.run((repos) => loadBusiness(repos, businessId));
  return { id: business.id, name: business.name, staffBotUsername: (await staffBotOf(deps, business.id))?.username ?? null };
}

export async function startTelegramLogin(deps: AppDeps, input: { businessId: string }): Promise<{ loginId: string; botLink: string; expiresAt: string }> {
  const { staffBotUsername } = await staffBusiness(deps, input.businessId);
  if (!staffBotUsername) throw new DomainError('bot_not_found', 'This business has no staff bot: sign in with e-mail and password');
  const loginId = newSecret('ktl_', 24);
  const code = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(0, CODE_ALPHABET.length)]).join('');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + TELEGRAM_LOGIN_MINUTES * 60_000);
  await deps.uow.run((repos) => repos.staff.addTelegramLogin({ businessId: input.businessId, code, secretHash: hashSecret(loginId), createdAt: now, expiresAt }));
  return { loginId, botLink: `https://t.me/${staffBotUsername}?start=login_${code}`, expiresAt: expiresAt.toISOString() };
}

/** The staff bot's /start login_<code>: approves the login for the active staff member with that Telegram account. */
export async function approveTelegramLogin(deps: AppDeps, input: { businessId: string; code: string; telegramUserId: number }): Promise<void> {
  if (!LOGIN_CODE_RE.test(input.code)) throw new DomainError('invalid_sign_in', 'This login link is not valid');
  const now = deps.clock.now();
  await deps.uow.run(async (repos) => {
    const staff = usable(await repos.staff.findByTelegram(input.businessId, input.telegramUserId));
    if (!(await repos.staff.approveTelegramLogin(input.businessId, input.code, staff.id, now))) {
      throw new DomainError('invalid_sign_in', 'This login link has expired or was used: press "Log in with Telegram" again');
    }
  });
}

/** The page asks whether its login was approved; the session is handed out once. */
export async function pollTelegramLogin(deps: AppDeps, loginId: string, device: string | null): Promise<{ status: 'pending' } | { status: 'expired' } | ({ status: 'approved' } & StaffSessionView)> {
  if (typeof loginId !== 'string' || !/^ktl_[A-Za-z0-9_-]{32}$/.test(loginId)) throw new DomainError('invalid_sign_in');
  const now = deps.clock.now();
  const staff = await deps.uow.run(async (repos) => {
    const login = await repos.staff.telegramLoginBySecret(hashSecret(loginId));
    if (!login) throw new DomainError('invalid_sign_in');
    if (login.collectedAt || login.expiresAt <= now) return 'expired' as const;
    if (!login.staffId) return 'pending' as const;
    await repos.staff.markTelegramLoginCollected(hashSecret(loginId), now);
    return usable(await repos.staff.get(login.businessId, login.staffId));
  });
  if (staff === 'pending' || staff === 'expired') return { status: staff };
  return { status: 'approved', ...(await openSession(deps, staff, 'telegram', device)) };
}
