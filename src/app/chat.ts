// The two-way chat: a member's free text to the customer bot reaches the business (the staff bot and the staff API's
// inbox); a staff reply is stored and handed to the notifications engine (a `messages` row, kind 'chat', key
// `chat:<chat message id>`) in the same transaction, which delivers it on the member's channel.
// Managers and up read and answer (`chat.reply`); cashiers do not: members write about anything (complaints,
// personal matters), and the till needs none of it.
import {
  CHANNELS,
  DomainError,
  MAX_CHAT_TEXT,
  can,
  invalid,
  requirePermission,
  type Channel,
  type ChatMessageRecord,
  type StaffMember,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { once } from './idempotency.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { scheduleMessages } from './messages.js';
import { maskPhone } from './till.js';

export interface ChatMessageView {
  id: string;
  memberId: string;
  /** in: the member wrote; out: staff answered. */
  direction: 'in' | 'out';
  text: string;
  channel: string;
  staff: { id: string; name: string } | null;
  at: string;
  /** When staff first saw it (in only); null while unread. */
  readAt: string | null;
}

export interface ChatThreadSummary {
  member: { id: string; name: string | null; cardNumber: string; blocked: boolean };
  last: ChatMessageView;
  /** The member's messages nobody has opened yet. */
  unread: number;
}

export interface ChatThread {
  member: { id: string; name: string | null; cardNumber: string; phoneMasked: string; blocked: boolean };
  /** Newest first; `readAt` as it was before this view (null marks what is new), though the view marks them read. */
  items: ChatMessageView[];
  /** Pass as `before` for older messages; null at the start of the conversation. */
  nextBefore: string | null;
}

export const chatMessageView = (m: ChatMessageRecord): ChatMessageView => ({
  id: m.id,
  memberId: m.memberId,
  direction: m.direction,
  text: m.text,
  channel: m.channel,
  staff: m.staffId ? { id: m.staffId, name: m.staffName ?? '' } : null,
  at: m.at.toISOString(),
  readAt: m.readAt ? m.readAt.toISOString() : null,
});

/** Trimmed, 1–4000 characters, no NUL. */
export function checkChatText(text: unknown): string {
  const t = typeof text === 'string' ? text.trim() : '';
  if (t.length < 1 || t.length > MAX_CHAT_TEXT || t.includes('\u0000')) throw invalid(`text must be 1–${MAX_CHAT_TEXT} characters`, { field: 'text' });
  return t;
}

function staffOf(businessId: string, staff: StaffMember): StaffMember {
  requirePermission(staff.role, 'chat.reply');
  if (staff.businessId !== businessId) throw new DomainError('forbidden', 'Staff of another business');
  return staff;
}

const memberIdOf = (memberId: string) => {
  if (!UUID_RE.test(memberId)) throw new DomainError('member_not_found');
  return memberId;
};

/** Stores what a member wrote to the business (their channel is reachable again). Blocked members are refused. */
export async function receiveMemberMessage(deps: AppDeps, input: { businessId: string; memberId: string; text: string; channel: Channel }): Promise<ChatMessageView> {
  const text = checkChatText(input.text);
  if (!(CHANNELS as readonly string[]).includes(input.channel)) throw invalid(`channel must be one of ${CHANNELS.join(', ')}`, { field: 'channel' });
  const memberId = memberIdOf(input.memberId);
  const at = deps.clock.now();
  const message = { businessId: input.businessId, id: deps.newId(), memberId, direction: 'in' as const, text, channel: input.channel, staffId: null, at, readAt: null };
  await deps.uow.run(async (repos) => {
    const member = await repos.members.get(input.businessId, memberId);
    if (!member || member.erasedAt) throw new DomainError('member_not_found');
    if (member.blocked) throw new DomainError('member_blocked');
    await repos.chat.add(message);
  });
  return chatMessageView({ ...message, staffName: null });
}

/**
 * A staff reply: stored, the member's messages marked read (whoever answers has seen them), its delivery scheduled
 * (now, a service message: an answer the member asked for) and the audit entry, in one transaction. The same
 * idempotency key again returns the first reply and sends nothing more.
 */
export async function replyToMember(
  deps: AppDeps,
  input: { businessId: string; staff: StaffMember; channel?: string; memberId: string; text: string; idempotencyKey?: string | null },
): Promise<ChatMessageView> {
  const staff = staffOf(input.businessId, input.staff);
  const text = checkChatText(input.text);
  const memberId = memberIdOf(input.memberId);
  const at = deps.clock.now();
  return deps.uow.run((repos) =>
    once(repos, input.businessId, input.idempotencyKey ?? null, 'chat.reply', { memberId, text }, at, async () => {
      const member = await repos.members.get(input.businessId, memberId);
      if (!member || member.erasedAt) throw new DomainError('member_not_found');
      const id = deps.newId();
      // Noted with the conversation's channel; the engine still picks among the member's reachable channels.
      const [newest] = await repos.chat.messages(input.businessId, memberId, { limit: 1, before: null });
      const message = { businessId: input.businessId, id, memberId, direction: 'out' as const, text, channel: newest?.channel ?? 'telegram', staffId: staff.id, at, readAt: null };
      await repos.chat.add(message);
      await repos.chat.markRead(input.businessId, memberId, at);
      await scheduleMessages(repos, [
        { businessId: input.businessId, id: deps.newId(), key: `chat:${id}`, memberId, kind: 'chat', purpose: 'service', campaignId: null, vars: { text }, text, sendAfter: at, createdAt: at },
      ]);
      await repos.staff.addAudit({
        businessId: input.businessId,
        at,
        staffId: staff.id,
        staffRole: staff.role,
        action: 'chat.reply',
        memberId,
        points: null,
        issuedPoints: 0,
        amount: null,
        channel: input.channel ?? 'web',
        details: { chatMessageId: id, length: text.length },
      });
      return chatMessageView({ ...message, staffName: staff.name });
    }),
  );
}

const BEFORE_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)_([0-9a-f-]{36})$/i;

