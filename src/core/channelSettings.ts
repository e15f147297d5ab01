// A business's own VK, SMS and e-mail settings (Telegram is its customer bot): what each needs, checked whole when
// saved (every problem reported at once), secrets kept when a save leaves them out and never shown back in full.
import { DomainError } from './errors.js';

export const CONFIGURABLE_CHANNELS = ['vk', 'sms', 'email'] as const;
export type ConfigurableChannel = (typeof CONFIGURABLE_CHANNELS)[number];
export const isConfigurableChannel = (v: unknown): v is ConfigurableChannel => CONFIGURABLE_CHANNELS.includes(v as ConfigurableChannel);

export const SMS_PROVIDERS = ['smsru', 'smsc', 'http'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];

/** A VK community's bot: messages go from the community to members who allowed it to write to them. */
export interface VkSettings {
  groupId: number;
  /** The community's access token with the "messages" right. */
  token: string;
  /** Callback API: the string VK expects back when it confirms the server address (absent = not set). */
  confirmationCode?: string;
  /** Callback API: the secret key VK sends in every event (absent = events are not checked for one). */
  secretKey?: string;
}

interface SmsCommon {
  /** The approved sender name; null = the provider's default. */
  sender: string | null;
  /** Messages per second this account may send (the provider's limit). */
  ratePerSecond: number;
}
export interface SmsRuSettings extends SmsCommon {
  provider: 'smsru';
  apiId: string;
  /** SMS.ru's test mode: accepted and billed nothing, never sent. */
  test: boolean;
}
export interface SmscSettings extends SmsCommon {
  provider: 'smsc';
  login: string;
  password: string;
}
/** Any gateway speaking Kopilka's simple JSON protocol (docs/CHANNELS.md): POST {to, text, sender, id, callbackUrl}. */
export interface HttpSmsSettings extends SmsCommon {
  provider: 'http';
  url: string;
  /** Sent as Authorization: Bearer <token>; null = none. */
  token: string | null;
}
export type SmsSettings = SmsRuSettings | SmscSettings | HttpSmsSettings;

export interface EmailSettings {
  host: string;
  port: number;
  /** TLS from the start (port 465); false = STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  /** The sender address. */
  from: string;
  fromName: string | null;
  replyTo: string | null;
  ratePerSecond: number;
}

export interface ChannelSettingsByChannel {
  vk: VkSettings;
  sms: SmsSettings;
  email: EmailSettings;
}
export type AnyChannelSettings = ChannelSettingsByChannel[ConfigurableChannel];

/** Fields never shown back: a save that leaves one out keeps the stored value. */
export const SECRET_FIELDS: Record<ConfigurableChannel, readonly string[]> = {
  vk: ['token', 'secretKey'],
  sms: ['apiId', 'password', 'token'],
  email: ['password'],
};

const EMAIL_RE = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const HOST_RE = /^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]+\]$/;
const SENDER_RE = /^[A-Za-z0-9 ._-]{2,11}$|^\d{3,15}$/;

type Raw = Record<string, unknown>;

function str(raw: Raw, prev: Raw | null, field: string, problems: string[], o: { max: number; optional?: boolean; secret?: boolean; channel: string }): string | null {
  let v = raw[field];
  if ((v === undefined) && o.secret && prev && typeof prev[field] === 'string') v = prev[field];
  if (v === undefined || v === null || v === '') {
    if (!o.optional) problems.push(`${o.channel}.${field} is required`);
    return null;
  }
  if (typeof v !== 'string') {
    problems.push(`${o.channel}.${field} must be a string`);
    return null;
  }
  const t = v.trim();
  if (t.length === 0 || t.length > o.max || /[\u0000-\u001f]/.test(t)) {
    problems.push(`${o.channel}.${field} must be 1–${o.max} characters on one line`);
    return null;
  }
  return t;
}

function wholeIn(raw: Raw, field: string, problems: string[], o: { min: number; max: number; dflt?: number; channel: string }): number {
  const v = raw[field] ?? o.dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < o.min || v > o.max) {
    problems.push(`${o.channel}.${field} must be a whole number from ${o.min} to ${o.max}`);
    return o.min;
  }
  return v;
}

