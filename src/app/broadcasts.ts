// Broadcasts: a text to every member of a segment who consented to marketing, now or at a set time, with a random
// control group held out. Planning writes recipients and messages page by page (each page one transaction, keyed and
// `on conflict do nothing`), so a run cut short resumes after the last recorded member without duplicates.
import {
  DomainError,
  FALLBACK_NAME,
  availablePoints,
  checkSegment,
  inControlGroup,
  messageText,
  segmentFilter,
  segmentProblems,
  templateProblems,
  type Business,
  type Campaign,
  type CampaignCounts,
  type CampaignStatus,
  type NewMessage,
  type Repositories,
  type Segment,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { checkIdempotencyKey, once } from './idempotency.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';
import { marketingSendAt, scheduleMessages } from './messages.js';

export const MAX_BROADCAST_TEXT = 4000;
export const MAX_BROADCAST_NAME = 200;
/** Members planned per transaction. */
export const PLAN_PAGE = 1000;
const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;

export interface BroadcastProgress {
  /** Members a message was planned for (recipients outside the control group). */
  planned: number;
  /** Members held out as the control group (no message). */
  control: number;
  scheduled: number;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Not yet sent, failed or skipped: scheduled + queued + sending. */
  pending: number;
}

export interface BroadcastView {
  id: string;
  name: string;
  text: string;
  segment: Segment;
  controlPercent: number;
  status: CampaignStatus;
  scheduledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdBy: string | null;
  createdAt: string;
  progress: BroadcastProgress;
}

export interface CreateBroadcastInput {
  businessId: string;
  /** Shown in lists; default: the start of the text. */
  name?: string | null | undefined;
  text: string;
  segment?: unknown;
  controlPercent?: number | undefined;
  /** null or absent: now; otherwise a time not in the past. */
  scheduledAt?: string | Date | null | undefined;
  createdBy?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
}

export interface BroadcastPreview {
  /** Active members matching the segment. */
  matched: number;
  /** Those who consented to marketing: the broadcast goes to them (less the control group). */
  recipients: number;
  /** Matching members who did not consent (they get nothing). */
  withoutConsent: number;
  expectedControl: number;
  expectedTreated: number;
  /** The text as the first recipient would read it (the card link is shown as a placeholder). */
  sample: { memberId: string; text: string } | null;
}

export function progressOf(c: CampaignCounts): BroadcastProgress {
  const m = c.messages;
  const n = (k: keyof typeof m) => m[k] ?? 0;
  return {
    planned: c.recipients - c.control,
    control: c.control,
    scheduled: n('scheduled'),
    queued: n('queued'),
    sending: n('sending'),
    sent: n('sent'),
    failed: n('failed'),
    skipped: n('skipped'),
    pending: n('scheduled') + n('queued') + n('sending'),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function broadcastView(c: Campaign, counts: CampaignCounts): BroadcastView {
  return {
    id: c.id,
    name: c.name,
    text: c.text ?? '',
    segment: c.segment,
    controlPercent: c.controlPercent,
    status: c.status,
    scheduledAt: iso(c.scheduledAt),
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    progress: progressOf(counts),
  };
}

const viewOf = async (repos: Repositories, c: Campaign) => broadcastView(c, await repos.campaigns.counts(c.businessId, c.id));

/** Problems with the broadcast's own fields (not its segment), each naming its field. */
function fieldProblems(input: { name?: unknown; text?: unknown; controlPercent?: unknown; scheduledAt?: unknown }, now: Date): string[] {
  const p: string[] = [];
  if (input.name !== undefined && input.name !== null && (typeof input.name !== 'string' || input.name.trim().length === 0 || input.name.length > MAX_BROADCAST_NAME)) {
    p.push(`name: 1–${MAX_BROADCAST_NAME} characters`);
  }
  if (typeof input.text !== 'string' || input.text.trim().length === 0 || input.text.length > MAX_BROADCAST_TEXT) p.push(`text: 1–${MAX_BROADCAST_TEXT} characters`);
  else for (const problem of templateProblems('broadcast', input.text)) p.push(`text: ${problem}`);
  const cp = input.controlPercent;
  if (cp !== undefined && !(typeof cp === 'number' && Number.isInteger(cp) && cp >= 0 && cp <= 50)) p.push('controlPercent: a whole number from 0 to 50');
  if (input.scheduledAt !== undefined && input.scheduledAt !== null) {
    const at = scheduledInstant(input.scheduledAt);
    if (at === null) p.push('scheduledAt: an ISO 8601 time with offset, or null for now');
    else if (at.getTime() < now.getTime() - 60_000) p.push('scheduledAt: must not be in the past');
    else if (at.getTime() > now.getTime() + MAX_SCHEDULE_AHEAD_MS) p.push('scheduledAt: at most a year ahead');
  }
  return p;
}

function scheduledInstant(v: unknown): Date | null {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v : null;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return null;
  const d = new Date(v);
  return Number.isFinite(d.getTime()) ? d : null;
}

/** Segment problems that need the database: a location or members the business does not have. */
async function storedSegmentProblems(repos: Repositories, business: Business, s: Segment): Promise<string[]> {
  const p: string[] = [];
  if (s.locationId && !(await repos.businesses.locationExists(business.id, s.locationId))) p.push(`segment.locationId: no location ${s.locationId} in this business`);
  for (const id of s.memberIds ?? []) {
    if (!(await repos.members.get(business.id, id))) p.push(`segment.memberIds: no member ${id} in this business`);
  }
  return p;
}

/** The checked segment, or every problem (with any problems of the other fields) as one error. */
async function checkAll(repos: Repositories, business: Business, segment: unknown, others: string[]): Promise<Segment> {
  const value = segment === undefined || segment === null ? {} : segment;
  let problems = segmentProblems(value, business.program, business.timezone);
  let checked: Segment | null = null;
  if (problems.length === 0) {
    checked = checkSegment(value, business.program, business.timezone);
    problems = await storedSegmentProblems(repos, business, checked);
  }
  if (others.length > 0) {
    const all = [...others, ...problems];
    throw new DomainError('validation_failed', all.join('; '), { field: (others[0] ?? '').split(':')[0], problems: all });
  }
  if (problems.length > 0 || !checked) throw new DomainError('invalid_segment', problems.join('; '), { problems });
  return checked;
}

const defaultName = (text: string) => {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
};

export async function createBroadcast(deps: AppDeps, input: CreateBroadcastInput): Promise<BroadcastView> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const now = deps.clock.now();
  const others = fieldProblems(input, now);
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const segment = await checkAll(repos, business, input.segment, others);
    const scheduledAt = input.scheduledAt === undefined || input.scheduledAt === null ? now : (scheduledInstant(input.scheduledAt) as Date);
    const text = input.text;
    const name = typeof input.name === 'string' ? input.name.trim() : defaultName(text);
    const controlPercent = input.controlPercent ?? 0;
    const request = { name, text, segment, controlPercent, scheduledAt: input.scheduledAt ?? null };
    return once(repos, business.id, key, 'broadcast.create', request, now, async () => {
      const c: Campaign = {
        businessId: business.id,
        id: deps.newId(),
        kind: 'broadcast',
        name,
        text,
        segment,
        purpose: 'marketing',
        controlPercent,
        status: 'scheduled',
        scheduledAt,
        startedAt: null,
        finishedAt: null,
        createdBy: input.createdBy ?? null,
        createdAt: now,
      };
      await repos.campaigns.insert(c);
      return broadcastView(c, { recipients: 0, control: 0, messages: {} });
    });
  });
}

