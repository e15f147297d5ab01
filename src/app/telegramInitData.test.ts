import { describe, expect, it } from 'vitest';
import type { DomainError } from '../core/index.js';
import { signInitData, verifyInitData } from './telegramInitData.js';

const TOKEN = '7100000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const OTHER = '7100000002:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsbw';
const now = new Date('2026-03-10T09:00:00Z');
const authDate = String(now.getTime() / 1000 - 60);
const user = JSON.stringify({ id: 42, first_name: 'Анна', username: 'anna', language_code: 'ru' });
const genuine = signInitData(TOKEN, { query_id: 'AAF', user, auth_date: authDate, start_param: 'ref_ABC', signature: 'sig' });

const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'accepted';
};

describe('Telegram Mini App initData', () => {
  it('accepts genuine data of this bot, fresh, and reads the user', () => {
    const v = verifyInitData(TOKEN, genuine, now);
    expect(v.user).toEqual({ id: 42, firstName: 'Анна', lastName: null, username: 'anna', languageCode: 'ru' });
    expect(v.startParam).toBe('ref_ABC');
    expect(v.authDate.toISOString()).toBe('2026-03-10T08:59:00.000Z');
  });

  it('refuses altered data, another bot\'s data, expired data and garbage', () => {
    const altered = genuine.replace(encodeURIComponent('"id":42'), encodeURIComponent('"id":43'));
    expect(altered).not.toBe(genuine);
    expect(refused(() => verifyInitData(TOKEN, altered, now))).toBe('invalid_init_data');
    expect(refused(() => verifyInitData(OTHER, genuine, now))).toBe('invalid_init_data');
    expect(refused(() => verifyInitData(TOKEN, genuine, new Date(now.getTime() + 86_400_000)))).toBe('invalid_init_data');
    expect(refused(() => verifyInitData(TOKEN, genuine, now, 30))).toBe('invalid_init_data');
    const future = signInitData(TOKEN, { user, auth_date: String(now.getTime() / 1000 + 3600) });
    expect(refused(() => verifyInitData(TOKEN, future, now))).toBe('invalid_init_data');
    const noUser = signInitData(TOKEN, { auth_date: authDate });
    expect(refused(() => verifyInitData(TOKEN, noUser, now))).toBe('invalid_init_data');
    for (const bad of ['', 'hash=zz', 'x'.repeat(9000), `${genuine}&extra=1`]) expect(refused(() => verifyInitData(TOKEN, bad, now)), bad.slice(0, 20)).toBe('invalid_init_data');
  });
});