function bool(raw: Raw, field: string, problems: string[], dflt: boolean, channel: string): boolean {
  const v = raw[field] ?? dflt;
  if (typeof v !== 'boolean') {
    problems.push(`${channel}.${field} must be true or false`);
    return dflt;
  }
  return v;
}

function unknownFields(raw: Raw, known: readonly string[], channel: string, problems: string[]): void {
  for (const k of Object.keys(raw)) if (!known.includes(k)) problems.push(`${channel}.${k} is not a setting of this channel; use ${known.join(', ')}`);
}

const VK_CALLBACK_RE = /^[A-Za-z0-9]{1,50}$/;

function checkVk(raw: Raw, prev: Raw | null, problems: string[]): VkSettings {
  unknownFields(raw, ['groupId', 'token', 'confirmationCode', 'secretKey'], 'vk', problems);
  const groupId = wholeIn(raw, 'groupId', problems, { min: 1, max: 2 ** 53 - 1, channel: 'vk' });
  const token = str(raw, prev, 'token', problems, { max: 512, secret: true, channel: 'vk' }) ?? '';
  // The Callback API's two strings (VK shows both in the community's settings): null or absent = not used.
  const confirmationCode = str(raw, null, 'confirmationCode', problems, { max: 50, optional: true, channel: 'vk' });
  if (confirmationCode !== null && !VK_CALLBACK_RE.test(confirmationCode)) problems.push('vk.confirmationCode must be 1–50 Latin letters or digits, as VK shows it');
  // The secret key carries over only for the same community.
  const secretKey = str(raw, prev && prev.groupId === groupId ? prev : null, 'secretKey', problems, { max: 50, optional: true, secret: true, channel: 'vk' });
  if (secretKey !== null && !VK_CALLBACK_RE.test(secretKey)) problems.push('vk.secretKey must be 1–50 Latin letters or digits');
  return { groupId, token, ...(confirmationCode !== null ? { confirmationCode } : {}), ...(secretKey !== null ? { secretKey } : {}) };
}

function checkSms(raw: Raw, prev: Raw | null, problems: string[]): SmsSettings {
  const provider = raw.provider;
  if (!SMS_PROVIDERS.includes(provider as SmsProvider)) {
    problems.push(`sms.provider must be one of ${SMS_PROVIDERS.join(', ')}`);
    return { provider: 'http', url: '', token: null, sender: null, ratePerSecond: 1 };
  }
  // Secrets carry over only within the same provider.
  const same = prev && prev.provider === provider ? prev : null;
  const sender = str(raw, same, 'sender', problems, { max: 15, optional: true, channel: 'sms' });
  if (sender !== null && !SENDER_RE.test(sender)) problems.push('sms.sender must be 2–11 Latin letters, digits, spaces, dots, dashes or underscores (or a number)');
  const common = { sender, ratePerSecond: 0 };
  if (provider === 'smsru') {
    unknownFields(raw, ['provider', 'apiId', 'sender', 'test', 'ratePerSecond'], 'sms', problems);
    common.ratePerSecond = wholeIn(raw, 'ratePerSecond', problems, { min: 1, max: 100, dflt: 10, channel: 'sms' });
    return { provider, apiId: str(raw, same, 'apiId', problems, { max: 100, secret: true, channel: 'sms' }) ?? '', test: bool(raw, 'test', problems, false, 'sms'), ...common };
  }
  if (provider === 'smsc') {
    unknownFields(raw, ['provider', 'login', 'password', 'sender', 'ratePerSecond'], 'sms', problems);
    common.ratePerSecond = wholeIn(raw, 'ratePerSecond', problems, { min: 1, max: 100, dflt: 10, channel: 'sms' });
    return {
      provider,
      login: str(raw, same, 'login', problems, { max: 100, channel: 'sms' }) ?? '',
      password: str(raw, same, 'password', problems, { max: 200, secret: true, channel: 'sms' }) ?? '',
      ...common,
    };
  }
  unknownFields(raw, ['provider', 'url', 'token', 'sender', 'ratePerSecond'], 'sms', problems);
  common.ratePerSecond = wholeIn(raw, 'ratePerSecond', problems, { min: 1, max: 1000, dflt: 10, channel: 'sms' });
  const url = str(raw, same, 'url', problems, { max: 2000, channel: 'sms' }) ?? '';
  if (url && !/^https?:\/\/[^\s/]+/i.test(url)) problems.push('sms.url must be an http:// or https:// URL');
  // The token carries over only to the same address: it is never sent anywhere the owner did not send it.
  const sameUrl = same && same.url === url ? same : null;
  return { provider: 'http', url, token: str(raw, sameUrl, 'token', problems, { max: 1000, optional: true, secret: true, channel: 'sms' }), ...common };
}

