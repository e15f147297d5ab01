// The staff bot's memory between messages, kept in bot_sessions under its own key: the customer bot of the same
// business shares that row (keyed by business and Telegram user), so the staff bot reads and writes only `staff`
// and leaves every other key as it was.
import type { AppDeps } from './deps.js';
import { businessForBot } from './botSessions.js';

const KEY = 'staff';

/** The staff bot's part of the Telegram user's session; {} when there is none. */
export async function getStaffBotState(deps: AppDeps, businessId: string, telegramUserId: number): Promise<Record<string, unknown>> {
  return deps.uow.run(async (repos) => {
    const all = await repos.botSessions.get(businessId, telegramUserId);
    const mine = all?.[KEY];
    return mine && typeof mine === 'object' && !Array.isArray(mine) ? { ...(mine as Record<string, unknown>) } : {};
  });
}

/** Replaces the staff bot's part (null: forgets it), in one transaction, keeping the customer bot's keys. */
export async function setStaffBotState(deps: AppDeps, businessId: string, telegramUserId: number, state: object | null): Promise<void> {
  const at = deps.clock.now();
  await deps.uow.run(async (repos) => {
    const all = { ...((await repos.botSessions.get(businessId, telegramUserId)) ?? {}) };
    if (state && Object.keys(state).length > 0) all[KEY] = state;
    else delete all[KEY];
    await repos.botSessions.set(businessId, telegramUserId, Object.keys(all).length > 0 ? all : null, at);
  });
}

/** What the staff bot shows about the business: its name, points name, currency and time zone. */
export async function businessForStaffBot(deps: AppDeps, businessId: string): Promise<{ name: string; pointsName: string; currency: string; timezone: string }> {
  const { name, program } = await businessForBot(deps, businessId);
  return { name, pointsName: program.pointsName, currency: program.currency, timezone: program.timezone };
}
