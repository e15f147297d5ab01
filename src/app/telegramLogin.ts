// The Telegram Login Widget (sign in on a website with a Telegram account): its fields are signed with
// HMAC-SHA256 keyed by SHA-256 of the bot's token (unlike Mini App initData). A day old at most.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../core/index.js';

export type TelegramLoginFields = Record<string, string | number>;

const refuse = (why: string): never => {
  throw new DomainError('invalid_init_data', `The Telegram login is not valid: ${why}`);
};

const checkString = (fields: TelegramLoginFields) =>
  Object.keys(fields)
    .filter((k) => k !== 'hash')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('\n');

const key = (botToken: string) => createHash('sha256').update(botToken).digest();

/** Signs fields as Telegram does (tests and local tools). */
export function signTelegramLogin(botToken: string, fields: TelegramLoginFields): TelegramLoginFields {
  return { ...fields, hash: createHmac('sha256', key(botToken)).update(checkString(fields)).digest('hex') };
}

export function verifyTelegramLogin(botToken: string, fields: TelegramLoginFields, now: Date): { id: number; username: string | null; name: string } {
  if (typeof fields !== 'object' || fields === null || Object.keys(fields).length > 20) refuse('no fields');
  const hash = String(fields.hash ?? '');
  if (!/^[0-9a-f]{64}$/.test(hash)) refuse('no hash');
  const expected = createHmac('sha256', key(botToken)).update(checkString(fields)).digest();
  if (!timingSafeEqual(Buffer.from(hash, 'hex'), expected)) refuse('the signature does not match this bot');
  const age = now.getTime() / 1000 - Number(fields.auth_date);
  if (!Number.isFinite(age) || age > 86_400 || age < -300) refuse('it has expired; log in again');
  const id = Number(fields.id);
  if (!Number.isSafeInteger(id) || id <= 0) refuse('no user id');
  const name = [fields.first_name, fields.last_name].filter((x) => x !== undefined).join(' ').trim();
  return { id, username: fields.username === undefined ? null : String(fields.username), name };
}
