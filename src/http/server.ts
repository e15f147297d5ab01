// The HTTP shell: the Hono app (health, 404, 500) and starting/stopping the Node server that serves it.
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { Server } from 'node:http';
import type { AppDeps } from '../app/deps.js';
import type { Logger } from '../config/logger.js';
import { mountApi, type ApiOptions } from './api.js';
import { adminSecurityHeaders, baseSecurityHeaders, mountAdminSession } from './adminSession.js';
import { mountCardApi, type CardApiOptions } from './card.js';
import { mountAdminStatic, mountCardStatic, mountCashierStatic, type CardStaticOptions } from './cardStatic.js';
import { mountStaffApi, type StaffApiOptions } from './staff.js';
import { problem } from './problem.js';
import { mountSmsCallbacks } from './smsCallbacks.js';
import { mountVkCallback, type VkCallbackOptions } from './vkCallback.js';
import { mountOperatorApi, mountSetupApi, type SetupApiOptions } from './setup.js';

export interface HttpDeps {
  app: AppDeps;
  db: Kysely<any>;
  log: Logger;
  /** The integration API; without it only /healthz is served. */
  api?: Omit<ApiOptions, 'deps' | 'log'>;
  /** Telegram's webhook calls for the businesses' bots (when they run on webhooks). */
  telegram?: TelegramWebhooks;
  /** The card app's API: how sign-in codes are delivered, and the public card address for links. */
  card?: Omit<CardApiOptions, 'deps' | 'log'>;
  /** The staff API's channels (redemption codes, owner alerts) and the cashier screen's address for invitations. */
  staff?: Omit<StaffApiOptions, 'deps' | 'log'>;
  /** The built card app (web/card/dist), served at /card/. */
  cardApp?: CardStaticOptions;
  /** The built cashier screen (web/cashier/dist), served at /cashier/. */
  cashierApp?: CardStaticOptions;
  /** The built admin panel (web/admin/dist), served at /admin/. */
  adminApp?: CardStaticOptions;
  /** The VK communities' replies and staff notices for VK's Callback API at /vk/callback/<secret>. */
  vk?: Omit<VkCallbackOptions, 'deps' | 'log'>;
  /** The first-run wizard's Telegram check (getMe) and public address; without a gateway, bot tokens wait. */
  setup?: Omit<SetupApiOptions, 'deps' | 'log'>;
}

export interface TelegramWebhooks {
  handleWebhook(botId: string, secret: string | undefined, update: unknown): Promise<'ok' | 'unauthorized' | 'not_found'>;
}

const HEALTH_TIMEOUT_MS = 2_000;

export function createHttpApp(deps: HttpDeps): Hono {
  const http = new Hono();
  baseSecurityHeaders(http);

  http.get('/healthz', async (c) => {
    try {
      await withTimeout(sql`select 1`.execute(deps.db), HEALTH_TIMEOUT_MS);
      return c.json({ status: 'ok' });
    } catch (e) {
      deps.log.warn(`health check: database unavailable: ${(e as Error).message}`);
      return c.json({ status: 'error' }, 503);
    }
  });

  if (deps.api) {
    adminSecurityHeaders(http);
    mountAdminSession(http, { deps: deps.app, log: deps.log, ...(deps.staff?.rateClock ? { rateClock: deps.staff.rateClock } : {}) });
    mountApi(http, { ...(deps.staff ? { staffAlerts: deps.staff.till.alerts, cashierBase: deps.staff.cashierBase } : {}), telegram: deps.setup?.telegram ?? null, cardLinkBase: deps.card?.linkBase ?? null, ...deps.api, deps: deps.app, log: deps.log });
    mountSetupApi(http, { telegram: null, ...deps.setup, deps: deps.app, log: deps.log });
    mountOperatorApi(http, { ...deps.setup, deps: deps.app, log: deps.log });
    const log = deps.log;
    const noChannel: CardApiOptions['codes'] = { send: async (to) => log.warn(`sign-in code for member ${to.member.id} not delivered: no delivery channel configured`) };
    const staffDefaults: Omit<StaffApiOptions, 'deps' | 'log'> = {
      cashierBase: '/cashier/',
      till: {
        codes: { send: async (to) => log.warn(`redemption code for member ${to.member.id} not delivered: no delivery channel configured`) },
        alerts: { limitExceeded: async (_, staff, b) => log.warn(`staff ${staff.id} over the ${b.limit} limit (${b.action})`) },
      },
    };
    mountStaffApi(http, { ...staffDefaults, ...deps.staff, deps: deps.app, log });
    mountSmsCallbacks(http, { deps: deps.app, log });
    mountVkCallback(http, { ...deps.vk, deps: deps.app, log });
    mountCardApi(http, { linkBase: null, testClocks: deps.api.testClocks ?? null, ...deps.card, deps: deps.app, log, codes: deps.card?.codes ?? noChannel });
  }
  if (deps.cardApp) mountCardStatic(http, deps.cardApp);
  if (deps.cashierApp) mountCashierStatic(http, deps.cashierApp);
  if (deps.adminApp) mountAdminStatic(http, deps.adminApp);
  const telegram = deps.telegram;
  if (telegram) {
    // Only Telegram knows a bot's secret token; anything else is refused before the update is read.
    http.post('/telegram/:botId', async (c) => {
      let update: unknown;
      try {
        update = await c.req.json();
      } catch {
        return problem(c, { title: 'Bad Request', status: 400, code: 'validation_failed', detail: 'The body is not JSON' });
      }
      const outcome = await telegram.handleWebhook(c.req.param('botId'), c.req.header('x-telegram-bot-api-secret-token'), update);
      if (outcome === 'ok') return c.json({ ok: true });
      if (outcome === 'unauthorized') return problem(c, { title: 'Unauthorized', status: 401, code: 'unauthorized', detail: 'Wrong secret token' });
      return problem(c, { title: 'Not Found', status: 404, code: 'not_found', detail: 'No such bot' });
    });
  }

  http.notFound((c) => problem(c, { title: 'Not Found', status: 404, detail: `No route for ${c.req.method} ${c.req.path}`, code: 'not_found' }));
  // Never a stack trace in a response: the detail stays in our log.
  http.onError((err, c) => {
    deps.log.error(`${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return problem(c, { title: 'Internal Server Error', status: 500, code: 'internal_error' });
  });
  return http;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class ListenError extends Error {
  override readonly name = 'ListenError';
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

export function startHttpServer(app: Hono, { host, port }: { host: string; port: number }): Promise<RunningHttpServer> {
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server;
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new ListenError(`port ${port} on ${host} is already in use; set PORT to a free port`));
      else if (e.code === 'EACCES') reject(new ListenError(`not allowed to listen on ${host}:${port}; use a port above 1023`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new ListenError(`${host} is not an address of this machine; check HOST`));
      else reject(e);
    });
    server.listen(port, host, () => {
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections(); // keep-alive clients must not hold the shutdown open
          }),
      });
    });
  });
}
