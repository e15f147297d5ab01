// Members and the business's VK community: a member connects VK by following a one-time link from their card
// (vk.me/club<group>?ref=<token>: VK hands the ref to us with their first message), after which the community
// writes to them (the VK channel) and what they write there reaches the business's chat like Telegram messages do.
// Connect tokens live in the sign-in token table under their own prefix (only hashes are stored); a card sign-in
// never accepts one, nor VK a sign-in token.
import { createHash, randomBytes } from 'node:crypto';
import { MAX_CHAT_TEXT, type Repositories, type VkSettings } from '../core/index.js';
import { receiveMemberMessage } from './chat.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';

/** How long a connect link works after the card showed it. */
export const VK_CONNECT_MINUTES = 60;

const TOKEN_RE = /^kvk_[A-Za-z0-9_-]{32}$/;
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const vkConnectLink = (groupId: number, token: string) => `https://vk.me/club${groupId}?ref=${encodeURIComponent(token)}`;

/** A fresh connect link for the member (inside the caller's transaction), or null when the business has no VK community set up. */
export async function vkConnectUrlFor(repos: Repositories, input: { businessId: string; memberId: string }, now: Date): Promise<{ url: string; expiresAt: string } | null> {
  const vk = await repos.notificationChannels.get(input.businessId, 'vk');
  if (!vk) return null;
  const token = `kvk_${randomBytes(24).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + VK_CONNECT_MINUTES * 60_000);
  await repos.cardSessions.addSignInToken({ tokenHash: hash(token), businessId: input.businessId, memberId: input.memberId, expiresAt });
  return { url: vkConnectLink((vk.settings as VkSettings).groupId, token), expiresAt: expiresAt.toISOString() };
}

export async function issueVkConnectUrl(deps: AppDeps, input: { businessId: string; memberId: string }): Promise<{ url: string; expiresAt: string } | null> {
  return deps.uow.run((repos) => vkConnectUrlFor(repos, input, deps.clock.now()));
}

/** Where VK posts a community's events: /vk/callback/<secret>, the secret naming the business's VK channel. */
export const vkCallbackPath = (secret: string) => `/vk/callback/${secret}`;

/** Whose VK community a callback address belongs to, with its settings; null if nobody's. */
export async function vkCallbackTarget(deps: AppDeps, secret: string): Promise<{ businessId: string; settings: VkSettings } | null> {
  if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(secret)) return null;
  const c = await deps.uow.run((repos) => repos.notificationChannels.findByCallbackSecret(secret));
  if (!c || c.channel !== 'vk') return null;
  return { businessId: c.businessId, settings: c.settings as VkSettings };
}

export type VkReplyKind =
  | 'connected' // the link worked: the community will write here
  | 'already_connected' // a connected member pressed "Start" again
  | 'link_invalid' // a used, late or foreign link
  | 'how_to_connect' // a stranger wrote
  | 'blocked' // the member's card is blocked
  | 'received' // the message went to the business
  | 'text_only'
  | 'too_long';

export type VkLang = 'ru' | 'en';

/** What the community answers with and who is told (the bots layer sends through VK and the staff bot). */
export interface VkCommunity {
  /** A reply in the community's dialog; the same `key` again is not shown twice (VK's random_id). */
  reply(to: { businessId: string; settings: VkSettings; vkUserId: number }, reply: { kind: VkReplyKind; lang: VkLang; business: string; max: number }, key: string): Promise<void>;
  /** Tells the staff who answer customers, as for a Telegram message; how many were told. */
  tellStaff(businessId: string, member: { id: string; name: string | null; cardNumber: string }, text: string): Promise<number>;
}

export interface VkIncomingMessage {
  businessId: string;
  settings: VkSettings;
  vkUserId: number;
  /** VK's id of the message (or the event): replies to it are keyed by it, so a repeated event is not answered twice. */
  eventKey: string;
  text: string;
  /** The ref of the vk.me link the dialog was opened with, if any. */
  ref: string | null;
  /** The dialog's Start button (payload {"command":"start"}). */
  start: boolean;
  lang: VkLang;
}

export type VkIncomingOutcome = 'linked' | 'link_invalid' | 'stored' | 'stranger' | 'blocked' | 'not_text' | 'already_connected';

/**
 * A message a VK user wrote to the business's community: a connect link's ref links their VK account to the member
 * it was made for; a linked member's text is stored in the chat (VK is reachable again) and the staff told;
 * strangers are told how to connect and nothing of theirs is kept.
 */
export async function receiveVkMessage(deps: AppDeps, community: VkCommunity, m: VkIncomingMessage): Promise<VkIncomingOutcome> {
  const now = deps.clock.now();
  const business = await deps.uow.run((repos) => loadBusiness(repos, m.businessId));
  const reply = (kind: VkReplyKind) =>
    community.reply({ businessId: m.businessId, settings: m.settings, vkUserId: m.vkUserId }, { kind, lang: m.lang, business: business.name, max: MAX_CHAT_TEXT }, `vk-in:${m.settings.groupId}:${m.eventKey}`);

  if (m.ref !== null && m.ref.startsWith('kvk_')) {
    const linked = await deps.uow.run(async (repos) => {
      // Any use of a valid token ends it; a failure below rolls its use back with the rest.
      const owner = TOKEN_RE.test(m.ref ?? '') ? await repos.cardSessions.useSignInToken(hash(m.ref ?? ''), now) : null;
      if (!owner || owner.businessId !== m.businessId) return 'link_invalid' as const;
      const member = await repos.members.get(m.businessId, owner.memberId);
      if (!member || member.erasedAt) return 'link_invalid' as const;
      if (member.blocked) return 'blocked' as const;
      await repos.members.setVkUser(m.businessId, member.id, m.vkUserId, { takeFromOthers: true, reachable: true });
      if (member.vkUserId !== m.vkUserId) {
        await repos.outbox.add({ businessId: m.businessId, type: 'member.updated', payload: { memberId: member.id, changed: ['vkUserId'], actor: { type: 'member', id: member.id } } }, now);
      }
      return 'linked' as const;
    });
    if (linked === 'link_invalid') {
      // The same link opened again by someone it already connected: nothing is wrong.
      const already = await deps.uow.run((repos) => repos.members.findByVk(m.businessId, m.vkUserId));
      if (already && !already.blocked && !already.erasedAt) {
        await reply('already_connected');
        return 'already_connected';
      }
    }
    await reply(linked === 'linked' ? 'connected' : linked);
    return linked;
  }

  const member = await deps.uow.run((repos) => repos.members.findByVk(m.businessId, m.vkUserId));
  if (!member || member.erasedAt) {
    await reply('how_to_connect');
    return 'stranger';
  }
  if (member.blocked) {
    await reply('blocked');
    return 'blocked';
  }
  const text = m.text.trim();
  if (m.start && (text === '' || /^(начать|start)$/i.test(text))) {
    // Writing is itself proof VK reaches them again.
    await deps.uow.run((repos) => repos.members.setVkUser(m.businessId, member.id, m.vkUserId, { reachable: true }));
    await reply('already_connected');
    return 'already_connected';
  }
  if (text === '' || text.length > MAX_CHAT_TEXT) {
    await reply(text === '' ? 'text_only' : 'too_long');
    return 'not_text';
  }
  const saved = await receiveMemberMessage(deps, { businessId: m.businessId, memberId: member.id, text, channel: 'vk' });
  await reply('received');
  await community.tellStaff(m.businessId, member, saved.text);
  return 'stored';
}

/**
 * VK says the user allowed the community to write to them (message_allow) or forbade it (message_deny): the linked
 * member's VK channel is reachable again, or dead until they allow it (messages go by the next channel).
 */
export async function vkMessagesAllowed(deps: AppDeps, input: { businessId: string; vkUserId: number; allowed: boolean }): Promise<boolean> {
  return deps.uow.run(async (repos) => {
    const member = await repos.members.findByVk(input.businessId, input.vkUserId);
    if (!member) return false;
    if (input.allowed) await repos.members.setVkUser(input.businessId, member.id, input.vkUserId, { reachable: true });
    else await repos.messages.markChannelDead(input.businessId, member.id, 'vk');
    return true;
  });
}