/** How many members a broadcast to this segment would reach now, and how its text reads for one of them. */
export async function previewBroadcast(
  deps: AppDeps,
  input: { businessId: string; segment?: unknown; controlPercent?: number | undefined; text?: string | null | undefined; cardUrl?: string | undefined },
): Promise<BroadcastPreview> {
  const now = deps.clock.now();
  const others = fieldProblems({ controlPercent: input.controlPercent, ...(typeof input.text === 'string' ? { text: input.text } : { text: 'x' }) }, now);
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const segment = await checkAll(repos, business, input.segment, others);
    const filter = segmentFilter(business.id, segment, business.program, business.timezone, now, true);
    const { matched, reachable } = await repos.campaigns.countSegment(filter);
    const percent = input.controlPercent ?? 0;
    const expectedControl = Math.round((reachable * percent) / 100);
    let sample: BroadcastPreview['sample'] = null;
    if (typeof input.text === 'string') {
      const [first] = await repos.campaigns.segmentPage(filter, null, 1);
      const member = first ? await repos.members.get(business.id, first) : null;
      if (member) {
        const settings = business.program.notifications;
        const lang = settings.language;
        const balance = availablePoints(await repos.lots.open(business.id, member.id), now);
        const vars = { name: member.name ?? FALLBACK_NAME[lang], pointsName: business.program.pointsName, balance, business: business.name, cardUrl: input.cardUrl ?? (lang === 'ru' ? '[ссылка на карту]' : '[card link]') };
        sample = { memberId: member.id, text: messageText('broadcast', input.text, settings, lang, vars) };
      }
    }
    return { matched, recipients: reachable, withoutConsent: matched - reachable, expectedControl, expectedTreated: reachable - expectedControl, sample };
  });
}

