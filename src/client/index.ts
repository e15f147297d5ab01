// The typed client for the Kopilka Integration API (/api/v1). Runs anywhere with fetch (Node 20+, browsers).
// Types come from the same zod schemas the server validates with (type-only imports: no zod at run time).
import type { z } from 'zod';
import type * as S from '../http/schemas.js';
import type * as B from '../http/api/broadcastSchemas.js';
import type * as C from '../http/channelSchemas.js';
import type * as D from '../http/api/dataSchemas.js';
import { adminReadMethods } from './adminReads.js';
import { businessMethods } from './business.js';
import { backupMethods } from './backups.js';
import { chatMethods } from './chats.js';
import { memberActionMethods } from './memberActions.js';
import { teamMethods } from './team.js';
import { revenueMethods } from './revenue.js';
export type { ApiKey, ApiKeyCreated, Bot, Invitation, InvitationCreate, StaffPatch, TeamMember } from './team.js';
export type { BusinessProfile, BusinessProfileUpdate } from './business.js';
export type { Backup } from './backups.js';
export type { Takings, TakingsBulkResult, TakingsList } from './revenue.js';

export type Member = z.output<typeof S.Member>;
export type MemberCreate = z.input<typeof S.MemberCreate>;
export type MemberUpdate = z.input<typeof S.MemberUpdate>;
export type MemberRef = z.input<typeof S.MemberRefInput>;
export type TransactionPage = z.output<typeof S.TransactionPageSchema>;
export type Adjustment = z.output<typeof S.Adjustment>;
export type PurchaseCreate = z.input<typeof S.PurchaseCreate>;
export type PurchaseQuoteRequest = z.input<typeof S.PurchaseQuoteRequest>;
export type PurchaseQuote = z.output<typeof S.PurchaseQuote>;
export type PurchaseRecorded = z.output<typeof S.PurchaseRecorded>;
export type Purchase = z.output<typeof S.Purchase>;
export type Refund = z.output<typeof S.Refund>;
export type Program = z.output<typeof S.Program>;
export type ProgramUpdate = z.input<typeof S.ProgramUpdate>;
export type QrToken = z.output<typeof S.QrToken>;
export type Webhook = z.output<typeof S.Webhook>;
export type WebhookCreate = z.input<typeof S.WebhookCreate>;
export type WebhookCreated = z.output<typeof S.WebhookCreated>;
export type TestClock = z.output<typeof S.TestClock>;
export type Problem = z.output<typeof S.ProblemSchema>;
export type TemplateList = z.output<typeof S.TemplateList>;
export type TemplatePreviewRequest = z.input<typeof S.TemplatePreviewRequest>;
export type TemplatePreview = z.output<typeof S.TemplatePreview>;
export type BroadcastCreate = z.input<typeof B.BroadcastCreate>;
export type BroadcastPreviewRequest = z.input<typeof B.BroadcastPreviewInput>;
export type Broadcast = z.output<typeof B.Broadcast>;
export type BroadcastList = z.output<typeof B.BroadcastList>;
export type BroadcastPreview = z.output<typeof B.BroadcastPreviewSchema>;
export type CampaignList = z.output<typeof B.CampaignList>;
export type CampaignReport = z.output<typeof B.CampaignReportSchema>;
export type NotificationChannel = z.output<typeof C.NotificationChannel>;
export type NotificationChannelSet = z.input<typeof C.NotificationChannelSet>;
export type NotificationChannelTestResult = z.output<typeof C.NotificationChannelTestResult>;
export type ImportRequest = Omit<z.input<typeof D.ImportCreate>, 'dryRun'>;
export type ImportInspectRequest = z.input<typeof D.ImportInspectRequest>;
export type ImportInspection = z.output<typeof D.ImportInspectionSchema>;
export type ImportDryRun = z.output<typeof D.DryRunSchema>;
export type ImportResult = z.output<typeof D.ImportResultSchema>;
export type Import = z.output<typeof D.ImportSchema>;
export type WorkProgress = z.output<typeof D.WorkProgressSchema>;
export type ExportQuery = { separator?: ';' | ','; lang?: 'ru' | 'en'; from?: string; to?: string; progressId?: string };

