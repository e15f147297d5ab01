// The TelegramGateway port over grammY's Api client; apiRoot points it at a local stand-in in tests.
import { Api, GrammyError } from 'grammy';
import type { TelegramGateway } from '../core/index.js';

export function telegramGateway(apiRoot: string): TelegramGateway {
  return {
    async getMe(token) {
      try {
        const me = await new Api(token, { apiRoot }).getMe();
        return { id: me.id, username: me.username, firstName: me.first_name };
      } catch (e) {
        // 401/404: Telegram does not know the token. Anything else (network, 5xx) is a real failure.
        if (e instanceof GrammyError && (e.error_code === 401 || e.error_code === 404)) return null;
        throw e;
      }
    },
  };
}
