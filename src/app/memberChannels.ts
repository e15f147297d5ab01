// A member's reachability on a channel as the channel itself reports it: Telegram tells a bot when a user blocks or
// unblocks it (my_chat_member), so messages skip Telegram while blocked and use it again once unblocked.
import type { AppDeps } from './deps.js';

export async function telegramReachability(deps: AppDeps, input: { businessId: string; telegramUserId: number; reachable: boolean }): Promise<boolean> {
  return deps.uow.run(async (repos) => {
    const member = await repos.members.findByTelegram(input.businessId, input.telegramUserId);
    if (!member) return false;
    if (input.reachable) await repos.messages.markChannelAlive(input.businessId, member.id, 'telegram');
    else await repos.messages.markChannelDead(input.businessId, member.id, 'telegram');
    return true;
  });
}
