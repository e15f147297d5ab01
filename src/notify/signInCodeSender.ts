// Delivers card-app sign-in codes through the member's channel: their business's customer bot in Telegram when the
// member joined there; else the business's SMS or e-mail channel; else only the log — with the code itself in development.
import { Api } from 'grammy';
import type { SignInCodeSender } from '../app/signInCodes.js';
import type { AppDeps } from '../app/deps.js';
import { listLiveBots } from '../app/bots.js';
import type { Logger } from '../config/logger.js';
import { signInCodeText } from './templates.js';
import { sendCodeByConfiguredChannel, type CodeFallback } from './codeFallback.js';

export function signInCodeSender(deps: AppDeps, o: { log: Logger; telegramApiRoot: string; production: boolean; fallback?: CodeFallback | undefined }): SignInCodeSender {
  return {
    async send(to, message) {
      const { member } = to;
      if (member.telegramUserId !== null) {
        const bot = (await listLiveBots(deps)).find((b) => b.businessId === to.businessId && b.role === 'customer');
        if (bot) {
          try {
            await new Api(bot.token, { apiRoot: o.telegramApiRoot }).sendMessage(member.telegramUserId, signInCodeText('ru', { ...message, business: to.businessName }));
            o.log.info(`sign-in code for member ${member.id} sent by Telegram (@${bot.username})`);
            return;
          } catch (e) {
            o.log.warn(`sign-in code for member ${member.id}: Telegram refused (${(e as Error).message}); trying SMS and e-mail`);
          }
        }
      }
      const by = o.fallback ? await sendCodeByConfiguredChannel(deps, o.fallback, to, signInCodeText('ru', { ...message, business: to.businessName }), 'sign-in code') : null;
      if (by) {
        o.log.info(`sign-in code for member ${member.id} sent by ${by}`);
        return;
      }
      // Development: the code is in the log, so the card app can be tried without any channel. Never in production.
      if (o.production) o.log.warn(`sign-in code for member ${member.id} not delivered: the member has no channel (Telegram, SMS, e-mail)`);
      else o.log.info(`sign-in code for member ${member.id} (${member.phone}): ${message.code}${message.link ? ` — or open ${message.link}` : ''} (development: no delivery channel)`);
    },
  };
}
