// The admin panel's team pages: staff with what they issued today, API keys made and revoked with an audit entry
// (the key is shown once), and invitation links. Staff changes themselves are in staff.ts, bots in bots.ts.
import { DomainError, invalid, localDateOf, startOfLocalDay } from '../core/index.js';
import { issueApiKey, type ApiKeyView } from './apiKeys.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { staffView, type AuditActor, type StaffView } from './staff.js';

export type TeamMember = StaffView & { issuedToday: number };

/** Active and blocked staff (never removed ones), each with the points they issued in the business's today; and the locations to choose from. */
export async function listTeam(deps: AppDeps, businessId: string): Promise<{ items: TeamMember[]; locations: { id: string; name: string }[] }> {
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    const dayStart = startOfLocalDay(localDateOf(now, business.timezone), business.timezone);
    const out: TeamMember[] = [];
    for (const s of await repos.staff.list(business.id)) {
      if (s.status === 'removed') continue;
      out.push({ ...staffView(s), issuedToday: await repos.staff.issuedSince(business.id, s.id, dayStart) });
    }
    return { items: out, locations: await repos.businesses.locations(business.id) };
  });
}

/** Where an invitation is accepted: the cashier screen on the web, and the staff bot when one is connected. */
export async function invitationLinks(deps: AppDeps, input: { businessId: string; token: string; cashierBase: string }): Promise<{ web: string; telegram: string | null }> {
  const bot = (await deps.uow.run((repos) => repos.bots.live(input.businessId))).find((b) => b.role === 'staff') ?? null;
  return {
    web: `${input.cashierBase}?b=${input.businessId}#invite=${input.token}`,
    telegram: bot ? `https://t.me/${bot.username}?start=${input.token}` : null,
  };
}

const keyAudit = (businessId: string, at: Date, actor: AuditActor, action: string, details: Record<string, unknown>) =>
  ({ businessId, at, ...actor, action, memberId: null, points: null, issuedPoints: 0, amount: null, details });

/** A new API key, written to the audit log; the key itself is in this answer only. */
export async function createTeamApiKey(deps: AppDeps, actor: AuditActor, input: { businessId: string; name: string; locationId: string | null }): Promise<ApiKeyView & { key: string }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw invalid('key name must be 1–100 characters', { field: 'name' });
  if (input.locationId !== null && !UUID_RE.test(input.locationId)) throw invalid('location is not a valid id', { field: 'locationId' });
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    if (input.locationId !== null && !(await repos.businesses.locationExists(business.id, input.locationId))) throw invalid('location is not a location of this business', { field: 'locationId' });
    const issued = await issueApiKey(repos, deps, { businessId: business.id, name, locationId: input.locationId });
    await repos.staff.addAudit(keyAudit(business.id, now, actor, 'api_key.created', { keyId: issued.id, prefix: issued.prefix, name }));
    return { id: issued.id, name, prefix: issued.prefix, locationId: input.locationId, createdAt: now.toISOString(), revokedAt: null, key: issued.key };
  });
}

export async function revokeTeamApiKey(deps: AppDeps, actor: AuditActor, input: { businessId: string; keyId: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const done = UUID_RE.test(input.keyId) && (await repos.apiKeys.revoke(business.id, input.keyId, now));
    if (!done) throw new DomainError('api_key_not_found');
    await repos.staff.addAudit(keyAudit(business.id, now, actor, 'api_key.revoked', { keyId: input.keyId }));
  });
}
