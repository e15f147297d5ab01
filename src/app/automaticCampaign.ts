// What the birthday and win-back campaigns share: once per local day at the business's send time, each due member
// (marketing consent given, not blocked or erased) is recorded as a recipient of the business's automatic campaign,
// treated or held out as control (a stable hashed split). The treated get their gift points (a lot valid for the
// configured days) and a message at the send time; the control group gets nothing at all. One transaction per
// member, with the member locked; the recipient row (one per member and occurrence) makes a re-run do nothing new.
import {
  DomainError,
  availablePoints,
  birthdayBonusLastDay,
  credits,
  endOfLocalDay,
  formatLocalDate,
  inControlGroup,
  memberLanguage,
  type Business,
  type DailyJob,
  type NewLedgerTransaction,
  type NewLot,
  type Repositories,
} from '../core/index.js';
import { campaignSendAt, dueLocalDate } from './dailyRuns.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { scheduleMessages } from './messages.js';

export type AutomaticKind = 'birthday' | 'winback';

/** A member the campaign is due for today, with the occurrence (a year, a lapse) that makes it once. */
export interface DueMember {
  memberId: string;
  occurrence: string;
  language: string | null;
}

export interface CampaignRun {
  /** False when it was not due (ran today already, its time has not come, or the campaign is off). */
  ran: boolean;
  localDate: string | null;
  treated: number;
  control: number;
  /** Gift points granted in this run. */
  points: number;
}

export interface AutomaticCampaign {
  kind: AutomaticKind;
  /** The campaign row's name. */
  name: string;
  settings(business: Business): { enabled: boolean; bonus: number; validDays: number; controlPercent: number };
  /** Who is due on the local date `today`. */
  due(repos: Repositories, business: Business, today: string): Promise<DueMember[]>;
  /** Remembers the member had this occurrence (in the member's transaction). */
  mark(repos: Repositories, business: Business, m: DueMember, now: Date): Promise<void>;
  reason: string;
}

const NOTHING = { treated: 0, control: 0, points: 0 };

export async function runAutomaticCampaign(deps: AppDeps, businessId: string, c: AutomaticCampaign): Promise<CampaignRun> {
  const now = deps.clock.now();
  const job: DailyJob = c.kind;
  const state = UUID_RE.test(businessId) ? (await deps.uow.run((repos) => repos.campaignJobs.runStates(job, businessId)))[0] : undefined;
  if (!state) throw new DomainError('business_not_found', `No business ${String(businessId).slice(0, 40)}`);
  const { business, lastLocalDate } = state;
  const today = dueLocalDate(business, job, lastLocalDate, now);
  if (today === null) return { ran: false, localDate: null, ...NOTHING };
  const s = c.settings(business);
  const { campaignId, due } = await deps.uow.run(async (repos) => ({
    campaignId: (await repos.campaigns.automatic(business.id, c.kind, c.name, s.controlPercent, now)).id,
    due: await c.due(repos, business, today),
  }));
  const run: CampaignRun = { ran: true, localDate: today, ...NOTHING };
  for (const m of due) {
    const outcome = await deps.uow.run((repos) => reach(deps, repos, business, c, campaignId, m, today, now));
    if (outcome === 'control') run.control += 1;
    if (outcome === 'treated') {
      run.treated += 1;
      run.points += s.bonus;
    }
  }
  await deps.uow.run((repos) => repos.campaignJobs.markRun(business.id, job, today, now));
  return run;
}

async function reach(deps: AppDeps, repos: Repositories, business: Business, c: AutomaticCampaign, campaignId: string, m: DueMember, today: string, now: Date): Promise<'treated' | 'control' | 'none'> {
  const locked = await repos.members.lock(business.id, m.memberId);
  if (!locked || locked.member.blocked || locked.member.erasedAt !== null) return 'none';
  const s = c.settings(business);
  const control = inControlGroup(campaignId, m.memberId, s.controlPercent);
  const sendAfter = campaignSendAt(business, today, now);
  const recorded = await repos.campaigns.addRecipients([{ businessId: business.id, campaignId, memberId: m.memberId, occurrence: m.occurrence, control, at: sendAfter }]);
  if (recorded === 0) return 'none';
  await c.mark(repos, business, m, now);
  if (control) return 'control';
  const lastDay = birthdayBonusLastDay(today, s.validDays);
  if (s.bonus > 0) {
    const lot: NewLot = { id: deps.newId(), amount: s.bonus, purchaseId: null, activatesAt: now, expiresAt: endOfLocalDay(lastDay, business.timezone) };
    const balance = availablePoints([...locked.lots, { ...lot, remaining: lot.amount, createdAt: now, memberId: m.memberId, expiredPoints: 0 }], now);
    const id = deps.newId();
    const tx: NewLedgerTransaction = {
      id,
      businessId: business.id,
      memberId: m.memberId,
      type: c.kind,
      points: s.bonus,
      balanceAfter: balance,
      reason: c.reason,
      actor: { type: 'system', id: `${c.kind}-campaign` },
      purchaseId: null,
      createdAt: now,
      newLots: [lot],
      debits: [],
      postings: credits([lot], 'issued'),
      meta: { campaignId, occurrence: m.occurrence },
    };
    // points.adjusted: webhooks see the balance change, and the relay plans the gift's expiry reminders.
    const event = { businessId: business.id, type: 'points.adjusted', payload: { memberId: m.memberId, transactionId: id, points: s.bonus, reason: c.reason, balance, campaign: c.kind } };
    await repos.ledger.write({ transactions: [tx], events: [event], at: now });
  }
  const lang = memberLanguage(m.language, business.program.notifications);
  await scheduleMessages(repos, [
    {
      businessId: business.id,
      id: deps.newId(),
      key: `${c.kind}:${m.memberId}:${m.occurrence}`,
      memberId: m.memberId,
      kind: c.kind,
      purpose: 'marketing',
      campaignId,
      vars: c.kind === 'birthday' ? { bonus: s.bonus, expiresAt: formatLocalDate(lastDay, lang) } : { bonus: s.bonus },
      text: null,
      sendAfter,
      createdAt: now,
    },
  ]);
  return 'treated';
}
