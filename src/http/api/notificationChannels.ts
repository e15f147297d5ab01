// /notification-channels: the business's VK, SMS and e-mail settings (Telegram is its customer bot), and a test send.
import { z } from 'zod';
import { listNotificationChannels, removeNotificationChannel, setNotificationChannel, testNotificationChannel, type ChannelTestSend } from '../../app/notificationChannels.js';
import * as C from '../channelSchemas.js';
import { HttpError } from '../errors.js';
import { route, type ApiRouter } from '../route.js';
import { requireBusinessKey } from './common.js';

const ChannelParam = z.object({ channel: z.string().max(20).describe('vk, sms or email') });

export function notificationChannelRoutes(r: ApiRouter, testSend: ChannelTestSend | null): void {
  route(r, {
    method: 'get', path: '/notification-channels', operationId: 'listNotificationChannels', tag: 'Notifications', summary: 'The VK, SMS and e-mail channels set up',
    permission: 'settings.change',
    description: 'Messages go through the first channel in notifications.channelOrder (the program) that is set up and reaches the member. Secrets are never shown back.',
    responses: { 200: { description: 'The channels', schema: C.NotificationChannelList } },
    errors: ['forbidden'],
  }, async ({ c }) => {
    requireBusinessKey(c.var.caller);
    return { status: 200, body: { items: await listNotificationChannels(c.var.deps, c.var.caller.businessId) } };
  });

  route(r, {
    method: 'patch', path: '/notification-channels/:channel', operationId: 'setNotificationChannel', tag: 'Notifications', summary: 'Set up or change a channel',
    permission: 'settings.change',
    description: 'Sets up the channel, or changes only the fields given. Secrets left out are kept (an SMTP password only for the same host and user, a gateway token only for the same URL; another SMS provider starts afresh). The result is checked as a whole: invalid_channel_config lists every problem and nothing changes.',
    params: ChannelParam, body: C.NotificationChannelSet,
    responses: { 200: { description: 'The channel as set', schema: C.NotificationChannel } },
    errors: ['invalid_channel_config', 'channel_not_configured', 'forbidden'],
  }, async ({ params, body, c }) => {
    requireBusinessKey(c.var.caller);
    return { status: 200, body: await setNotificationChannel(c.var.deps, { businessId: c.var.caller.businessId, channel: params.channel, change: body }) };
  });

  route(r, {
    method: 'delete', path: '/notification-channels/:channel', operationId: 'removeNotificationChannel', tag: 'Notifications', summary: 'Stop using a channel',
    permission: 'settings.change',
    params: ChannelParam,
    responses: { 204: { description: 'Removed; messages go by the next channel' } },
    errors: ['channel_not_configured', 'forbidden'],
  }, async ({ params, c }) => {
    requireBusinessKey(c.var.caller);
    await removeNotificationChannel(c.var.deps, { businessId: c.var.caller.businessId, channel: params.channel });
    return { status: 204 };
  });

  route(r, {
    method: 'post', path: '/notification-channels/:channel/test', operationId: 'testNotificationChannel', tag: 'Notifications', summary: 'Send a test message now',
    permission: 'settings.change',
    description: 'Sends one message through the channel at once and answers with what the provider said, so the settings can be checked before members depend on them. Nothing is recorded.',
    params: ChannelParam, body: C.NotificationChannelTest,
    responses: { 200: { description: 'The provider\'s answer', schema: C.NotificationChannelTestResult } },
    errors: ['channel_not_configured', 'invalid_phone', 'forbidden'],
  }, async ({ params, body, c }) => {
    requireBusinessKey(c.var.caller);
    if (!testSend) throw new HttpError(404, 'not_found', 'Test messages are not available on this server');
    return { status: 200, body: await testNotificationChannel(c.var.deps, { businessId: c.var.caller.businessId, channel: params.channel, to: body.to, text: body.text }, testSend) };
  });
}
