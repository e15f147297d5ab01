// The business's VK community as a bot: its answers to members (through the VK sender, in the member's language)
// and, for a member's message, the same staff notice as a Telegram message gets (the staff bot, with a Reply button).
import type { AppDeps } from '../app/deps.js';
import type { VkCommunity, VkReplyKind } from '../app/vkMembers.js';
import type { Logger } from '../config/logger.js';
import type { ChannelSender, VkSettings } from '../core/index.js';
import { vkSender } from '../notify/channels/vk.js';
import { forwardToStaff } from './customer/chat.js';
import { translate, type MessageKey } from './i18n.js';

const TEXTS: Record<VkReplyKind, MessageKey> = {
  connected: 'vkConnected',
  already_connected: 'vkAlreadyConnected',
  link_invalid: 'vkLinkInvalid',
  how_to_connect: 'vkHowToConnect',
  blocked: 'blocked',
  received: 'vkChatSent',
  text_only: 'chatTextOnly',
  too_long: 'chatTooLong',
};

export interface VkCommunityOptions {
  log: Logger;
  /** The VK API root (tests: the local stand-in). */
  vkApiRoot: string;
  telegramApiRoot: string;
  timeoutMs?: number;
}

export function vkCommunity(deps: AppDeps, o: VkCommunityOptions): VkCommunity {
  // One sender per community token (it paces its calls); replies are few beside the engine's messages.
  const senders = new Map<string, ChannelSender>();
  const senderFor = (settings: VkSettings) => {
    const key = `${settings.groupId}:${settings.token}`;
    let s = senders.get(key);
    if (!s) {
      s = vkSender({ settings, apiRoot: o.vkApiRoot, timeoutMs: o.timeoutMs ?? 10_000 });
      senders.set(key, s);
    }
    return s;
  };
  return {
    async reply(to, r, key) {
      const text = translate(r.lang, TEXTS[r.kind], { business: r.business, max: r.max });
      const outcome = await senderFor(to.settings).send({ businessId: to.businessId, messageId: `${key}:${r.kind}`, channel: 'vk', address: String(to.vkUserId), text });
      if (outcome.status !== 'sent') o.log.warn(`vk community ${to.settings.groupId}: the ${r.kind} reply to ${to.vkUserId} was not sent: ${outcome.error}`);
    },
    tellStaff: (businessId, member, text) => forwardToStaff(deps, o, { businessId, member, text }),
  };
}
