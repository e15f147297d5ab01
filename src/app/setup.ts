// First run: a one-time set-up link (24 hours, stored hashed) opens the wizard, which sends everything at once —
// the business, its program, the owner's account and optionally the bots' tokens. Business, program and owner are
// made in one transaction, or nothing is; bots are connected after it, so a bot Telegram refuses loses nothing else.
import {
  DEFAULT_LIMITS,
  DEFAULT_PROGRAM,
  DomainError,
  changeProgram,
  isDomainError,
  isValidTimeZone,
  percentToBp,
  type BotRole,
  type Program,
  type StaffMember,
  type TelegramGateway,
} from '../core/index.js';
import { EMPTY_BUSINESS_PROFILE, checkBusinessProfile } from '../core/businessProfile.js';
import { connectBot } from './bots.js';
import type { AppDeps } from './deps.js';
import { checkPassword, hashPassword } from './passwords.js';
import { checkEmail, checkStaffName, hashSecret, newSecret, openSession, type StaffSessionView } from './staffSessions.js';

export const SETUP_HOURS = 24;
const TOKEN_RE = /^kst_[A-Za-z0-9_-]{43}$/;
const BOT_TOKEN_RE = /^\d{3,20}:[A-Za-z0-9_-]{20,80}$/;
const currencies = new Set(Intl.supportedValuesOf('currency'));

/** Where a new business's owner creates a bot (shown beside the token fields and in errors). */
export const BOTFATHER_HELP = {
  en: 'Open @BotFather in Telegram (https://t.me/BotFather), send /newbot, choose a name and a username ending in "bot", and paste the token it answers with (123456789:AA…).',
  ru: 'Откройте @BotFather в Telegram (https://t.me/BotFather), отправьте /newbot, придумайте имя и username, оканчивающийся на «bot», и вставьте присланный токен (123456789:AA…).',
};

export const SETUP_DEFAULTS = {
  timezones: ['Europe/Moscow', 'Europe/Kaliningrad', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk', 'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka'],
  currency: 'RUB',
  pointsName: DEFAULT_PROGRAM.pointsName,
  earnPercent: DEFAULT_PROGRAM.earnRateBp / 100,
  maxRedeemPercent: DEFAULT_PROGRAM.maxRedeemBp / 100,
  welcomeBonus: DEFAULT_PROGRAM.welcomeBonus,
  pointsLifetimeDays: DEFAULT_PROGRAM.pointsLifetimeDays,
  expiryReminderDays: [...DEFAULT_PROGRAM.notifications.expiryReminderDays],
  branding: { accentColor: DEFAULT_PROGRAM.branding.accentColor, cardColor: DEFAULT_PROGRAM.branding.cardColor, cardTextColor: DEFAULT_PROGRAM.branding.cardTextColor },
};

/** A new set-up link; every earlier one that is still live stops working. */
export async function issueSetupToken(deps: AppDeps): Promise<{ token: string; expiresAt: string }> {
  const token = newSecret('kst_', 32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + SETUP_HOURS * 3_600_000);
  await deps.uow.run((repos) => repos.setup.replaceToken(hashSecret(token), now, expiresAt));
  return { token, expiresAt: expiresAt.toISOString() };
}

/** True while the instance has no business (a fresh install: `kopilka start` then prints a set-up link). */
export async function isFreshInstall(deps: AppDeps): Promise<boolean> {
  return deps.uow.run((repos) => repos.setup.isFresh());
}

async function liveToken(deps: AppDeps, token: unknown): Promise<{ expiresAt: Date } | null> {
  if (typeof token !== 'string' || !TOKEN_RE.test(token)) return null;
  return deps.uow.run((repos) => repos.setup.liveToken(hashSecret(token), deps.clock.now()));
}

export async function setupStatus(deps: AppDeps, token: unknown) {
  const live = await liveToken(deps, token);
  return { valid: live !== null, expiresAt: live ? live.expiresAt.toISOString() : null, defaults: SETUP_DEFAULTS, botFatherHelp: BOTFATHER_HELP };
}

export type BotCheck =
  | { status: 'ok'; bot: { id: number; username: string; firstName: string; link: string } }
  | { status: 'invalid' | 'unreachable'; message: string; help: typeof BOTFATHER_HELP };

async function askTelegram(telegram: TelegramGateway | null, token: string): Promise<BotCheck> {
  if (!telegram) return { status: 'unreachable', message: 'Telegram cannot be reached from this server; the token will be saved and checked later', help: BOTFATHER_HELP };
  try {
    const me = await telegram.getMe(token);
    if (!me) return { status: 'invalid', message: 'Telegram does not know this token: copy it again from @BotFather (/mybots → your bot → API Token)', help: BOTFATHER_HELP };
    return { status: 'ok', bot: { id: me.id, username: me.username, firstName: me.firstName, link: `https://t.me/${me.username}` } };
  } catch {
    return { status: 'unreachable', message: 'Telegram cannot be reached from this server right now; the token will be saved and checked later', help: BOTFATHER_HELP };
  }
}

/** The wizard's live check of a pasted token (getMe); an unreachable Telegram does not block the set-up. */
export async function checkSetupBot(deps: AppDeps, telegram: TelegramGateway | null, input: { setupToken: string; token: string }): Promise<BotCheck> {
  if (!(await liveToken(deps, input.setupToken))) throw new DomainError('invalid_setup_token');
  const token = input.token.trim();
  if (!BOT_TOKEN_RE.test(token)) return { status: 'invalid', message: 'This does not look like a bot token (123456789:AA…, from @BotFather)', help: BOTFATHER_HELP };
  return askTelegram(telegram, token);
}

export interface SetupInput {
  token: string;
  business: {
    name: string;
    logoUrl?: string | null | undefined;
    address?: string | null | undefined;
    timezone: string;
    currency: string;
    /** The brand's colours (#rrggbb); left out, the defaults. */
    accentColor?: string | null | undefined;
    cardColor?: string | null | undefined;
    cardTextColor?: string | null | undefined;
  };
  program: { pointsName: string; earnPercent: number | string; maxRedeemPercent: number | string; welcomeBonus: number; pointsLifetimeDays: number | null; expiryReminderDays: number[] };
  bots?: { customer?: string | null | undefined; staff?: string | null | undefined } | undefined;
  owner: { name: string; email: string; password: string };
  device?: string | null;
}

export type BotOutcome =
  | { role: BotRole; status: 'connected'; username: string; link: string }
  | { role: BotRole; status: 'pending' | 'invalid'; message: string };

export interface SetupResult {
  businessId: string;
  ownerId: string;
  session: StaffSessionView;
  bots: BotOutcome[];
}

type Problem = { path: string; message: string };

function collect(problems: Problem[], path: string, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (!isDomainError(e)) throw e;
    problems.push({ path, message: e.message });
  }
}