export async function getBroadcast(deps: AppDeps, input: { businessId: string; broadcastId: string }): Promise<BroadcastView> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    return viewOf(repos, await findBroadcast(repos, business.id, input.broadcastId, false));
  });
}

async function findBroadcast(repos: Repositories, businessId: string, id: string, lock: boolean): Promise<Campaign> {
  const c = typeof id === 'string' && UUID_RE.test(id) ? await (lock ? repos.campaigns.lock(businessId, id) : repos.campaigns.get(businessId, id)) : null;
  if (!c || c.kind !== 'broadcast') throw new DomainError('campaign_not_found', `No broadcast ${String(id).slice(0, 40)} in this business`);
  return c;
}

export const MAX_LIST = 100;

export function listLimit(limit: number | undefined): number {
  if (limit === undefined) return 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) throw new DomainError('validation_failed', `limit must be 1–${MAX_LIST}`, { field: 'limit' });
  return limit;
}

export function checkCursor(before: string | null | undefined): string | null {
  if (before === undefined || before === null) return null;
  if (!UUID_RE.test(before)) throw new DomainError('validation_failed', 'cursor must be the nextCursor of the previous page', { field: 'cursor' });
  return before;
}

/** Newest first, with progress; `nextCursor` fetches the next page. */
export async function listBroadcasts(deps: AppDeps, input: { businessId: string; limit?: number | undefined; cursor?: string | null | undefined }): Promise<{ items: BroadcastView[]; nextCursor: string | null }> {
  const limit = listLimit(input.limit);
  const before = checkCursor(input.cursor);
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const rows = await repos.campaigns.list(business.id, { kind: 'broadcast', limit: limit + 1, before });
    const page = rows.slice(0, limit);
    const items: BroadcastView[] = [];
    for (const c of page) items.push(await viewOf(repos, c));
    return { items, nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
  });
}

/** Stops a broadcast: what has not been handed to a channel yet is skipped; a finished one cannot be cancelled. */
export async function cancelBroadcast(deps: AppDeps, input: { businessId: string; broadcastId: string; idempotencyKey?: string | null | undefined }): Promise<BroadcastView> {
  const key = checkIdempotencyKey(input.idempotencyKey);
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    return once(repos, business.id, key, 'broadcast.cancel', { id: input.broadcastId }, now, async () => {
      const c = await findBroadcast(repos, business.id, input.broadcastId, true);
      if (c.status === 'done') throw new DomainError('campaign_finished', 'The broadcast has already been sent to everyone; there is nothing to cancel');
      if (c.status !== 'cancelled') {
        await repos.campaigns.setStatus(business.id, c.id, 'cancelled', { finishedAt: now });
        await repos.campaigns.skipUnsent(business.id, c.id);
      }
      const after = await findBroadcast(repos, business.id, c.id, false);
      return viewOf(repos, after);
    });
  });
}

export interface PlanResult {
  broadcasts: number;
  recipients: number;
  control: number;
  messages: number;
  /** Pages were left for the next run (the page budget ran out). */
  more: boolean;
}

/**
 * Plans every broadcast whose time has come: scheduled → planning, then recipients and their messages a page per
 * transaction, then running. At most `maxPages` pages per call (the next call continues where this one stopped).
 */
