// Connecting a business's own Telegram bots (customer, staff) by their BotFather tokens.
import { randomBytes } from 'node:crypto';
import { DomainError, invalid, type BotRole, type TelegramGateway } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';
import type { AuditActor } from './staff.js';

export interface BotView {
  id: string;
  role: BotRole;
  username: string;
  telegramId: number;
  connectedAt: string;
}

const ROLES: readonly BotRole[] = ['customer', 'staff'];
const TOKEN_RE = /^\d{3,20}:[A-Za-z0-9_-]{20,80}$/;

/** `audit`: who connects it from the admin panel or the API (written to the audit log in the same transaction). */
export async function connectBot(deps: AppDeps, telegram: TelegramGateway, input: { businessId: string; role: string; token: string; audit?: AuditActor }): Promise<BotView> {
  const role = input.role as BotRole;
  if (!ROLES.includes(role)) throw invalid(`role must be one of ${ROLES.join(', ')}`, { field: 'role' });
  const token = typeof input.token === 'string' ? input.token.trim() : '';
  if (!TOKEN_RE.test(token)) throw invalid('token must look like 123456789:AA… (from @BotFather)', { field: 'token' });
  await deps.uow.run((repos) => loadBusiness(repos, input.businessId)); // a clear error before calling Telegram
  const me = await telegram.getMe(token);
  if (!me) throw new DomainError('invalid_bot_token');
  const now = deps.clock.now();
  const bot = { id: deps.newId(), businessId: input.businessId, role, token, telegramId: me.id, username: me.username, webhookSecret: randomBytes(24).toString('base64url'), createdAt: now };
  return deps.uow.run(async (repos) => {
    await loadBusiness(repos, input.businessId);
    if (!(await repos.bots.connect(bot, now))) throw new DomainError('bot_in_use', `@${me.username} is connected to another business; disconnect it there first`);
    await repos.outbox.add({ businessId: bot.businessId, type: 'bot.connected', payload: { role, username: me.username } }, now);
    if (input.audit) await repos.staff.addAudit({ businessId: bot.businessId, at: now, ...input.audit, action: 'bot.connected', memberId: null, points: null, issuedPoints: 0, amount: null, details: { role, username: me.username } });
    return view(bot);
  });
}

export async function disconnectBot(deps: AppDeps, input: { businessId: string; role: string; audit?: AuditActor }): Promise<void> {
  const role = input.role as BotRole;
  if (!ROLES.includes(role)) throw invalid(`role must be one of ${ROLES.join(', ')}`, { field: 'role' });
  const now = deps.clock.now();
  await deps.uow.run(async (repos) => {
    await loadBusiness(repos, input.businessId);
    if (!(await repos.bots.disconnect(input.businessId, role, now))) throw new DomainError('bot_not_found', `No ${role} bot is connected`);
    if (input.audit) await repos.staff.addAudit({ businessId: input.businessId, at: now, ...input.audit, action: 'bot.disconnected', memberId: null, points: null, issuedPoints: 0, amount: null, details: { role } });
  });
}

export async function listBots(deps: AppDeps, businessId: string): Promise<BotView[]> {
  return deps.uow.run(async (repos) => {
    await loadBusiness(repos, businessId);
    return (await repos.bots.live(businessId)).map(view);
  });
}

const view = (b: { id: string; role: BotRole; username: string; telegramId: number; createdAt: Date }): BotView => ({
  id: b.id,
  role: b.role,
  username: b.username,
  telegramId: b.telegramId,
  connectedAt: b.createdAt.toISOString(),
});

/** Every live bot of every business, with tokens: for the process that serves them. */
export async function listLiveBots(deps: AppDeps) {
  return deps.uow.run((repos) => repos.bots.live());
}
