// End-to-end notifications: the API server on a test database with the notifications engine running beside it (as
// `kopilka start` wires it: pg-boss in the file's own `<schema>_boss`, the relay, the workers, the campaign jobs),
// a Bot API stand-in for the customer bots, and helpers to make Telegram members and wait for their messages.
import { sql } from 'kysely';
import { connectBot } from '../../src/app/bots.js';
import type { TestClocks } from '../../src/app/testClocks.js';
import { telegramGateway } from '../../src/bots/telegramGateway.js';
import { vkCommunity } from '../../src/bots/vkCommunity.js';
import { startNotifications, type Notifications, type NotificationsOptions } from '../../src/cli/notifications.js';
import { createLogger, silentLogger } from '../../src/config/logger.js';
import type { Program } from '../../src/core/index.js';
import { startApi, type ApiHarness } from './apiServer.js';
import { nextPhone } from './factories.js';
import { startTelegramApi, type StartTelegramApiOptions, type TelegramApi, type TelegramUser } from './telegramApi.js';

export interface NotifyHarness extends ApiHarness {
  tg: TelegramApi;
  notifications: Notifications;
  clocks: TestClocks | null;
  /** A business with its customer bot connected to the stand-in. */
  shop(program?: Partial<Program>, extra?: { timezone?: string }): Promise<Awaited<ReturnType<ApiHarness['business']>> & { token: string }>;
  /** A member who joined through the bot: has a Telegram chat, and (by default) agreed to marketing. */
  telegramMember(shop: { id: string; token: string; api: Awaited<ReturnType<ApiHarness['business']>>['api'] }, o?: { name?: string; marketing?: boolean; phone?: string; birthday?: string }): Promise<{ id: string; cardNumber: string; phone: string; chat: TelegramUser; telegramUserId: number }>;
  /** Message rows of a business, oldest first. */
  messages(businessId: string): Promise<{ id: string; key: string; kind: string; status: string; channel: string | null; member_id: string; body: string | null; send_after: Date; sent_at: Date | null; last_error: string | null }[]>;
  /** A message the bot sent to this chat, already or within `timeoutMs` (waitForMessage sees only later ones). */
  received(chat: TelegramUser, match: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Waits until `check` returns something truthy (polling), or fails after `timeoutMs`. */
  waitFor<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs?: number, what?: string): Promise<T>;
}

let userSeq = 0;
let botSeq = 0;

export async function startNotifyHarness(o: {
  testClock?: boolean;
  telegram?: StartTelegramApiOptions;
  notifications?: Partial<Omit<NotificationsOptions, 'db' | 'url' | 'log' | 'telegramApiRoot' | 'baseUrl' | 'clockFor'>>;
} = {}): Promise<NotifyHarness> {
  const tg = await startTelegramApi({ strictUrls: false, ...o.telegram });
  let notifications: Notifications | undefined;
  let clocks: TestClocks | null = null;
  const log = process.env.KOPILKA_TEST_LOG ? createLogger('debug') : silentLogger;
  const api = await startApi({
    testClock: o.testClock ?? false,
    setup: async (t) => {
      notifications = await startNotifications(t.deps, {
        db: t.db,
        url: t.url.includes('?') ? `${t.url}&options=-c%20search_path%3D${t.schema}` : t.url,
        log,
        telegramApiRoot: tg.url,
        baseUrl: 'https://shop.test',
        clockFor: o.testClock ? (businessId) => (clocks ? clocks.clockFor(businessId) : t.deps.clock) : undefined,
        intervalSeconds: 0.2,
        campaignsEverySeconds: 1,
        queue: { expireInSeconds: 5, maintenanceIntervalSeconds: 1, retryDelaySeconds: 1 },
        ...o.notifications,
      });
      // With a VK API root, the VK communities answer members through it (the Callback API at /vk/callback/<secret>).
      const vkApiRoot = o.notifications?.endpoints?.vkApiRoot;
      const vk = vkApiRoot ? { community: vkCommunity(t.deps, { log, vkApiRoot, telegramApiRoot: tg.url, timeoutMs: 5000 }) } : undefined;
      return { jobs: notifications.steppedJobs, clocks: (c) => (clocks = c), close: () => notifications!.stop(), ...(vk ? { vk } : {}) };
    },
  });
  const h: NotifyHarness = {
    ...api,
    tg,
    notifications: notifications!,
    get clocks() {
      return clocks;
    },
    async shop(program = {}, extra = {}) {
      const b = await api.business(program);
      if (extra.timezone) await api.t.db.updateTable('businesses').set({ timezone: extra.timezone }).where('id', '=', b.id).execute();
      botSeq += 1;
      const token = `${7000 + botSeq + (process.pid % 1000) * 100}:AAnotifyHarnessTestToken${String(botSeq).padStart(6, "0")}`;
      tg.addBot({ token, username: `shop${botSeq}_bot` });
      await connectBot(api.t.deps, telegramGateway(tg.url), { businessId: b.id, role: 'customer', token });
      return { ...b, token };
    },
    async telegramMember(shop, m = {}) {
      userSeq += 1;
      const telegramUserId = 500_000 + userSeq * 17 + (process.pid % 1000);
      const phone = m.phone ?? nextPhone();
      const created = await shop.api.members.create({ phone, ...(m.name ? { name: m.name } : {}), ...(m.birthday ? { birthday: m.birthday } : {}) });
      const id = created.id;
      await api.t.deps.uow.run(async (repos) => {
        await repos.members.linkTelegram(shop.id, id, telegramUserId, null);
        if (m.marketing !== false) await repos.members.addConsent({ businessId: shop.id, memberId: id, kind: 'marketing', granted: true, textVersion: 'test-1', channel: 'telegram', at: api.t.clock.now() });
      });
      const chat = tg.user(shop.token, { id: telegramUserId, first_name: m.name ?? 'Member' });
      chat.sendCommand('/start'); // as joining did: a bot may write only to users who started it
      return { id, cardNumber: created.cardNumber, phone, chat, telegramUserId };
    },
    async messages(businessId) {
      const r = await sql<Awaited<ReturnType<NotifyHarness['messages']>>[number]>`
        select id, key, kind, status, channel, member_id, body, send_after, sent_at, last_error from messages
         where business_id = ${businessId} order by created_at, key`.execute(api.t.db);
      return r.rows;
    },
    async waitFor(check, timeoutMs = 20_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await check();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async received(chat, match, timeoutMs = 20_000) {
      return h.waitFor(() => chat.messages().map((m) => m.text).find(match), timeoutMs, `a matching message in ${chat.transcript()}`);
    },
    async close() {
      await api.close();
      await tg.close();
    },
  };
  return h;
}
