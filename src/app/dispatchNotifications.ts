// The notifications relay: turns outbox events (recorded in the same statement as the points they describe) into
// messages — accrual, redemption and welcome notices — and re-plans expiry reminders of members whose lots changed.
// Each batch is one transaction: the messages and the events' mark commit together, so nothing is lost or doubled.
import type { Business, NewMessage, OutboxEventRecord, Repositories } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';

/** Called for each member whose lots changed, inside the relay's transaction (expiry reminder planning). */
export type LotsChangedHook = (repos: Repositories, business: Business, memberId: string, now: Date) => Promise<void>;
/** Called for a staff member's broadcast request (the staff bot's /broadcast), inside the relay's transaction. */
export type BroadcastRequestHook = (repos: Repositories, business: Business, request: { id: string; text: string; by: string | null }, now: Date) => Promise<void>;

export interface DispatchOptions {
  businessId?: string | undefined;
  onLotsChanged?: LotsChangedHook | undefined;
  onBroadcastRequested?: BroadcastRequestHook | undefined;
}

const BATCH = 500;
const MAX_BATCHES = 20;

const str = (v: unknown): string | null => (typeof v === 'string' && UUID_RE.test(v) ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A notice about something that happened longer ago than this is no news: not sent (e.g. events of imported history). */
export const NOTICE_MAX_AGE_MS = 24 * 3_600_000;

/** The message an event asks for, if the business wants it. */
function messageFor(e: OutboxEventRecord, business: Business, newId: () => string, now: Date): NewMessage | null {
  const s = business.program.notifications;
  if (now.getTime() - e.createdAt.getTime() > NOTICE_MAX_AGE_MS) return null;
  const p = e.payload;
  const base = { businessId: business.id, id: newId(), purpose: 'service' as const, campaignId: null, text: null, sendAfter: now, createdAt: now };
  if (e.type === 'points.earned' && s.accrualNotices) {
    const memberId = str(p.memberId);
    const tx = str(p.transactionId);
    if (memberId && tx && num(p.points) > 0) return { ...base, key: `earn:${tx}`, memberId, kind: 'accrual', vars: { points: num(p.points) } };
  }
  if (e.type === 'points.redeemed' && s.redemptionNotices) {
    const memberId = str(p.memberId);
    const tx = str(p.transactionId);
    if (memberId && tx && num(p.points) > 0) return { ...base, key: `redeem:${tx}`, memberId, kind: 'redemption', vars: { points: num(p.points) } };
  }
  // Imported members (src/app/imports.ts) are not new to the business: no welcome message.
  if (e.type === 'member.created' && s.welcomeMessage && p.joinedInTelegram !== true && p.imported !== true) {
    const memberId = str((p.member as Record<string, unknown> | undefined)?.id);
    if (memberId) return { ...base, key: `welcome:${memberId}`, memberId, kind: 'welcome', vars: { bonus: num(p.welcomeBonus) } };
  }
  return null;
}

/** Members whose lots an event changed (their expiry reminders are planned again). */
function lotsChangedBy(e: OutboxEventRecord): string[] {
  const p = e.payload;
  switch (e.type) {
    case 'points.earned':
    case 'points.adjusted':
    case 'points.referral':
    case 'purchase.refunded':
      return [str(p.memberId)].filter((x): x is string => x !== null);
    case 'member.created':
      return num(p.welcomeBonus) > 0 ? [str((p.member as Record<string, unknown> | undefined)?.id)].filter((x): x is string => x !== null) : [];
    default:
      return [];
  }
}

/** Runs the relay until no event is left (or a bounded number of batches); returns how many events and messages. */
export async function dispatchNotifications(deps: AppDeps, o: DispatchOptions = {}): Promise<{ events: number; messages: number }> {
  const businessId = o.businessId ?? null;
  if (businessId !== null && !UUID_RE.test(businessId)) return { events: 0, messages: 0 };
  const total = { events: 0, messages: 0 };
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const now = deps.clock.now();
    const r = await deps.uow.run(async (repos) => {
      const events = await repos.messages.takeEvents(BATCH, businessId);
      const businesses = new Map<string, Business | null>();
      const business = async (id: string) => {
        if (!businesses.has(id)) businesses.set(id, await repos.businesses.get(id));
        return businesses.get(id) ?? null;
      };
      const messages: NewMessage[] = [];
      const changed = new Map<string, Set<string>>();
      for (const e of events) {
        const b = await business(e.businessId);
        if (!b) continue;
        const m = messageFor(e, b, deps.newId, now);
        if (m) messages.push(m);
        for (const memberId of lotsChangedBy(e)) {
          if (!changed.has(b.id)) changed.set(b.id, new Set());
          changed.get(b.id)!.add(memberId);
        }
        if (e.type === 'broadcast.requested' && o.onBroadcastRequested) {
          const text = typeof e.payload.text === 'string' ? e.payload.text : '';
          const id = str(e.payload.id);
          if (id && text.trim()) await o.onBroadcastRequested(repos, b, { id, text, by: str(e.payload.by) }, now);
        }
      }
      const added = await repos.messages.add(messages);
      if (o.onLotsChanged) {
        for (const [bid, members] of changed) {
          const b = (await business(bid))!;
          for (const memberId of members) await o.onLotsChanged(repos, b, memberId, now);
        }
      }
      await repos.messages.markEventsNotified(events.map((e) => e.id), now);
      return { events: events.length, messages: added };
    });
    total.events += r.events;
    total.messages += r.messages;
    if (r.events < BATCH) break;
  }
  return total;
}
