// VK's Callback API for a business's community: POST /vk/callback/<secret>, the secret naming the business's VK
// channel (callbackPath in its settings). VK first asks for the confirmation string (type "confirmation"), then
// posts events as JSON and wants the body "ok" back, or it sends the event again. message_new: a member's message
// (or a connect link's first message); message_allow / message_deny: whether the community may write to them.
import type { Hono } from 'hono';
import type { AppDeps } from '../app/deps.js';
import { receiveVkMessage, vkCallbackTarget, vkMessagesAllowed, type VkCommunity, type VkLang } from '../app/vkMembers.js';
import type { Logger } from '../config/logger.js';
import type { VkSettings } from '../core/index.js';
import { problem } from './problem.js';

const MAX_BODY = 256 * 1024;
/** VK sends an event again when our "ok" is late; the same event_id within this window is answered and skipped. */
const SEEN_MS = 15 * 60_000;
const SEEN_MAX = 20_000;

export interface VkCallbackOptions {
  deps: AppDeps;
  log: Logger;
  /** Replies through the community and staff notices; without it messages are still stored (and that is logged). */
  community?: VkCommunity;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const whole = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : typeof v === 'string' && /^-?\d{1,16}$/.test(v) ? Number(v) : null);

// VK's lang_id: 0 Russian, 1 Ukrainian, 2 Belarusian, 3 English, …; only English speakers get English.
const langOf = (clientInfo: unknown): VkLang => (whole(obj(clientInfo).lang_id) === 3 ? 'en' : 'ru');

/** The dialog's Start button sends payload {"command":"start"}. */
function isStart(payload: unknown): boolean {
  if (typeof payload !== 'string') return false;
  try {
    return obj(JSON.parse(payload)).command === 'start';
  } catch {
    return false;
  }
}

export function mountVkCallback(http: Hono, o: VkCallbackOptions): void {
  const seen = new Map<string, number>();
  const firstTime = (key: string): boolean => {
    const now = Date.now();
    if ((seen.get(key) ?? 0) > now - SEEN_MS) return false;
    if (seen.size >= SEEN_MAX) for (const [k, at] of seen) if (at <= now - SEEN_MS || seen.size >= SEEN_MAX) seen.delete(k);
    seen.set(key, now);
    return true;
  };
  const community: VkCommunity = o.community ?? {
    reply: async (to, r) => o.log.warn(`vk community ${to.settings.groupId}: no VK sender configured; the ${r.kind} reply to ${to.vkUserId} was not sent`),
    tellStaff: async (businessId, member) => {
      o.log.info(`chat: a VK message from member ${member.id} of business ${businessId} waits in the inbox`);
      return 0;
    },
  };

  http.post('/vk/callback/:secret', async (c) => {
    const target = await vkCallbackTarget(o.deps, c.req.param('secret'));
    if (!target) return problem(c, { title: 'Not Found', status: 404, code: 'not_found', detail: 'No VK community has this callback address' });
    let body: Json;
    try {
      const text = await c.req.text();
      if (text.length > MAX_BODY) throw new Error('too large');
      body = obj(JSON.parse(text));
    } catch {
      return problem(c, { title: 'Bad Request', status: 400, code: 'validation_failed', detail: 'The event is not a JSON object' });
    }
    const { settings, businessId } = target;
    const groupId = whole(body.group_id);
    if (groupId !== null && groupId !== settings.groupId) {
      o.log.warn(`vk callback for business ${businessId}: an event of community ${groupId}, but the settings name ${settings.groupId}`);
      return problem(c, { title: 'Forbidden', status: 403, code: 'forbidden', detail: 'This address belongs to another VK community' });
    }
    if (body.type === 'confirmation') {
      if (!settings.confirmationCode) {
        o.log.warn(`vk callback for business ${businessId}: VK asks to confirm the address, but vk.confirmationCode is not set`);
        return problem(c, { title: 'Conflict', status: 409, code: 'channel_not_configured', detail: 'Save the confirmation string VK shows as vk.confirmationCode first' });
      }
      return c.text(settings.confirmationCode);
    }
    // With a secret key set, every event must carry it (VK adds it to each one).
    if (settings.secretKey && body.secret !== settings.secretKey) {
      o.log.warn(`vk callback for business ${businessId}: an event without the right secret key was refused`);
      return problem(c, { title: 'Forbidden', status: 403, code: 'forbidden', detail: 'Wrong secret key' });
    }
    const object = obj(body.object);
    const eventId = typeof body.event_id === 'string' ? body.event_id.slice(0, 100) : null;
    const seenKey = `${businessId}:${eventId}`;
    if (eventId !== null && !firstTime(seenKey)) return c.text('ok');
    try {
      await handle(businessId, settings, body.type, object, eventId);
    } catch (e) {
      seen.delete(seenKey); // VK sends it again after our error: then it is handled
      throw e;
    }
    return c.text('ok');
  });

  async function handle(businessId: string, settings: VkSettings, type: unknown, object: Json, eventId: string | null): Promise<void> {
    if (type === 'message_new') {
      // Since API 5.103 the message is object.message; older versions put its fields in object itself.
      const message = obj(object.message ?? object);
      const fromId = whole(message.from_id);
      const peerId = whole(message.peer_id) ?? fromId;
      // Only a person's private dialog with the community (not group chats, not other communities, not our own).
      if (fromId === null || fromId <= 0 || peerId !== fromId || message.out === 1) return;
      const ref = typeof message.ref === 'string' && message.ref.length <= 200 ? message.ref : null;
      const outcome = await receiveVkMessage(o.deps, community, {
        businessId,
        settings,
        vkUserId: fromId,
        eventKey: String(whole(message.id) || whole(message.conversation_message_id) || eventId || `${fromId}:${whole(message.date) ?? ''}`),
        text: typeof message.text === 'string' ? message.text : '',
        ref,
        start: isStart(message.payload),
        lang: langOf(object.client_info),
      });
      o.log.debug(`vk callback for business ${businessId}: a message from ${fromId}: ${outcome}`);
    } else if (type === 'message_allow' || type === 'message_deny') {
      const userId = whole(object.user_id);
      if (userId !== null && userId > 0) await vkMessagesAllowed(o.deps, { businessId, vkUserId: userId, allowed: type === 'message_allow' });
    }
  }
}
