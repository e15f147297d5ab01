// Which channel reaches a member: the business's order (Telegram, then VK, then SMS, then e-mail by default), skipping
// channels the member cannot be reached on or has blocked (e.g. stopped the bot), and channels the business has not
// set up. Marketing goes only to members who consented; service messages always.
export const CHANNELS = ['telegram', 'vk', 'sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DEFAULT_CHANNEL_ORDER: readonly Channel[] = CHANNELS;

export interface Reach {
  /** The member's addresses per channel (Telegram user id, VK id, phone, e-mail); absent = not reachable there. */
  addresses: Partial<Record<Channel, string>>;
  /** Channels where delivery failed for good (bot blocked, number invalid): not tried again. */
  dead: readonly Channel[];
}

/** The first channel in `order` that the business has configured and the member can be reached on; null if none. */
export function chooseChannel(order: readonly Channel[], configured: readonly Channel[], reach: Reach): Channel | null {
  for (const c of order) {
    if (configured.includes(c) && reach.addresses[c] && !reach.dead.includes(c)) return c;
  }
  return null;
}

export type MessagePurpose = 'service' | 'marketing';

/** Service messages (accruals, codes) always; marketing only with the member's consent. */
export const maySend = (purpose: MessagePurpose, marketingConsent: boolean): boolean => purpose === 'service' || marketingConsent;

/**
 * Whether a member is held out of a campaign as its control group: a fixed, even split from the campaign and member
 * ids (FNV-1a), so the same member stays on the same side however often it is asked.
 */
export function inControlGroup(campaignId: string, memberId: string, percent: number): boolean {
  if (!(percent > 0)) return false;
  let h = 0x811c9dc5;
  for (const ch of `${campaignId}:${memberId}`) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % 10_000) < Math.round(percent * 100);
}

export interface GroupOutcome {
  members: number;
  /** Members who bought within the window after the campaign. */
  returned: number;
  /** Their spend in the window, minor units. */
  revenue: number;
}

/** Treated vs control: return rate and revenue per member, and the uplift (null when a group is empty). */
export function uplift(treated: GroupOutcome, control: GroupOutcome) {
  const rate = (g: GroupOutcome) => (g.members > 0 ? g.returned / g.members : null);
  const perMember = (g: GroupOutcome) => (g.members > 0 ? Math.round(g.revenue / g.members) : null);
  const t = rate(treated);
  const c = rate(control);
  const tr = perMember(treated);
  const cr = perMember(control);
  return {
    treated: { ...treated, returnRate: t, revenuePerMember: tr },
    control: { ...control, returnRate: c, revenuePerMember: cr },
    returnRateUplift: t !== null && c !== null ? t - c : null,
    revenuePerMemberUplift: tr !== null && cr !== null ? tr - cr : null,
  };
}
