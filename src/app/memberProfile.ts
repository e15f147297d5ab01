// The admin panel's member profile: what the member said yes or no to (personal data, marketing messages) and on
// which channels the business can reach them — each channel with the member's address on it, whether the business
// has the channel set up, and whether it failed for good (blocked the bot, a dead number).
import { DomainError, type Channel } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';

export interface ConsentState {
  granted: boolean;
  at: string;
  channel: string;
}

export interface MemberChannelView {
  channel: Channel;
  /** The member's address there (a Telegram @username or id, a VK id, the phone, the e-mail); null when none. */
  address: string | null;
  /** The business has this channel (a live customer bot for Telegram; settings for VK, SMS, e-mail). */
  configured: boolean;
  /** The channel failed for good for this member; messages skip it. */
  failed: boolean;
  /** A message can go this way now: an address, the channel set up, not failed. */
  reachable: boolean;
}

export interface MemberProfileView {
  memberId: string;
  language: string | null;
  consents: { personalData: ConsentState | null; marketing: ConsentState | null };
  channels: MemberChannelView[];
}

const ORDER: readonly Channel[] = ['telegram', 'vk', 'sms', 'email'];

export async function memberProfile(deps: AppDeps, input: { businessId: string; memberId: string }): Promise<MemberProfileView> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const member = UUID_RE.test(input.memberId) ? await repos.members.get(business.id, input.memberId) : null;
    if (!member) throw new DomainError('member_not_found');
    const reach = await repos.reports.memberReach(business.id, member.id);
    const consents = await repos.members.consents(business.id, member.id);
    const bots = await repos.bots.live(business.id);
    const stored = await repos.notificationChannels.list(business.id);
    const configured = new Set<Channel>(stored.map((s) => s.channel));
    if (bots.some((b) => b.role === 'customer')) configured.add('telegram');
    const dead = new Set(reach?.deadChannels ?? []);
    const addressOf: Record<Channel, string | null> = {
      telegram: member.telegramUserId === null ? null : member.telegramUsername ? `@${member.telegramUsername}` : String(member.telegramUserId),
      vk: member.vkUserId === null ? null : `id${member.vkUserId}`,
      sms: member.erasedAt ? null : member.phone,
      email: member.email,
    };
    const consent = (kind: 'personal_data' | 'marketing'): ConsentState | null => {
      const c = consents.find((x) => x.kind === kind);
      return c ? { granted: c.granted, at: c.at.toISOString(), channel: c.channel } : null;
    };
    return {
      memberId: member.id,
      language: reach?.language ?? null,
      consents: { personalData: consent('personal_data'), marketing: consent('marketing') },
      channels: ORDER.map((channel) => {
        const address = addressOf[channel];
        const failed = dead.has(channel);
        return { channel, address, configured: configured.has(channel), failed, reachable: address !== null && configured.has(channel) && !failed };
      }),
    };
  });
}
