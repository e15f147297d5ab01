// The staff side's messages: redemption confirmation codes to members (their Telegram chat with the customer bot;
// in development, the log), and alerts to the business's owners (their chat with the staff bot; else the log).
import type { AppDeps } from '../app/deps.js';
import type { RedeemCodeSender, StaffAlerts } from '../app/till.js';
import type { Logger } from '../config/logger.js';
import { sendViaBot } from './telegramSend.js';
import { limitAlertText, redeemCodeText } from './templates.js';
import { sendCodeByConfiguredChannel, type CodeFallback } from './codeFallback.js';

export interface ChannelOptions {
  log: Logger;
  telegramApiRoot: string;
  production: boolean;
  /** The business's SMS or e-mail channel, for members Telegram cannot reach. */
  fallback?: CodeFallback | undefined;
}

export function redeemCodeSender(deps: AppDeps, o: ChannelOptions): RedeemCodeSender {
  return {
    async send(to, message) {
      const chatId = to.member.telegramUserId;
      if (chatId !== null && (await sendViaBot(deps, o, { businessId: to.businessId, role: 'customer', chatId }, redeemCodeText('ru', { ...message, business: to.businessName })))) {
        o.log.info(`redemption code for member ${to.member.id} sent by Telegram`);
        return;
      }
      const by = o.fallback ? await sendCodeByConfiguredChannel(deps, o.fallback, to, redeemCodeText('ru', { ...message, business: to.businessName }), 'payment code') : null;
      if (by) {
        o.log.info(`redemption code for member ${to.member.id} sent by ${by}`);
        return;
      }
      if (o.production) o.log.warn(`redemption code for member ${to.member.id} not delivered: the member has no channel`);
      else o.log.info(`redemption code for member ${to.member.id} (${to.member.phone}): ${message.code} (development: no delivery channel)`);
    },
  };
}

export function staffAlerts(deps: AppDeps, o: ChannelOptions): StaffAlerts {
  return {
    async limitExceeded(businessId, staff, breach) {
      const text = limitAlertText('ru', { staff: staff.name, role: staff.role, limit: breach.limit, wanted: breach.wanted, allowed: breach.allowed, action: breach.action });
      const owners = (await deps.uow.run((repos) => repos.staff.list(businessId))).filter((s) => s.role === 'owner' && s.status === 'active');
      let told = 0;
      for (const owner of owners) {
        if (owner.telegramUserId !== null && (await sendViaBot(deps, o, { businessId, role: 'staff', chatId: owner.telegramUserId }, text))) told += 1;
      }
      o.log.warn(`staff limit: ${staff.name} (${staff.role}) was refused ${breach.action}: ${breach.limit} limit, ${breach.wanted} wanted, ${breach.allowed} allowed; ${told} owner(s) told in Telegram`);
    },
  };
}
