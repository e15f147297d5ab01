// Telegram Mini App sign-in: the initData string Telegram hands the card app, signed with the bot's token
// (HMAC-SHA256 with the key HMAC-SHA256("WebAppData", token)). Only the server that knows the token can check it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../core/index.js';

export interface WebAppUser {
  id: number;
  firstName: string;
  lastName: string | null;
  username: string | null;
  languageCode: string | null;
}

export interface VerifiedInitData {
  user: WebAppUser;
  authDate: Date;
  startParam: string | null;
}

/** Telegram's rule for the Mini App data: a day at most, unless the caller asks for less. */
export const INIT_DATA_MAX_AGE_SECONDS = 86_400;

const secretFor = (botToken: string) => createHmac('sha256', 'WebAppData').update(botToken).digest();

function dataCheckString(params: URLSearchParams): string {
  return [...params.entries()]
    .filter(([k]) => k !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** Signs fields as Telegram does (for tests and local tools; the real data comes from Telegram). */
export function signInitData(botToken: string, fields: Record<string, string>): string {
  const params = new URLSearchParams(fields);
  params.set('hash', createHmac('sha256', secretFor(botToken)).update(dataCheckString(params)).digest('hex'));
  return params.toString();
}

const refuse = (why: string): never => {
  throw new DomainError('invalid_init_data', `The Telegram sign-in data is not valid: ${why}`);
};

export function verifyInitData(botToken: string, initData: string, now: Date, maxAgeSeconds = INIT_DATA_MAX_AGE_SECONDS): VerifiedInitData {
  if (typeof initData !== 'string' || initData.length === 0 || initData.length > 8192) refuse('missing or too long');
  const params = new URLSearchParams(initData);
  const hash = params.get('hash') ?? '';
  if (!/^[0-9a-f]{64}$/.test(hash)) refuse('no hash');
  const expected = createHmac('sha256', secretFor(botToken)).update(dataCheckString(params)).digest();
  if (!timingSafeEqual(Buffer.from(hash, 'hex'), expected)) refuse('the signature does not match this bot');
  const authSeconds = Number(params.get('auth_date'));
  if (!Number.isSafeInteger(authSeconds) || authSeconds <= 0) refuse('no auth_date');
  const age = now.getTime() / 1000 - authSeconds;
  if (age > maxAgeSeconds) refuse('it has expired; open the card from the bot again');
  if (age < -300) refuse('auth_date is in the future');
  let raw: { id?: unknown; first_name?: unknown; last_name?: unknown; username?: unknown; language_code?: unknown };
  try {
    raw = JSON.parse(params.get('user') ?? 'null') as typeof raw;
  } catch {
    return refuse('user is not JSON');
  }
  if (!raw || typeof raw.id !== 'number' || !Number.isSafeInteger(raw.id) || raw.id <= 0) return refuse('no user');
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  return {
    user: { id: raw.id, firstName: str(raw.first_name) ?? '', lastName: str(raw.last_name), username: str(raw.username), languageCode: str(raw.language_code) },
    authDate: new Date(authSeconds * 1000),
    startParam: params.get('start_param'),
  };
}
