// The team: staff (list, invite, change, remove), API keys and the business's Telegram bots — for the admin panel and
// business-wide API keys (a key tied to one location is a till's: 403). Staff need staff.manage / settings.change.
import { z } from 'zod';
import { connectBot, disconnectBot, listBots, type BotView } from '../../app/bots.js';
import { listApiKeys, type ApiKeyView } from '../../app/apiKeys.js';
import { actorOf as auditActorOf, inviteStaff, updateStaff, type StaffCaller as Manager } from '../../app/staff.js';
import { createTeamApiKey, invitationLinks, listTeam, revokeTeamApiKey, type TeamMember } from '../../app/team.js';
import { DomainError, type TelegramGateway } from '../../core/index.js';
import type { Caller } from '../env.js';
import { HttpError } from '../errors.js';
import { route, type ApiRouter } from '../route.js';
import { requestSchemas, responseSchemas } from '../schemas.js';

const timestamp = (d: string) => z.iso.datetime({ offset: true }).describe(d);
const id = z.string().min(1).max(100);
const points = z.number().int().min(0).max(100_000_000).nullable();
const Role = z.enum(['admin', 'manager', 'cashier']).describe('The owner is made from the CLI or by handing ownership over');

// ── requests ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const InvitationCreate = z
  .strictObject({ role: Role, name: z.string().min(1).max(100), locationIds: z.array(id).max(50).optional().describe('Locations the staff member works at; empty: all') })
  .register(requestSchemas, { id: 'InvitationCreate' });

const Limits = z.strictObject({
  maxPointsPerOperation: points.optional().describe('A manual accrual at most this; null: no limit'),
  maxPointsPerDay: points.optional().describe("Points issued in the business's day at most this; null: no limit"),
  budget: z.strictObject({ points: z.number().int().min(0).max(100_000_000), days: z.number().int().min(1).max(366) }).nullable().optional().describe('Points issued within a rolling period; null: none'),
});

export const StaffPatch = z
  .strictObject({
    name: z.string().min(1).max(100).optional(),
    role: Role.optional(),
    locationIds: z.array(id).max(50).optional(),
    limits: Limits.optional(),
    blocked: z.boolean().optional().describe('true blocks (their sessions end), false unblocks'),
  })
  .register(requestSchemas, { id: 'StaffPatch' });

export const ApiKeyCreate = z
  .strictObject({ name: z.string().min(1).max(100), locationId: id.nullable().optional().describe('Tie the key to one location (a till)') })
  .register(requestSchemas, { id: 'ApiKeyCreate' });

const BotConnect = z.strictObject({ token: z.string().min(1).max(200).describe('The token from @BotFather (123456789:AA…)') }).register(requestSchemas, { id: 'BotConnect' });

// ── responses ────────────────────────────────────────────────────────────────────────────────────────────────────

const StaffLimitsOut = z.object({
  maxPointsPerOperation: z.number().int().nullable(),
  maxPointsPerDay: z.number().int().nullable(),
  budget: z.object({ points: z.number().int(), days: z.number().int() }).nullable(),
});

export const TeamMemberOut = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(['owner', 'admin', 'manager', 'cashier']),
    locationIds: z.array(z.string()),
    email: z.string().nullable(),
    telegramUsername: z.string().nullable(),
    limits: StaffLimitsOut,
    status: z.enum(['active', 'blocked']),
    createdAt: timestamp('Joined'),
    issuedToday: z.number().int().describe("Points issued in the business's today"),
  })
  .register(responseSchemas, { id: 'TeamMember' });
export const StaffOut = TeamMemberOut.omit({ issuedToday: true }).register(responseSchemas, { id: 'StaffMember' });
const TeamList = z.object({ items: z.array(TeamMemberOut), locations: z.array(z.object({ id: z.string(), name: z.string() })).describe('The business\'s locations, for choosing') }).register(responseSchemas, { id: 'TeamList' });

export const Invitation = z
  .object({
    token: z.string(),
    expiresAt: timestamp('The link works once, until then (72 hours)'),
    link: z.string().describe('The cashier screen on the web'),
    telegramLink: z.string().nullable().describe("t.me link to the staff bot; null when no staff bot is connected"),
  })
  .register(responseSchemas, { id: 'Invitation' });

