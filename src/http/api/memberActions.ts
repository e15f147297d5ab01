// The admin panel's member page under /api/v1: the member's profile (consents and how they can be reached) and
// "resend sign-in link". A one-off message to the member is the chat reply (POST /chats/{memberId}, api/chats.ts).
import type { Context } from 'hono';
import { z } from 'zod';
import { memberProfile, type MemberProfileView } from '../../app/memberProfile.js';
import { LINKS_PER_HOUR, LINKS_PER_MINUTE, RESENT_LINK_MINUTES, resendSignInLink, type ResentSignInLink } from '../../app/resendSignInLink.js';
import { ADMIN_CHANNEL } from '../adminSession.js';
import type { ApiEnv } from '../env.js';
import { HttpError } from '../errors.js';
import { route, type ApiRouter } from '../route.js';
import { responseSchemas } from '../schemas.js';

const timestamp = (d: string) => z.iso.datetime({ offset: true }).describe(d);
const MemberPath = z.object({ memberId: z.string().max(100).describe('Member id') });
const Consent = z.object({ granted: z.boolean(), at: timestamp('When the member answered'), channel: z.string().describe('Where: telegram, web, till, import…') }).nullable().describe('The latest answer; null when never asked');

export const MemberProfile = z
  .object({
    memberId: z.string(),
    language: z.string().nullable().describe('ru or en; null: the business\'s language'),
    consents: z.object({ personalData: Consent, marketing: Consent }),
    channels: z.array(z.object({
      channel: z.enum(['telegram', 'vk', 'sms', 'email']),
      address: z.string().nullable().describe('The member\'s address there (Telegram @username or id, VK id, phone, e-mail); null when none'),
      configured: z.boolean().describe('The business has this channel (a live customer bot; VK, SMS or e-mail settings)'),
      failed: z.boolean().describe('Failed for good for this member (blocked the bot, a dead number); messages skip it'),
      reachable: z.boolean().describe('A message can go this way now'),
    })).describe('Telegram, VK, SMS, e-mail in this order'),
  })
  .register(responseSchemas, { id: 'MemberProfile' });

export const SignInLinkSent = z
  .object({
    messageId: z.string().describe('The message carrying the link (GET /members/{memberId}/messages shows how it went, the link masked)'),
    memberId: z.string(),
    expiresAt: timestamp('The link stops working then, and after its first use'),
  })
  .register(responseSchemas, { id: 'SignInLinkSent' });

function staffOf(c: Context<ApiEnv>) {
  const caller = c.var.caller;
  if (caller.kind !== 'staff') throw new HttpError(403, 'forbidden', 'Sending a member a sign-in link is for signed-in staff (the admin panel): it is audited in a person\'s name');
  return caller.staff;
}

export function memberActionRoutes(r: ApiRouter): void {
  route(r, {
    method: 'get', path: '/members/:memberId/profile', operationId: 'getMemberProfile', tag: 'Members', summary: 'The member\'s consents and the channels that reach them',
    permission: 'member.history',
    description: 'Staff: member.history. The latest answer to personal-data processing and to marketing messages, and for each channel (Telegram, VK, SMS, e-mail) '
      + 'the member\'s address, whether the business has the channel, and whether it failed for good.',
    params: MemberPath,
    responses: { 200: { description: 'The profile', schema: MemberProfile } },
    errors: ['member_not_found'],
  }, async ({ params, c }) => ({ status: 200, body: await memberProfile(c.var.deps, { businessId: c.var.caller.businessId, memberId: params.memberId }) }));

  route(r, {
    method: 'post', path: '/members/:memberId/sign-in-link', operationId: 'resendSignInLink', tag: 'Members', summary: 'Send the member a new one-time sign-in link to their card',
    permission: 'chat.reply',
    description: `Staff only (chat.reply: managers and up); API keys get 403. The link (one use, ${RESENT_LINK_MINUTES} minutes) goes as a service message by the business's `
      + `channel order, like every message; nobody but the member sees it. At most ${LINKS_PER_MINUTE} a minute and ${LINKS_PER_HOUR} an hour per member (429 too_many_codes). Audited (member.sign_in_link).`,
    params: MemberPath,
    responses: { 201: { description: 'The link is on its way', schema: SignInLinkSent } },
    errors: ['member_not_found', 'member_blocked', 'too_many_codes'],
  }, async ({ params, c }) => ({
    status: 201,
    body: await resendSignInLink(c.var.deps, { businessId: c.var.caller.businessId, staff: staffOf(c), memberId: params.memberId, channel: ADMIN_CHANNEL }),
  }));
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [Same<z.output<typeof MemberProfile>, MemberProfileView>, Same<z.output<typeof SignInLinkSent>, ResentSignInLink>] = [true, true];
void proofs;