function checkEmail(raw: Raw, prev: Raw | null, problems: string[]): EmailSettings {
  unknownFields(raw, ['host', 'port', 'secure', 'user', 'password', 'from', 'fromName', 'replyTo', 'ratePerSecond'], 'email', problems);
  const host = str(raw, null, 'host', problems, { max: 253, channel: 'email' }) ?? '';
  if (host && !HOST_RE.test(host)) problems.push('email.host must be a host name or address');
  const secure = bool(raw, 'secure', problems, raw.port === 465, 'email');
  const port = wholeIn(raw, 'port', problems, { min: 1, max: 65535, dflt: secure ? 465 : 587, channel: 'email' });
  const user = str(raw, null, 'user', problems, { max: 320, optional: true, channel: 'email' });
  // The password carries over only for the same server and user.
  const same = prev && prev.host === host && prev.user === user ? prev : null;
  const password = str(raw, same, 'password', problems, { max: 500, optional: true, secret: true, channel: 'email' });
  if (user !== null && password === null) problems.push('email.password is required with email.user');
  const from = str(raw, null, 'from', problems, { max: 320, channel: 'email' }) ?? '';
  if (from && !EMAIL_RE.test(from)) problems.push('email.from must be an e-mail address');
  const fromName = str(raw, null, 'fromName', problems, { max: 100, optional: true, channel: 'email' });
  const replyTo = str(raw, null, 'replyTo', problems, { max: 320, optional: true, channel: 'email' });
  if (replyTo !== null && !EMAIL_RE.test(replyTo)) problems.push('email.replyTo must be an e-mail address');
  const ratePerSecond = wholeIn(raw, 'ratePerSecond', problems, { min: 1, max: 100, dflt: 5, channel: 'email' });
  return { host, port, secure, user, password, from, fromName, replyTo, ratePerSecond };
}

/**
 * The settings to store for `channel` from what the owner sent, with secrets the save left out taken from `previous`.
 * Throws invalid_channel_config listing every problem.
 */
export function checkChannelSettings<C extends ConfigurableChannel>(channel: C, input: unknown, previous: ChannelSettingsByChannel[C] | null): ChannelSettingsByChannel[C] {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new DomainError('invalid_channel_config', `The ${channel} settings must be an object`, { problems: [`${channel} must be an object`] });
  }
  const raw = input as Raw;
  const prev = previous as unknown as Raw | null;
  const result = channel === 'vk' ? checkVk(raw, prev, problems) : channel === 'sms' ? checkSms(raw, prev, problems) : checkEmail(raw, prev, problems);
  if (problems.length > 0) throw new DomainError('invalid_channel_config', `The ${channel} settings are not valid: ${problems.join('; ')}`, { problems });
  return result as ChannelSettingsByChannel[C];
}

/** A secret as the owner may see it: only that one is set, and its last 4 characters when it is long enough to hide. */
export const secretHint = (s: string): string => (s.length >= 12 ? `…${s.slice(-4)}` : '…');

/** The settings with every secret replaced by a hint (null when not set). */
export function shownChannelSettings(channel: ConfigurableChannel, settings: AnyChannelSettings): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...settings };
  for (const f of SECRET_FIELDS[channel]) {
    if (f in shown) shown[f] = typeof shown[f] === 'string' ? secretHint(shown[f]) : null;
  }
  return shown;
}