function limitOf(limit: number | undefined, max: number): number {
  if (limit === undefined) return Math.min(50, max);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > max) throw invalid(`limit must be 1–${max}`, { field: 'limit' });
  return limit;
}

/** The inbox: one entry per member who wrote or was written to, newest conversation first. */
export async function listChats(
  deps: AppDeps,
  input: { businessId: string; staff: StaffMember; unreadOnly?: boolean; limit?: number; before?: string | null },
): Promise<{ items: ChatThreadSummary[]; nextBefore: string | null }> {
  staffOf(input.businessId, input.staff);
  const limit = limitOf(input.limit, 100);
  let before: { at: Date; memberId: string } | null = null;
  if (input.before) {
    const m = BEFORE_RE.exec(input.before);
    if (!m || Number.isNaN(Date.parse(m[1] ?? ''))) throw invalid('before must be a nextBefore from an earlier page', { field: 'before' });
    before = { at: new Date(m[1] ?? ''), memberId: (m[2] ?? '').toLowerCase() };
  }
  const rows = await deps.uow.run(async (repos) => {
    await loadBusiness(repos, input.businessId);
    return repos.chat.threads(input.businessId, { unreadOnly: input.unreadOnly ?? false, limit, before });
  });
  const items = rows.map((r) => ({ member: r.member, last: chatMessageView(r.last), unread: r.unread }));
  const tail = rows.length === limit ? rows[rows.length - 1] : undefined;
  return { items, nextBefore: tail ? `${tail.last.at.toISOString()}_${tail.member.id}` : null };
}

/** One member's conversation, newest first; opening it marks the member's messages read. */
export async function chatThread(
  deps: AppDeps,
  input: { businessId: string; staff: StaffMember; memberId: string; before?: string | null; limit?: number },
): Promise<ChatThread> {
  staffOf(input.businessId, input.staff);
  const memberId = memberIdOf(input.memberId);
  const limit = limitOf(input.limit, 200);
  if (input.before && !UUID_RE.test(input.before)) throw invalid('before must be a message id', { field: 'before' });
  const at = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const member = await repos.members.get(input.businessId, memberId);
    if (!member || member.erasedAt) throw new DomainError('member_not_found');
    const rows = await repos.chat.messages(input.businessId, memberId, { limit, before: input.before ?? null });
    await repos.chat.markRead(input.businessId, memberId, at);
    const tail = rows.length === limit ? rows[rows.length - 1] : undefined;
    return {
      member: { id: member.id, name: member.name, cardNumber: member.cardNumber, phoneMasked: maskPhone(member.phone), blocked: member.blocked },
      items: rows.map(chatMessageView),
      nextBefore: tail ? tail.id : null,
    };
  });
}

/** Staff to tell in Telegram about a member's message: active, allowed to answer, with a Telegram account. */
export async function chatRecipients(deps: AppDeps, businessId: string): Promise<StaffMember[]> {
  const staff = await deps.uow.run((repos) => repos.staff.list(businessId));
  return staff.filter((s) => s.status === 'active' && s.telegramUserId !== null && can(s.role, 'chat.reply'));
}