/** An answer that is not 2xx: the problem document's code, status and details. */
export class KopilkaError extends Error {
  override readonly name = 'KopilkaError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }
}

export interface ClientOptions {
  /** e.g. http://127.0.0.1:3000; '' in the admin panel (the same origin) */
  baseUrl: string;
  /** An integrator's API key; or, in the admin panel, `session: true` instead. */
  apiKey?: string;
  /**
   * The admin panel: the signed-in staff member's cookie session (POST /api/admin/session, see ./admin.ts) is sent
   * with `credentials: 'include'`, and every write carries X-CSRF-Token read from the kopilka_csrf cookie.
   */
  session?: boolean;
  /** Where the CSRF token comes from; default: the kopilka_csrf cookie in document.cookie (Node tests pass their own). */
  csrfToken?: () => string | null | undefined;
  fetch?: typeof fetch;
  /** Retries of network errors, 409 idempotency_in_flight and 429 (with the same Idempotency-Key). Default 2. */
  retries?: number;
}

export interface RawResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  /** The server answered from an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

export interface WriteOptions {
  /** Default: a new random key per call (kept across this call's retries). */
  idempotencyKey?: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const enc = encodeURIComponent;

/** The admin panel's CSRF token: the kopilka_csrf cookie (readable by the page; the session cookie is not). */
export function csrfFromDocument(): string | null {
  const doc = (globalThis as { document?: { cookie?: string } }).document;
  const m = /(?:^|;\s*)kopilka_csrf=([^;]*)/.exec(doc?.cookie ?? '');
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

export function createClient(o: ClientOptions) {
  const doFetch = o.fetch ?? fetch;
  const base = o.baseUrl.replace(/\/+$/, '');
  const retries = o.retries ?? 2;
  if (!o.session && !o.apiKey) throw new Error('createClient needs an apiKey, or session: true in the admin panel');
  const csrfToken = o.csrfToken ?? csrfFromDocument;

  async function request<T>(method: Method, path: string, opts: { body?: unknown; idempotencyKey?: string; query?: Record<string, string | number | undefined> } = {}): Promise<RawResponse<T>> {
    const qs = Object.entries(opts.query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${enc(k)}=${enc(String(v))}`).join('&');
    const url = `${base}/api/v1${path}${qs ? `?${qs}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.session) {
      const csrf = method === 'GET' ? null : csrfToken();
      if (csrf) headers['x-csrf-token'] = csrf;
    } else headers.authorization = `Bearer ${o.apiKey}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), ...(o.session ? { credentials: 'include' as const } : {}) });
      } catch (e) {
        // Without an idempotency key a retried write could apply twice; only reads and keyed writes are retried.
        if (attempt < retries && (method === 'GET' || opts.idempotencyKey)) {
          await sleep(100 * 2 ** attempt);
          continue;
        }
        throw e;
      }
      const text = await res.text();
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      if (res.ok) return { status: res.status, headers: res.headers, body: body as T, replayed: res.headers.get('idempotent-replayed') === 'true' };
      const problem = (body ?? { type: 'about:blank', title: res.statusText, status: res.status, code: 'http_error' }) as Problem;
      const retryable = res.status === 429 || (res.status === 409 && problem.code === 'idempotency_in_flight');
      if (retryable && attempt < retries) {
        await sleep(Math.min(5_000, Number(res.headers.get('retry-after') ?? 0) * 1000 || 200 * 2 ** attempt));
        continue;
      }
      throw new KopilkaError(res.status, problem.code, problem);
    }
  }
  const key = (w?: WriteOptions) => w?.idempotencyKey ?? globalThis.crypto.randomUUID();
  const get = async <T>(path: string, query?: Record<string, string | number | undefined>) => (await request<T>('GET', path, { query })).body;
  const write = async <T>(method: Method, path: string, body: unknown, w?: WriteOptions) => (await request<T>(method, path, { body, idempotencyKey: key(w) })).body;

  return {
    request,
    /** The admin panel's reads: dashboard, members list, a member's lots, messages and purchases, the audit log. */
    admin: adminReadMethods(get),
    /** The members' chat (staff sessions only): chats.list / chats.thread / chats.reply. */
    chats: chatMethods(get, write),
    /** The admin panel's member page: memberActions.profile / sendSignInLink. */
    memberActions: memberActionMethods(get, async (path) => (await request('POST', path)).body as never),
    /** Staff, API keys and bots: team.staff / team.apiKeys / team.bots. */
    team: teamMethods(async (method, path, body) => (await request(method, path, { body })).body as never),
    /** Backups: backups.start / list / get, and downloadUrl for the file. */
    backups: backupMethods(async (method, path) => (await request(method, path)).body as never, base),
    /** The business's name, profile and Info page: business.get / business.update. */
    business: businessMethods(get, async (path, body) => (await request('PATCH', path, { body })).body as never),
    /** The business's total takings per day and location (the dashboard's share of revenue from members). */
    revenue: revenueMethods(get, async (method, path, body) => (await request(method, path, { body })).body as never),
    program: {
      get: () => get<Program>('/program'),
      update: async (change: ProgramUpdate) => (await request<Program>('PATCH', '/program', { body: change })).body,
      templates: () => get<TemplateList>('/program/templates'),
      previewTemplate: async (input: TemplatePreviewRequest) => (await request<TemplatePreview>('POST', '/program/templates/preview', { body: input })).body,
    },
    notificationChannels: {
      list: async () => (await get<{ items: NotificationChannel[] }>('/notification-channels')).items,
      set: async (channel: 'vk' | 'sms' | 'email', settings: NotificationChannelSet) => (await request<NotificationChannel>('PATCH', `/notification-channels/${channel}`, { body: settings })).body,
      remove: async (channel: 'vk' | 'sms' | 'email') => {
        await request<undefined>('DELETE', `/notification-channels/${channel}`);
      },
      test: async (channel: 'vk' | 'sms' | 'email', input: { to: string; text?: string }) => (await request<NotificationChannelTestResult>('POST', `/notification-channels/${channel}/test`, { body: input })).body,
    },
    broadcasts: {
      create: (input: BroadcastCreate, w?: WriteOptions) => write<Broadcast>('POST', '/broadcasts', input, w),
      preview: async (input: BroadcastPreviewRequest) => (await request<BroadcastPreview>('POST', '/broadcasts/preview', { body: input })).body,
      list: (page: { limit?: number; cursor?: string } = {}) => get<BroadcastList>('/broadcasts', page),
      get: (id: string) => get<Broadcast>(`/broadcasts/${enc(id)}`),
      cancel: (id: string, w?: WriteOptions) => write<Broadcast>('POST', `/broadcasts/${enc(id)}/cancel`, {}, w),
    },
    campaigns: {
      list: (q: { kind?: 'broadcast' | 'birthday' | 'winback'; limit?: number; cursor?: string } = {}) => get<CampaignList>('/campaigns', q),
      report: (id: string, q: { days?: number } = {}) => get<CampaignReport>(`/campaigns/${enc(id)}/report`, q),
    },
    members: {
      create: (input: MemberCreate, w?: WriteOptions) => write<Member>('POST', '/members', input, w),
      find: async (query: { phone: string } | { card: string } | { last4: string } | { q: string }) => (await get<{ items: Member[] }>('/members', query)).items,
      get: (memberId: string) => get<Member>(`/members/${enc(memberId)}`),
      update: async (memberId: string, change: MemberUpdate) => (await request<Member>('PATCH', `/members/${enc(memberId)}`, { body: change })).body,
      transactions: (memberId: string, page: { limit?: number; cursor?: string } = {}) => get<TransactionPage>(`/members/${enc(memberId)}/transactions`, page),
      adjust: (memberId: string, input: { points: number; reason: string }, w?: WriteOptions) => write<Adjustment>('POST', `/members/${enc(memberId)}/adjustments`, input, w),
      qrToken: async (memberId: string, input: { ttlSeconds?: number } = {}) => (await request<QrToken>('POST', `/members/${enc(memberId)}/qr-token`, { body: input })).body,
    },
    purchases: {
      quote: async (input: PurchaseQuoteRequest) => (await request<PurchaseQuote>('POST', '/purchases/quote', { body: input })).body,
      create: (input: PurchaseCreate, w?: WriteOptions) => write<PurchaseRecorded>('POST', '/purchases', input, w),
      get: (purchaseId: string) => get<Purchase>(`/purchases/${enc(purchaseId)}`),
      refund: (purchaseId: string, input: { amount?: number } = {}, w?: WriteOptions) => write<Refund>('POST', `/purchases/${enc(purchaseId)}/refunds`, input, w),
    },
    webhooks: {
      create: (input: WebhookCreate, w?: WriteOptions) => write<WebhookCreated>('POST', '/webhooks', input, w),
      list: async () => (await get<{ items: Webhook[] }>('/webhooks')).items,
      delete: async (webhookId: string) => {
        await request<undefined>('DELETE', `/webhooks/${enc(webhookId)}`);
      },
    },
    exports: {
      /** The export's address (with the query); the panel can use it as a download link (the session cookie is sent). */
      url: (what: 'members' | 'transactions', format: 'csv' | 'xlsx', q: ExportQuery = {}) => {
        const qs = Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => `${enc(k)}=${enc(String(v))}`).join('&');
        return `${base}/api/v1/exports/${what}.${format}${qs ? `?${qs}` : ''}`;
      },
      /** The export as a streamed Response (read res.body as it arrives); a problem answer throws KopilkaError. */
      download: async (what: 'members' | 'transactions', format: 'csv' | 'xlsx', q: ExportQuery = {}): Promise<Response> => {
        const qs = Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => `${enc(k)}=${enc(String(v))}`).join('&');
        const res = await doFetch(`${base}/api/v1/exports/${what}.${format}${qs ? `?${qs}` : ''}`, { headers: o.session ? {} : { authorization: `Bearer ${o.apiKey}` }, ...(o.session ? { credentials: 'include' as const } : {}) });
        if (!res.ok) {
          const problem = (await res.json().catch(() => ({ type: 'about:blank', title: res.statusText, status: res.status, code: 'http_error' }))) as Problem;
          throw new KopilkaError(res.status, problem.code, problem);
        }
        return res;
      },
    },
    imports: {
      /** The file's columns, first rows, row count and the mapping guessed from its headers; changes nothing. */
      inspect: async (input: ImportInspectRequest) => (await request<ImportInspection>('POST', '/imports/inspect', { body: input })).body,
      /** Every row's outcome; changes nothing. */
      dryRun: (input: ImportRequest, w?: WriteOptions) => write<ImportDryRun>('POST', '/imports', { ...input, dryRun: true }, w),
      /** All rows or nothing (import_has_errors); the same file again answers with the first result (replayed: true). */
      run: (input: ImportRequest, w?: WriteOptions) => write<ImportResult>('POST', '/imports', { ...input, dryRun: false }, w),
      list: async () => (await get<{ items: Import[] }>('/imports')).items,
      get: (importId: string) => get<Import>(`/imports/${enc(importId)}`),
    },
    /** Long work's progress under the progressId the caller sent with it (imports, exports). */
    progress: {
      get: (progressId: string) => get<WorkProgress>(`/progress/${enc(progressId)}`),
    },
    testClock: {
      get: () => get<TestClock>('/test-clock'),
      advance: async (duration: string) => (await request<TestClock>('POST', '/test-clock', { body: { advance: duration } })).body,
      to: async (time: Date | string) => (await request<TestClock>('POST', '/test-clock', { body: { to: typeof time === 'string' ? time : time.toISOString() } })).body,
    },
  };
}

export type KopilkaClient = ReturnType<typeof createClient>;
