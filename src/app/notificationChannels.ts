// The business's VK, SMS and e-mail channels: set up, change (only the fields given; secrets left out are kept),
// remove, list with secrets hidden; and SMS delivery reports from the providers, recorded on the messages.
import { randomBytes } from 'node:crypto';
import {
  DomainError,
  SECRET_FIELDS,
  invalid,
  normalizePhone,
  checkChannelSettings,
  isConfigurableChannel,
  shownChannelSettings,
  type AnyChannelSettings,
  type ConfigurableChannel,
  type DeliveryReport,
  type OutgoingMessage,
  type SendOutcome,
  type SmsProvider,
  type SmsSettings,
  type StoredChannel,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';
import { vkCallbackPath } from './vkMembers.js';

/** Where providers post SMS delivery reports; prefix it with the server's public address. */
export const smsCallbackPath = (secret: string) => `/callbacks/sms/${secret}`;

export interface NotificationChannelView {
  channel: ConfigurableChannel;
  /** The settings, every secret shown only as a hint (…last 4 characters). */
  settings: Record<string, unknown>;
  /** SMS: the address (path on this server) to give the provider for delivery reports; VK: the Callback API server address. */
  callbackPath: string | null;
  updatedAt: string;
}

const view = (c: StoredChannel): NotificationChannelView => ({
  channel: c.channel,
  settings: shownChannelSettings(c.channel, c.settings),
  callbackPath: c.channel === 'sms' ? smsCallbackPath(c.callbackSecret) : c.channel === 'vk' ? vkCallbackPath(c.callbackSecret) : null,
  updatedAt: c.updatedAt.toISOString(),
});

function checkChannel(value: unknown): ConfigurableChannel {
  if (!isConfigurableChannel(value)) {
    throw new DomainError('channel_not_configured', `No channel ${String(value).slice(0, 40)}: use vk, sms or email (Telegram is the business's customer bot)`);
  }
  return value;
}

export async function listNotificationChannels(deps: AppDeps, businessId: string): Promise<NotificationChannelView[]> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    return (await repos.notificationChannels.list(business.id)).map(view);
  });
}

/** The fields of the stored settings a change starts from: everything but secrets (those follow checkChannelSettings' rules). */
function startingPoint(channel: ConfigurableChannel, previous: AnyChannelSettings | null, change: Record<string, unknown>): Record<string, unknown> {
  if (!previous) return {};
  // A different SMS provider starts afresh.
  if (channel === 'sms' && change.provider !== undefined && change.provider !== (previous as SmsSettings).provider) return {};
  const base: Record<string, unknown> = { ...previous };
  for (const f of SECRET_FIELDS[channel]) delete base[f];
  return base;
}

/**
 * Sets up the channel, or changes the fields given of one set up already; the result is checked as a whole
 * (invalid_channel_config lists every problem) and nothing changes when it fails.
 */
export async function setNotificationChannel(deps: AppDeps, input: { businessId: string; channel: string; change: unknown }): Promise<NotificationChannelView> {
  const channel = checkChannel(input.channel);
  if (typeof input.change !== 'object' || input.change === null || Array.isArray(input.change)) {
    throw new DomainError('invalid_channel_config', `The ${channel} settings must be an object`, { problems: [`${channel} must be an object`] });
  }
  const change = input.change as Record<string, unknown>;
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const stored = await repos.notificationChannels.get(business.id, channel);
    const settings = checkChannelSettings(channel, { ...startingPoint(channel, stored?.settings ?? null, change), ...change }, stored?.settings ?? null);
    const row: StoredChannel = {
      businessId: business.id,
      channel,
      settings,
      callbackSecret: stored?.callbackSecret ?? randomBytes(24).toString('base64url'),
      updatedAt: deps.clock.now(),
    };
    await repos.notificationChannels.put(row);
    return view(row);
  });
}

export async function removeNotificationChannel(deps: AppDeps, input: { businessId: string; channel: string }): Promise<void> {
  const channel = checkChannel(input.channel);
  await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    if (!(await repos.notificationChannels.delete(business.id, channel))) throw new DomainError('channel_not_configured', `The ${channel} channel is not set up`);
  });
}

/** Whose SMS channel a callback address belongs to, and which provider's format its reports come in; null if nobody's. */
export async function smsCallbackTarget(deps: AppDeps, secret: string): Promise<{ businessId: string; provider: SmsProvider } | null> {
  if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(secret)) return null;
  const c = await deps.uow.run((repos) => repos.notificationChannels.findByCallbackSecret(secret));
  if (!c || c.channel !== 'sms') return null;
  return { businessId: c.businessId, provider: (c.settings as SmsSettings).provider };
}

/**
 * Records delivery reports on the business's SMS messages (a final status is never replaced; reports for unknown
 * ids are ignored); a number the provider says cannot be reached is marked dead for SMS, so later messages go by
 * another channel. Returns how many reports were for known messages and how many changed one.
 */
export async function recordSmsDeliveryReports(deps: AppDeps, businessId: string, reports: readonly DeliveryReport[]): Promise<{ known: number; changed: number }> {
  if (reports.length === 0) return { known: 0, changed: 0 };
  return deps.uow.run(async (repos) => {
    let known = 0;
    let changed = 0;
    for (const report of reports) {
      const r = await repos.notificationChannels.recordDeliveryReport(businessId, 'sms', report);
      if (!r) continue;
      known += 1;
      if (!r.changed) continue;
      changed += 1;
      if (report.numberDead) await repos.messages.markChannelDead(businessId, r.memberId, 'sms');
    }
    return { known, changed };
  });
}

/** Sends one message through a stored channel (the composition root builds the channel's sender). */
export type ChannelTestSend = (c: StoredChannel, m: OutgoingMessage) => Promise<SendOutcome>;

export interface ChannelTestResult {
  status: SendOutcome['status'];
  /** The address as sent (a phone in E.164). */
  to: string;
  providerMessageId: string | null;
  error: string | null;
}

const EMAIL_RE = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/**
 * Sends a test message through the business's channel now, so the owner sees at once whether the settings work;
 * the provider's answer comes back as is (nothing is recorded, no member is involved).
 */
export async function testNotificationChannel(deps: AppDeps, input: { businessId: string; channel: string; to: string; text?: string | null | undefined }, send: ChannelTestSend): Promise<ChannelTestResult> {
  const channel = checkChannel(input.channel);
  const { business, stored } = await deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    return { business, stored: await repos.notificationChannels.get(business.id, channel) };
  });
  if (!stored) throw new DomainError('channel_not_configured', `The ${channel} channel is not set up`);
  const raw = typeof input.to === 'string' ? input.to.trim() : '';
  let to: string;
  if (channel === 'sms') to = normalizePhone(raw, business.region);
  else if (channel === 'email') {
    if (!EMAIL_RE.test(raw) || raw.length > 320) throw invalid('to must be an e-mail address', { field: 'to' });
    to = raw;
  } else {
    if (!/^\d{1,15}$/.test(raw)) throw invalid('to must be a VK user id (digits)', { field: 'to' });
    to = raw;
  }
  const text = input.text?.trim() || `Kopilka: test message from «${business.name}» (${channel})`;
  const outcome = await send(stored, { businessId: business.id, messageId: deps.newId(), channel, address: to, text, subject: `Kopilka test: ${business.name}` });
  return {
    status: outcome.status,
    to,
    providerMessageId: outcome.status === 'sent' ? outcome.providerMessageId : null,
    error: outcome.status === 'sent' ? null : outcome.error,
  };
}