/** Every problem with the wizard's answers, and the program they make when there are none. */
function validate(input: SetupInput): { problems: Problem[]; program: Program; owner: { name: string; email: string } } {
  const problems: Problem[] = [];
  const b = input.business;
  const name = b.name.trim();
  if (name.length < 1 || name.length > 200) problems.push({ path: 'business.name', message: 'name must be 1–200 characters' });
  if (!isValidTimeZone(b.timezone)) problems.push({ path: 'business.timezone', message: `unknown time zone "${b.timezone}" (use an IANA name such as Europe/Moscow)` });
  if (!currencies.has(b.currency.toUpperCase())) problems.push({ path: 'business.currency', message: `unknown currency "${b.currency}" (use an ISO 4217 code such as RUB)` });
  // The address becomes the business profile's too: checked as PATCH /business checks it.
  const addressProblems: string[] = [];
  checkBusinessProfile({ ...EMPTY_BUSINESS_PROFILE, address: (b.address ?? '').trim() }, addressProblems);
  for (const message of addressProblems) problems.push({ path: 'business.address', message });
  const p = input.program;
  const earn = percentToBp(p.earnPercent);
  if (earn === null) problems.push({ path: 'program.earnPercent', message: 'earnPercent must be a number from 0 to 100 with at most two decimals' });
  const redeem = percentToBp(p.maxRedeemPercent);
  if (redeem === null) problems.push({ path: 'program.maxRedeemPercent', message: 'maxRedeemPercent must be a number from 0 to 100 with at most two decimals' });
  let program = DEFAULT_PROGRAM;
  try {
    program = changeProgram(DEFAULT_PROGRAM, {
      pointsName: p.pointsName,
      ...(earn !== null ? { earnRateBp: earn } : {}),
      ...(redeem !== null ? { maxRedeemBp: redeem } : {}),
      welcomeBonus: p.welcomeBonus,
      pointsLifetimeDays: p.pointsLifetimeDays,
      branding: {
        ...DEFAULT_PROGRAM.branding,
        logoUrl: b.logoUrl ?? null,
        ...(b.accentColor ? { accentColor: b.accentColor } : {}),
        ...(b.cardColor ? { cardColor: b.cardColor } : {}),
        ...(b.cardTextColor ? { cardTextColor: b.cardTextColor } : {}),
      },
      notifications: { expiryReminderDays: p.expiryReminderDays },
    });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    for (const message of (e.details.problems as string[] | undefined) ?? [e.message]) {
      const [field = '', sub = ''] = message.split(/[ .]/);
      const path = field === 'branding' ? `business.${['accentColor', 'cardColor', 'cardTextColor'].includes(sub) ? sub : 'logoUrl'}` : field === 'notifications' ? 'program.expiryReminderDays' : `program.${field}`;
      problems.push({ path, message });
    }
  }
  const owner = { name: '', email: '' };
  collect(problems, 'owner.name', () => void (owner.name = checkStaffName(input.owner.name)));
  collect(problems, 'owner.email', () => void (owner.email = checkEmail(input.owner.email)));
  collect(problems, 'owner.password', () => void checkPassword(input.owner.password));
  for (const role of ['customer', 'staff'] as const) {
    const t = input.bots?.[role];
    if (t != null && t.trim() !== '' && !BOT_TOKEN_RE.test(t.trim())) problems.push({ path: `bots.${role}`, message: 'a bot token looks like 123456789:AA… (from @BotFather)' });
  }
  return { problems, program, owner };
}

