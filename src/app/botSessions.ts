// The customer bot's memory between messages (what the user agreed to, what it waits for), and who a Telegram user is.
import type { Question } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { detailsOf } from './findMembers.js';
import { loadBusiness } from './members.js';
import type { MemberDetails } from './views.js';
import { programView, type ProgramView } from './program.js';

export interface CustomerSession {
  /** The personal-data consent the user ticked, with the text version, before sharing their phone. */
  consent?: { textVersion: string; at: string };
  /** The invite code from /start ref_<code>. */
  ref?: string;
  /** After the phone: the questions to ask, the answers so far, and the ones answered or skipped. */
  pending?: { phone: string; questions: Question[]; answers: Record<string, string>; done: string[]; today?: string };
}

export async function getCustomerSession(deps: AppDeps, businessId: string, telegramUserId: number): Promise<CustomerSession> {
  return deps.uow.run(async (repos) => ((await repos.botSessions.get(businessId, telegramUserId)) as CustomerSession | null) ?? {});
}

export async function setCustomerSession(deps: AppDeps, businessId: string, telegramUserId: number, session: CustomerSession | null): Promise<void> {
  const at = deps.clock.now();
  // The staff bot of the same business keeps its own part of this row (`staff`): it stays whatever we write.
  await deps.uow.run(async (repos) => {
    const staff = (await repos.botSessions.get(businessId, telegramUserId))?.staff;
    const next: Record<string, unknown> = { ...(session ?? {}) };
    delete next.staff;
    if (staff !== undefined) next.staff = staff;
    await repos.botSessions.set(businessId, telegramUserId, Object.keys(next).length > 0 ? next : null, at);
  });
}

/** The member tied to this Telegram account, with balance and tier; null before they join. */
export async function memberByTelegram(deps: AppDeps, businessId: string, telegramUserId: number): Promise<MemberDetails | null> {
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    const member = await repos.members.findByTelegram(business.id, telegramUserId);
    return member ? ((await detailsOf(repos, business, [member], now))[0] ?? null) : null;
  });
}

/** What the customer bot says about the business: its name and rules. */
export async function businessForBot(deps: AppDeps, businessId: string): Promise<{ name: string; program: ProgramView }> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    return { name: business.name, program: programView(business) };
  });
}
