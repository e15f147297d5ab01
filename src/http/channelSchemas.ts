// The API contract of the notification channels (VK, SMS, e-mail settings): registered with the other schemas.
import { z } from 'zod';
import type { ChannelTestResult, NotificationChannelView } from '../app/notificationChannels.js';
import { requestSchemas, responseSchemas } from './schemas.js';

const secret = (d: string) => z.string().max(1000).describe(`${d}; write-only: answers show only its last 4 characters, and a change that leaves it out keeps it`);

// Loose objects: the fields are documented here, and the use case checks the whole result (invalid_channel_config).
const VkSettingsInput = z.looseObject({
  groupId: z.number().int().optional().describe('The VK community (group) id'),
  token: secret('The community\'s access token with the messages right').optional(),
  confirmationCode: z.string().max(50).nullable().optional().describe('Callback API: the string VK shows to confirm the server address (callbackPath); needed to receive members\' messages'),
  secretKey: secret('Callback API: the secret key set in the community\'s Callback API settings (VK sends it with every event)').nullable().optional(),
}).describe('VK: the business\'s community writes to members who allowed it; with the Callback API set to callbackPath, their messages reach the chat and they connect VK from their card');

const SmsSettingsInput = z.looseObject({
  provider: z.enum(['smsru', 'smsc', 'http']).optional().describe('smsru: SMS.ru; smsc: SMSC.ru; http: any gateway speaking the generic JSON protocol'),
  sender: z.string().max(15).nullable().optional().describe('Approved sender name (2–11 Latin letters/digits) or null for the provider\'s default'),
  ratePerSecond: z.number().int().optional().describe('Messages per second the account may send (default 10)'),
  apiId: secret('SMS.ru: the api_id').optional(),
  test: z.boolean().optional().describe('SMS.ru: test mode (nothing is sent or billed)'),
  login: z.string().max(100).optional().describe('SMSC.ru: the login'),
  password: secret('SMSC.ru: the password or API key').optional(),
  url: z.string().max(2000).optional().describe('Generic gateway: the URL messages are POSTed to'),
  token: secret('Generic gateway: sent as Authorization: Bearer; kept only while the URL stays the same').nullable().optional(),
}).describe('SMS through SMS.ru, SMSC.ru or a generic HTTP gateway; delivery reports come back to callbackPath');

const EmailSettingsInput = z.looseObject({
  host: z.string().max(253).optional().describe('SMTP server'),
  port: z.number().int().optional().describe('Default 587, or 465 with secure'),
  secure: z.boolean().optional().describe('TLS from the start (port 465); otherwise STARTTLS when offered'),
  user: z.string().max(320).nullable().optional(),
  password: secret('SMTP password; kept only while host and user stay the same').nullable().optional(),
  from: z.string().max(320).optional().describe('Sender address'),
  fromName: z.string().max(100).nullable().optional(),
  replyTo: z.string().max(320).nullable().optional(),
  ratePerSecond: z.number().int().optional().describe('Messages per second (default 5)'),
}).describe('E-mail through the business\'s SMTP server, in text and HTML');

export const NotificationChannelSet = z
  .union([VkSettingsInput, SmsSettingsInput, EmailSettingsInput])
  .register(requestSchemas, { id: 'NotificationChannelSet' });

export const NotificationChannelTest = z
  .strictObject({
    to: z.string().min(1).max(320).describe('A phone (sms), an e-mail address (email) or a VK user id (vk)'),
    text: z.string().min(1).max(1000).optional().describe('Default: a short test text naming the business'),
  })
  .register(requestSchemas, { id: 'NotificationChannelTest' });

export const NotificationChannel = z
  .object({
    channel: z.enum(['vk', 'sms', 'email']),
    settings: z.record(z.string(), z.unknown()).describe('The settings, secrets shown as …last 4 characters'),
    callbackPath: z.string().nullable().describe('The path on this server (after its public address) to give the provider: SMS delivery reports; VK the Callback API server address'),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .register(responseSchemas, { id: 'NotificationChannel' });

export const NotificationChannelList = z.object({ items: z.array(NotificationChannel) }).register(responseSchemas, { id: 'NotificationChannelList' });

export const NotificationChannelTestResult = z
  .object({
    status: z.enum(['sent', 'retry', 'dead']).describe('sent: the provider took it; retry: a temporary or settings problem; dead: this address cannot be reached'),
    to: z.string(),
    providerMessageId: z.string().nullable(),
    error: z.string().nullable().describe('What the provider said'),
  })
  .register(responseSchemas, { id: 'NotificationChannelTestResult' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [Same<z.output<typeof NotificationChannel>, NotificationChannelView>, Same<z.output<typeof NotificationChannelTestResult>, ChannelTestResult>] = [true, true];
void proofs;