export const ApiKeyOut = z
  .object({ id: z.string(), name: z.string(), prefix: z.string(), locationId: z.string().nullable(), createdAt: timestamp('Created'), revokedAt: timestamp('Revoked').nullable() })
  .register(responseSchemas, { id: 'ApiKey' });
export const ApiKeyCreated = ApiKeyOut.extend({ key: z.string().describe('The key itself: shown only in this answer') }).register(responseSchemas, { id: 'ApiKeyCreated' });
const ApiKeyList = z.object({ items: z.array(ApiKeyOut) }).register(responseSchemas, { id: 'ApiKeyList' });

export const BotOut = z
  .object({ id: z.string(), role: z.enum(['customer', 'staff']), username: z.string(), telegramId: z.number().int(), connectedAt: timestamp('Connected') })
  .register(responseSchemas, { id: 'Bot' });
const BotList = z.object({ items: z.array(BotOut) }).register(responseSchemas, { id: 'BotList' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [Same<z.output<typeof TeamMemberOut>, TeamMember>, Same<z.output<typeof ApiKeyOut>, ApiKeyView>, Same<z.output<typeof BotOut>, BotView>] = [true, true, true];
void proofs;

// ── routes ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** The business's whole-team key or a signed-in staff member; a key tied to one location may not. */
function manager(caller: Caller): Manager {
  if (caller.locationId) throw new HttpError(403, 'forbidden', 'This API key is tied to one location; managing staff, keys and bots needs a business-wide key');
  return caller.kind === 'staff' ? { staff: caller.staff, channel: 'admin' } : { apiKeyId: caller.keyId };
}

/** The audit entry's actor; an API key's id goes into the entry's details through the channel 'api'. */
const auditOf = (caller: Caller) => auditActorOf(manager(caller));

const roleParam = z.object({ role: z.enum(['customer', 'staff']) });

export function teamRoutes(r: ApiRouter, o: { telegram: TelegramGateway | null; cashierBase: string }): void {
  route(r, {
    method: 'get', path: '/staff', operationId: 'listStaff', tag: 'Team', summary: 'Staff with their role, locations, limits and points issued today',
    permission: 'staff.manage',
    responses: { 200: { description: 'Active and blocked staff', schema: TeamList } },
  }, async ({ c }) => {
    manager(c.var.caller);
    return { status: 200, body: await listTeam(c.var.deps, c.var.caller.businessId) };
  });

  route(r, {
    method: 'post', path: '/staff/invitations', operationId: 'inviteStaff', tag: 'Team', summary: 'Invite a staff member: a one-time link (web, and t.me with a staff bot)',
    description: 'Staff invite only roles below their own (an admin: managers and cashiers).',
    permission: 'staff.manage',
    body: InvitationCreate,
    responses: { 201: { description: 'The invitation links', schema: Invitation } },
    errors: ['forbidden'],
  }, async ({ body, c }) => {
    const businessId = c.var.caller.businessId;
    const invite = await inviteStaff(c.var.deps, manager(c.var.caller), { businessId, role: body.role, name: body.name, locationIds: body.locationIds });
    const links = await invitationLinks(c.var.deps, { businessId, token: invite.token, cashierBase: o.cashierBase });
    return { status: 201, body: { ...invite, link: links.web, telegramLink: links.telegram } };
  });

  route(r, {
    method: 'patch', path: '/staff/:staffId', operationId: 'updateStaff', tag: 'Team', summary: 'Change role, locations, limits; block or unblock',
    description: 'Not one\'s own, not the owner\'s, and only to roles below one\'s own. Blocking ends their sessions at once.',
    permission: 'staff.manage',
    params: z.object({ staffId: id }), body: StaffPatch,
    responses: { 200: { description: 'The staff member as changed', schema: StaffOut } },
    errors: ['staff_not_found', 'forbidden'],
  }, async ({ params, body, c }) => {
    const { blocked, ...rest } = body;
    const change = { ...rest, ...(blocked === undefined ? {} : { status: blocked ? ('blocked' as const) : ('active' as const) }) };
    const view = await updateStaff(c.var.deps, manager(c.var.caller), { businessId: c.var.caller.businessId, staffId: params.staffId, change });
    if (!view) throw new DomainError('staff_not_found');
    return { status: 200, body: view };
  });

  route(r, {
    method: 'delete', path: '/staff/:staffId', operationId: 'removeStaff', tag: 'Team', summary: 'Remove a staff member; their sessions end',
    permission: 'staff.manage',
    params: z.object({ staffId: id }),
    responses: { 204: { description: 'Removed' } },
    errors: ['staff_not_found', 'forbidden'],
  }, async ({ params, c }) => {
    await updateStaff(c.var.deps, manager(c.var.caller), { businessId: c.var.caller.businessId, staffId: params.staffId, change: { status: 'removed' } });
    return { status: 204 };
  });

  route(r, {
    method: 'get', path: '/api-keys', operationId: 'listApiKeys', tag: 'Team', summary: 'API keys (never the keys themselves)',
    permission: 'settings.change',
    responses: { 200: { description: 'Live and revoked keys', schema: ApiKeyList } },
  }, async ({ c }) => {
    manager(c.var.caller);
    return { status: 200, body: { items: await listApiKeys(c.var.deps, c.var.caller.businessId) } };
  });

  route(r, {
    method: 'post', path: '/api-keys', operationId: 'createApiKey', tag: 'Team', summary: 'Create an API key; the key is shown only in this answer',
    permission: 'settings.change',
    body: ApiKeyCreate,
    responses: { 201: { description: 'The key', schema: ApiKeyCreated } },
  }, async ({ body, c }) => {
    const key = await createTeamApiKey(c.var.deps, auditOf(c.var.caller), { businessId: c.var.caller.businessId, name: body.name, locationId: body.locationId ?? null });
    return { status: 201, body: key };
  });

  route(r, {
    method: 'delete', path: '/api-keys/:keyId', operationId: 'revokeApiKey', tag: 'Team', summary: 'Revoke an API key (it stops working within seconds)',
    permission: 'settings.change',
    params: z.object({ keyId: id }),
    responses: { 204: { description: 'Revoked' } },
    errors: ['api_key_not_found'],
  }, async ({ params, c }) => {
    await revokeTeamApiKey(c.var.deps, auditOf(c.var.caller), { businessId: c.var.caller.businessId, keyId: params.keyId });
    return { status: 204 };
  });

  route(r, {
    method: 'get', path: '/bots', operationId: 'listBots', tag: 'Team', summary: "The business's connected Telegram bots",
    permission: 'settings.change',
    responses: { 200: { description: 'Connected bots (never their tokens)', schema: BotList } },
  }, async ({ c }) => {
    manager(c.var.caller);
    return { status: 200, body: { items: await listBots(c.var.deps, c.var.caller.businessId) } };
  });

  route(r, {
    method: 'put', path: '/bots/:role', operationId: 'connectBot', tag: 'Team', summary: 'Connect the customer or staff bot by its @BotFather token (checked with Telegram)',
    permission: 'settings.change',
    params: roleParam, body: BotConnect,
    responses: { 200: { description: 'The connected bot', schema: BotOut } },
    errors: ['invalid_bot_token', 'bot_in_use', 'telegram_unavailable'],
  }, async ({ params, body, c }) => {
    const audit = auditOf(c.var.caller);
    if (!o.telegram) throw new DomainError('telegram_unavailable', 'This server has no connection to Telegram configured');
    const telegram = o.telegram;
    const checked: TelegramGateway = {
      getMe: async (token) => {
        try {
          return await telegram.getMe(token);
        } catch {
          throw new DomainError('telegram_unavailable');
        }
      },
    };
    return { status: 200, body: await connectBot(c.var.deps, checked, { businessId: c.var.caller.businessId, role: params.role, token: body.token, audit }) };
  });

  route(r, {
    method: 'delete', path: '/bots/:role', operationId: 'disconnectBot', tag: 'Team', summary: 'Disconnect the customer or staff bot',
    permission: 'settings.change',
    params: roleParam,
    responses: { 204: { description: 'Disconnected' } },
    errors: ['bot_not_found'],
  }, async ({ params, c }) => {
    await disconnectBot(c.var.deps, { businessId: c.var.caller.businessId, role: params.role, audit: auditOf(c.var.caller) });
    return { status: 204 };
  });
}
