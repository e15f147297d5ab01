// A Bot API stand-in for one test file: started before its tests, closed after.
import { afterAll, beforeAll } from 'vitest';
import { startTelegramApi, type StartTelegramApiOptions, type TelegramApi } from './telegramApi.js';

export function useTelegramApi(options: StartTelegramApiOptions = {}): TelegramApi {
  let tg: TelegramApi | undefined;
  beforeAll(async () => {
    tg = await startTelegramApi(options);
  });
  afterAll(async () => {
    await tg?.close();
  });
  return new Proxy({} as TelegramApi, {
    get(_, key) {
      if (!tg) throw new Error('the Bot API stand-in starts in beforeAll');
      const value = tg[key as keyof TelegramApi];
      return typeof value === 'function' ? value.bind(tg) : value;
    },
  });
}