export async function planDueBroadcasts(deps: AppDeps, opts: { businessId?: string; pageSize?: number; maxPages?: number } = {}): Promise<PlanResult> {
  const pageSize = opts.pageSize ?? PLAN_PAGE;
  let budget = opts.maxPages ?? Number.POSITIVE_INFINITY;
  const result: PlanResult = { broadcasts: 0, recipients: 0, control: 0, messages: 0, more: false };
  const now = deps.clock.now();
  const due = await deps.uow.run((repos) => repos.campaigns.due(now, { businessId: opts.businessId ?? null, limit: 100 }));
  for (const ref of due) {
    if (budget <= 0) {
      result.more = true;
      break;
    }
    const r = await planBroadcast(deps, ref.businessId, ref.id, pageSize, budget);
    budget -= r.pages;
    result.recipients += r.recipients;
    result.control += r.control;
    result.messages += r.messages;
    if (r.pages > 0) result.broadcasts += 1;
    if (!r.finished) result.more = true;
  }
  return result;
}

async function planBroadcast(deps: AppDeps, businessId: string, id: string, pageSize: number, budget: number) {
  const out = { pages: 0, recipients: 0, control: 0, messages: 0, finished: false };
  const started = await deps.uow.run(async (repos) => {
    const c = await repos.campaigns.lock(businessId, id);
    if (!c || c.kind !== 'broadcast') return false;
    const now = deps.clock.now();
    if (c.status === 'scheduled' && c.scheduledAt && c.scheduledAt.getTime() <= now.getTime()) {
      await repos.campaigns.setStatus(businessId, id, 'planning', { startedAt: now });
      return true;
    }
    return c.status === 'planning';
  });
  if (!started) {
    out.finished = true;
    return out;
  }
  while (out.pages < budget) {
    const page = await deps.uow.run(async (repos) => {
      // The lock makes pages of one broadcast take turns (two planners never write the same page) and lets a cancel
      // stop planning between pages.
      const c = await repos.campaigns.lock(businessId, id);
      if (!c || c.status !== 'planning') return null;
      const business = await loadBusiness(repos, businessId);
      const startedAt = c.startedAt ?? deps.clock.now();
      // The segment is judged as at the start (the tier window ends then), so a resumed run sees the same members.
      const filter = segmentFilter(businessId, c.segment, business.program, business.timezone, startedAt, c.purpose === 'marketing');
      const after = await repos.campaigns.lastRecipient(businessId, id);
      const ids = await repos.campaigns.segmentPage(filter, after, pageSize);
      // A broadcast started at night waits for the morning; every page gets the same send time.
      const from = c.scheduledAt && c.scheduledAt > startedAt ? c.scheduledAt : startedAt;
      const at = marketingSendAt(business, from);
      const rows = ids.map((memberId) => ({ businessId, campaignId: id, memberId, occurrence: '', control: inControlGroup(id, memberId, c.controlPercent), at }));
      const recipients = await repos.campaigns.addRecipients(rows);
      const createdAt = deps.clock.now();
      const messages: NewMessage[] = rows
        .filter((r) => !r.control)
        .map((r) => ({
          businessId,
          id: deps.newId(),
          key: `broadcast:${id}:${r.memberId}`,
          memberId: r.memberId,
          kind: 'broadcast',
          purpose: c.purpose,
          campaignId: id,
          vars: {},
          text: c.text,
          sendAfter: at,
          createdAt,
        }));
      const scheduled = messages.length > 0 ? await scheduleMessages(repos, messages) : 0;
      const last = ids.length < pageSize;
      if (last) await repos.campaigns.setStatus(businessId, id, 'running', {});
      return { recipients, control: rows.filter((r) => r.control).length, messages: scheduled, last };
    });
    if (!page) {
      out.finished = true;
      break;
    }
    out.pages += 1;
    out.recipients += page.recipients;
    out.control += page.control;
    out.messages += page.messages;
    if (page.last) {
      out.finished = true;
      break;
    }
  }
  return out;
}

/** Running broadcasts with every message sent, failed or skipped become done; returns how many. */
export async function finishBroadcasts(deps: AppDeps, opts: { businessId?: string } = {}): Promise<number> {
  return deps.uow.run((repos) => repos.campaigns.finishSent(deps.clock.now(), opts.businessId ?? null));
}

/** When the business's next broadcast is due to be planned (the test clock steps through these). */
export async function nextBroadcastDueAt(deps: AppDeps, businessId: string): Promise<Date | null> {
  return deps.uow.run((repos) => repos.campaigns.nextDueAt(businessId));
}
