// One-time codes (card sign-in, paying with points) for members Telegram cannot reach: the business's SMS channel to
// the member's phone, else its e-mail channel to the member's address. Sent at once, not through the outbox: a code
// is useful for minutes only, and the member is waiting for it.
import type { AppDeps } from '../app/deps.js';
import type { Logger } from '../config/logger.js';
import type { Member } from '../core/index.js';
import type { ConfiguredSenders } from './channels/configured.js';

export interface CodeFallback {
  senders: ConfiguredSenders;
  log: Logger;
}

/** The channel the code went by ('sms' or 'email'), or null when neither is set up or neither took it. */
export async function sendCodeByConfiguredChannel(deps: AppDeps, o: CodeFallback, to: { businessId: string; businessName: string; member: Member }, text: string, what: string): Promise<'sms' | 'email' | null> {
  const stored = await deps.uow.run((repos) => repos.notificationChannels.list(to.businessId));
  for (const channel of ['sms', 'email'] as const) {
    const c = stored.find((s) => s.channel === channel);
    const address = channel === 'sms' ? to.member.phone : to.member.email;
    if (!c || !address) continue;
    const outcome = await o.senders.senderFor(c).send({ businessId: to.businessId, messageId: deps.newId(), channel, address, text, subject: `${to.businessName}: ${what}` });
    if (outcome.status === 'sent') return channel;
    o.log.warn(`${what} for member ${to.member.id} not sent by ${channel}: ${outcome.error}`);
  }
  return null;
}
