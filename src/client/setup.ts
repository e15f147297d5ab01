// The first-run wizard's API (/api/setup): is the link live (and the suggested defaults), a live bot token check,
// and the set-up itself, which signs the owner in with the panel's cookies. Plain fetch, no dependencies.
import { ProblemError, type ApiProblem, type FetchLike } from './sessionCall.js';

export class SetupError extends ProblemError {
  override readonly name = 'SetupError';
}

export interface BotFatherHelp {
  en: string;
  ru: string;
}

export interface SetupStatus {
  valid: boolean;
  expiresAt: string | null;
  defaults: {
    timezones: string[];
    /** The card's default colours (older servers: absent). */
    branding?: { accentColor: string; cardColor: string; cardTextColor: string };
    currency: string;
    pointsName: string;
    earnPercent: number;
    maxRedeemPercent: number;
    welcomeBonus: number;
    pointsLifetimeDays: number | null;
    expiryReminderDays: number[];
  };
  botFatherHelp: BotFatherHelp;
}

export type BotRole = 'customer' | 'staff';

export type BotCheck =
  | { role: BotRole; status: 'ok'; bot: { id: number; username: string; firstName: string; link: string } }
  | { role: BotRole; status: 'invalid' | 'unreachable'; message: string; help: BotFatherHelp };

export interface SetupInput {
  token: string;
  /** Colours: #rrggbb; left out, the defaults. */
  business: { name: string; logoUrl?: string | null; address?: string | null; timezone: string; currency: string; accentColor?: string | null; cardColor?: string | null; cardTextColor?: string | null };
  program: { pointsName: string; earnPercent: number | string; maxRedeemPercent: number | string; welcomeBonus: number; pointsLifetimeDays: number | null; expiryReminderDays: number[] };
  bots?: { customer?: string | null; staff?: string | null };
  owner: { name: string; email: string; password: string };
}

export type BotOutcome =
  | { role: BotRole; status: 'connected'; username: string; link: string }
  | { role: BotRole; status: 'pending' | 'invalid'; message: string };

export interface SetupDone {
  businessId: string;
  ownerId: string;
  adminUrl: string;
  cashierUrl: string;
  cardUrl: string;
  posterUrls: { png: string; pdf: string };
  botLinks: Partial<Record<BotRole, string>>;
  bots: BotOutcome[];
}

export function createSetupClient(o: { baseUrl?: string; fetch?: FetchLike } = {}) {
  const base = `${(o.baseUrl ?? '').replace(/\/+$/, '')}/api/setup`;
  const doFetch: FetchLike = o.fetch ?? ((input, init) => fetch(input, init));

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await doFetch(base + path, { method, headers, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // not JSON (a proxy's error page): the status says enough
    }
    if (!res.ok) {
      const p = json as Partial<ApiProblem>;
      throw new SetupError({ status: res.status, code: p.code ?? 'http_error', title: p.title ?? res.statusText, ...(p.detail ? { detail: p.detail } : {}), ...(p.errors ? { errors: p.errors } : {}) });
    }
    return json as T;
  }

  return {
    /** Whether this set-up link still works, and the defaults the wizard suggests. */
    status: (token: string) => call<SetupStatus>('GET', `/status?token=${encodeURIComponent(token)}`),
    /** Asks Telegram about a pasted bot token: ok, invalid, or unreachable (which does not block the set-up). */
    checkBot: (input: { setupToken: string; token: string; role: BotRole }) => call<BotCheck>('POST', '/check-bot', input),
    /** Creates the business, its program and the owner (signed in by the answer's cookies); 422 setup_invalid lists every problem. */
    complete: (input: SetupInput) => call<SetupDone>('POST', '', input),
  };
}

export type SetupClient = ReturnType<typeof createSetupClient>;