/** The whole wizard in one go: see the file's comment. The owner is signed in (an admin panel session). */
export async function completeSetup(deps: AppDeps, telegram: TelegramGateway | null, input: SetupInput): Promise<SetupResult> {
  if (!(await liveToken(deps, input.token))) throw new DomainError('invalid_setup_token');
  const { problems, program, owner } = validate(input);
  if (problems.length > 0) throw new DomainError('setup_invalid', problems.map((x) => `${x.path}: ${x.message}`).join('; '), { errors: problems });
  const passwordHash = await hashPassword(input.owner.password);
  const now = deps.clock.now();
  const businessId = deps.newId();
  const b = input.business;
  const staff: StaffMember = {
    id: deps.newId(),
    businessId,
    name: owner.name,
    role: 'owner',
    locationIds: [],
    email: owner.email,
    passwordHash,
    telegramUserId: null,
    telegramUsername: null,
    limits: DEFAULT_LIMITS.owner,
    status: 'active',
    createdAt: now,
  };
  await deps.uow.run(async (repos) => {
    // Burnt first, under its row lock: a second wizard with the same link waits here, then finds it used.
    if (!(await repos.setup.burnToken(hashSecret(input.token), now))) throw new DomainError('invalid_setup_token');
    const name = b.name.trim();
    await repos.businesses.insert({ id: businessId, name, timezone: b.timezone, currency: b.currency.toUpperCase(), region: 'RU', program, createdAt: now });
    const address = b.address?.trim();
    if (address) {
      await repos.businesses.insertLocation({ id: deps.newId(), businessId, name, address });
      await repos.businesses.setProfile(businessId, { ...EMPTY_BUSINESS_PROFILE, address });
    }
    await repos.staff.insert(staff);
    await repos.staff.addAudit({ businessId, at: now, staffId: staff.id, staffRole: 'owner', action: 'staff.joined', memberId: null, points: null, issuedPoints: 0, amount: null, channel: 'setup', details: { role: 'owner', via: 'setup' } });
    await repos.outbox.add({ businessId, type: 'business.created', payload: { businessId, name } }, now);
  });
  const session = await openSession(deps, staff, 'admin', input.device ?? null);
  const bots: BotOutcome[] = [];
  for (const role of ['customer', 'staff'] as const) {
    const token = input.bots?.[role]?.trim();
    if (token) bots.push(await connectOrKeep(deps, telegram, businessId, role, token));
  }
  return { businessId, ownerId: staff.id, session, bots };
}

/** Connects a bot; when Telegram cannot be reached the token waits in pending_bot_tokens for connectPendingBots. */
async function connectOrKeep(deps: AppDeps, telegram: TelegramGateway | null, businessId: string, role: BotRole, token: string): Promise<BotOutcome> {
  const check = await askTelegram(telegram, token);
  if (check.status === 'unreachable') {
    await deps.uow.run((repos) => repos.setup.savePendingBot({ businessId, role, token, createdAt: deps.clock.now() }));
    return { role, status: 'pending', message: check.message };
  }
  if (check.status === 'invalid') return { role, status: 'invalid', message: `${check.message}. Connect it later in the panel's Bots page.` };
  try {
    const bot = await connectBot(deps, telegram as TelegramGateway, { businessId, role, token });
    return { role, status: 'connected', username: bot.username, link: `https://t.me/${bot.username}` };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { role, status: 'invalid', message: e.message };
  }
}

/** Tries the tokens saved while Telegram was unreachable: connected or refused ones are forgotten, the rest wait. */
export async function connectPendingBots(deps: AppDeps, telegram: TelegramGateway): Promise<{ connected: number; refused: number; waiting: number }> {
  const pending = await deps.uow.run((repos) => repos.setup.pendingBots());
  const out = { connected: 0, refused: 0, waiting: 0 };
  for (const p of pending) {
    try {
      await connectBot(deps, telegram, p);
      out.connected += 1;
    } catch (e) {
      if (!isDomainError(e)) {
        await deps.uow.run((repos) => repos.setup.notePendingBotError(p.businessId, p.role, (e as Error).message));
        out.waiting += 1;
        continue;
      }
      out.refused += 1;
    }
    await deps.uow.run((repos) => repos.setup.dropPendingBot(p.businessId, p.role));
  }
  return out;
}
