// VK: messages from the business's community to members who allowed it to write to them (messages.send through
// vk-io, which also paces the calls per community token and waits out VK's "too many requests").
import http from 'node:http';
import https from 'node:https';
import { API, APIError } from 'vk-io';
import type { ChannelSender, OutgoingMessage, SendOutcome, VkSettings } from '../../core/index.js';
import { describeError } from './endpoints.js';

// VK allows 20 calls a second per community token; a margin keeps network jitter from tripping its counter.
const VK_CALLS_PER_SECOND = 18;
const MAX_TEXT = 4096;

// The member cannot be written to by this community: blacklisted it, never allowed messages, privacy settings,
// no such (or a deleted) user.
const DEAD = new Set([18, 113, 900, 901, 902, 936]);
// Wait before trying again: flood control (9), the method's rate limit (29).
const WAIT_MS: Record<number, number> = { 9: 60_000, 29: 3_600_000 };

/** VK drops a second messages.send with the same random_id, so a retried message is never shown twice. */
export function vkRandomId(messageId: string): number {
  let h = 0x811c9dc5;
  for (const ch of messageId) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h & 0x7fffffff) || 1;
}

export function vkSender(o: { settings: VkSettings; apiRoot: string; timeoutMs: number }): ChannelSender {
  const api = new API({
    token: o.settings.token,
    apiBaseUrl: `${o.apiRoot.replace(/\/+$/, '')}/method`,
    apiLimit: VK_CALLS_PER_SECOND,
    // Our queue retries with backoff; vk-io retrying inside would hold the worker.
    apiRetryLimit: 0,
    apiWait: 0,
    apiTimeout: o.timeoutMs,
    // vk-io's default agent speaks only https; a plain http root is a local stand-in.
    agent: (o.apiRoot.startsWith('http:') ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true })) as https.Agent,
  });
  return {
    channel: 'vk',
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      const userId = Number(m.address);
      if (!Number.isSafeInteger(userId) || userId <= 0) return { status: 'dead', error: `vk: ${m.address.slice(0, 30)} is not a VK user id` };
      try {
        const id = await api.messages.send({ user_id: userId, random_id: vkRandomId(m.messageId), message: m.text.slice(0, MAX_TEXT), dont_parse_links: 0 });
        return { status: 'sent', providerMessageId: typeof id === 'number' || typeof id === 'string' ? String(id) : null };
      } catch (e) {
        if (e instanceof APIError) {
          const code = Number(e.code);
          const error = `vk: ${code} ${e.message}`.slice(0, 300);
          if (DEAD.has(code)) return { status: 'dead', error };
          const wait = WAIT_MS[code];
          return wait ? { status: 'retry', error, retryAfterMs: wait } : { status: 'retry', error };
        }
        return { status: 'retry', error: `vk: ${describeError(e)}` };
      }
    },
  };
}
