// Delivers one message from the outbox: claim it, decide whether it is still worth sending, say it in the member's
// language with today's figures, and try the member's channels in the business's order until one takes it.
import {
  FALLBACK_NAME,
  addDays,
  availablePoints,
  chooseChannel,
  formatLocalDate,
  localDateOf,
  maySend,
  memberLanguage,
  messageText,
  type Business,
  type Channel,
  type ChannelSender,
  type Clock,
  type MemberLot,
  type MemberReachRecord,
  type Repositories,
  type StoredMessage,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';

/** The channels a business can send through now (Telegram: its live customer bot; VK, SMS, e-mail: its settings). */
export interface ChannelDirectory {
  forBusiness(businessId: string): Promise<{ configured: Channel[]; sender(channel: Channel): ChannelSender | null }>;
}

export interface DeliveryOptions {
  channels: ChannelDirectory;
  /** The member card's address for {cardUrl}. */
  cardUrl: (businessId: string) => string;
  /** The business's clock (the test clock moves it per business); default deps.clock. */
  clockFor?: ((businessId: string) => Clock) | undefined;
  /** A business as recently read (a broadcast sends thousands of messages of one business); default: read each time. */
  business?: ((repos: Repositories, businessId: string) => Promise<Business | null>) | undefined;
}

/** Keeps each business read for a few seconds: settings and templates changed meanwhile apply within that time. */
export function cachedBusinesses(ttlMs = 2_000, now: () => number = Date.now): (repos: Repositories, businessId: string) => Promise<Business | null> {
  const cache = new Map<string, { at: number; business: Business | null }>();
  return async (repos, businessId) => {
    const hit = cache.get(businessId);
    if (hit && now() - hit.at < ttlMs) return hit.business;
    const business = await repos.businesses.get(businessId);
    if (cache.size > 10_000) cache.clear();
    cache.set(businessId, { at: now(), business });
    return business;
  };
}

export type DeliveryResult =
  | { status: 'sent'; channel: Channel }
  | { status: 'failed' | 'skipped'; reason: string }
  /** Nothing to do: unknown, or already finished by an earlier job. */
  | { status: 'done' }
  /** A temporary failure: the queue tries again later. */
  | { status: 'retry'; error: string; retryAfterMs?: number | undefined };

const addressOf = (m: MemberReachRecord, c: Channel): string | null => {
  if (c === 'telegram') return m.telegramUserId !== null ? String(m.telegramUserId) : null;
  if (c === 'vk') return m.vkUserId !== null ? String(m.vkUserId) : null;
  if (c === 'sms') return m.phone || null;
  return m.email;
};

/** The points of the reminder's expiry group still there (spent or already expired → 0). */
function pointsLeftOn(lots: readonly MemberLot[], expiresOn: string, timeZone: string, now: Date): number {
  let sum = 0;
  for (const l of lots) {
    if (l.expiresAt && l.expiresAt > now && l.remaining > 0 && localDateOf(l.expiresAt, timeZone) === expiresOn) sum += l.remaining;
  }
  return sum;
}

type Rendered = { text: string; subject: string } | { skip: string };

function render(business: Business, message: StoredMessage, member: MemberReachRecord, lots: readonly MemberLot[], now: Date, cardUrl: string): Rendered {
  const settings = business.program.notifications;
  const lang = memberLanguage(member.language, settings);
  const vars: Record<string, string | number> = {
    name: member.name?.trim() || FALLBACK_NAME[lang],
    pointsName: business.program.pointsName,
    balance: availablePoints(lots, now),
    business: business.name,
    cardUrl,
    ...message.vars,
  };
  if (message.kind === 'expiry_reminder') {
    const expiresOn = String(message.vars.expiresOn ?? '');
    const left = pointsLeftOn(lots, expiresOn, business.timezone, now);
    if (left <= 0) return { skip: 'the points of this reminder were spent or have expired' };
    vars.points = left;
    vars.expiresAt = formatLocalDate(addDays(expiresOn, -1), lang);
  }
  if (typeof message.vars.expiresAt === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(message.vars.expiresAt)) vars.expiresAt = formatLocalDate(message.vars.expiresAt, lang);
  return { text: messageText(message.kind, message.text, settings, lang, vars), subject: business.name };
}

export async function deliverMessage(deps: AppDeps, o: DeliveryOptions, job: { businessId: string; messageId: string; finalAttempt: boolean }): Promise<DeliveryResult> {
  if (!UUID_RE.test(job.businessId) || !UUID_RE.test(job.messageId)) return { status: 'done' };
  const clock = o.clockFor?.(job.businessId) ?? deps.clock;
  const now = clock.now();
  const claimed = await deps.uow.run(async (repos) => {
    const c = await repos.messages.claim(job.businessId, job.messageId, now);
    if (!c) return null;
    const business = await (o.business ? o.business(repos, job.businessId) : repos.businesses.get(job.businessId));
    const lots = business ? await repos.lots.open(job.businessId, c.member.id) : [];
    return { ...c, business, lots };
  });
  if (!claimed) return { status: 'done' };
  const { message, member, business, lots } = claimed;
  const tried: Channel[] = [...message.triedChannels];
  const finish = async (status: 'failed' | 'skipped', reason: string): Promise<DeliveryResult> => {
    await deps.uow.run((repos) => repos.messages.recordFinal(job.businessId, message.id, { status, error: reason, triedChannels: tried, at: clock.now() }));
    return { status, reason };
  };
  if (!business) return finish('failed', 'the business is gone');
  if (member.erased || member.blocked) return finish('skipped', member.erased ? 'the member erased their data' : 'the member is blocked');
  if (!maySend(message.purpose, member.marketingConsent)) return finish('skipped', 'the member has not agreed to marketing messages');

  let rendered: Rendered;
  try {
    rendered = render(business, message, member, lots, now, o.cardUrl(business.id));
  } catch (e) {
    return finish('failed', `the text could not be made: ${(e as Error).message}`);
  }
  if ('skip' in rendered) return finish('skipped', rendered.skip);

  const { configured, sender } = await o.channels.forBusiness(business.id);
  const dead = new Set<Channel>([...member.deadChannels, ...tried]);
  const errors: string[] = [];
  for (;;) {
    const addresses: Partial<Record<Channel, string>> = {};
    for (const c of configured) {
      const a = addressOf(member, c);
      if (a) addresses[c] = a;
    }
    const channel = chooseChannel(business.program.notifications.channelOrder, configured, { addresses, dead: [...dead] });
    if (!channel) return finish('failed', errors.length > 0 ? `no channel took it: ${errors.join('; ')}` : 'no channel of the business reaches the member');
    const s = sender(channel);
    if (!s) {
      dead.add(channel);
      continue;
    }
    const outcome = await s.send({ businessId: business.id, messageId: message.id, channel, address: addresses[channel] as string, text: rendered.text, subject: rendered.subject });
    if (outcome.status === 'sent') {
      await deps.uow.run((repos) => repos.messages.recordSent(business.id, message.id, { channel, body: rendered.text, providerMessageId: outcome.providerMessageId, triedChannels: tried, at: clock.now() }));
      return { status: 'sent', channel };
    }
    if (outcome.status === 'dead') {
      // This channel cannot reach the member (blocked the bot, invalid number): remember it, try the next one now.
      dead.add(channel);
      tried.push(channel);
      errors.push(`${channel}: ${outcome.error}`);
      await deps.uow.run((repos) => repos.messages.markChannelDead(business.id, member.id, channel));
      continue;
    }
    if (job.finalAttempt) return finish('failed', `${channel}: ${outcome.error} (gave up after retries)`);
    await deps.uow.run((repos) => repos.messages.recordRetry(business.id, message.id, { error: `${channel}: ${outcome.error}`, triedChannels: tried }));
    return { status: 'retry', error: outcome.error, retryAfterMs: outcome.retryAfterMs };
  }
}
