// What a campaign did: members who got it (treated) against members held out (control), each judged over the same
// number of days after their own send time — how many came back and what they spent — so the uplift is measured.
import { DomainError, uplift, type Campaign, type CampaignKind, type CampaignStatus, CAMPAIGN_KINDS } from '../core/index.js';
import { checkCursor, listLimit } from './broadcasts.js';
import type { AppDeps } from './deps.js';
import { UUID_RE } from './ids.js';
import { loadBusiness } from './members.js';

export interface CampaignSummary {
  id: string;
  kind: CampaignKind;
  name: string;
  status: CampaignStatus;
  controlPercent: number;
  createdAt: string;
  scheduledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Recipients recorded: treated and control (automatic campaigns: one per member and occurrence). */
  recipients: number;
  control: number;
}

export interface GroupReport {
  members: number;
  /** Members who bought within the window. */
  returned: number;
  /** Their purchases in the window less refunds, minor units. */
  revenue: number;
  /** returned / members; null for an empty group. */
  returnRate: number | null;
  revenuePerMember: number | null;
}

export interface CampaignReport {
  campaign: CampaignSummary;
  /** Days after each recipient's send time that count. */
  days: number;
  /** When the last recipient's window closes; until then the numbers can still grow. */
  windowEndsAt: string | null;
  complete: boolean;
  treated: GroupReport;
  control: GroupReport;
  /** Treated minus control return rate (e.g. 0.12 = 12 points); null without both groups. */
  returnRateUplift: number | null;
  /** Treated minus control revenue per member, minor units. */
  revenuePerMemberUplift: number | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summary(c: Campaign, counts: { recipients: number; control: number } | undefined): CampaignSummary {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    status: c.status,
    controlPercent: c.controlPercent,
    createdAt: c.createdAt.toISOString(),
    scheduledAt: iso(c.scheduledAt),
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
    recipients: counts?.recipients ?? 0,
    control: counts?.control ?? 0,
  };
}

/** Broadcasts and the automatic birthday and win-back campaigns, newest first. */
export async function listCampaigns(
  deps: AppDeps,
  input: { businessId: string; kind?: string | undefined; limit?: number | undefined; cursor?: string | null | undefined },
): Promise<{ items: CampaignSummary[]; nextCursor: string | null }> {
  if (input.kind !== undefined && !CAMPAIGN_KINDS.includes(input.kind as CampaignKind)) {
    throw new DomainError('validation_failed', `kind must be one of ${CAMPAIGN_KINDS.join(', ')}`, { field: 'kind' });
  }
  const limit = listLimit(input.limit);
  const before = checkCursor(input.cursor);
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const rows = await repos.campaigns.list(business.id, { kind: input.kind as CampaignKind | undefined, limit: limit + 1, before });
    const page = rows.slice(0, limit);
    const counts = await repos.campaigns.recipientCounts(business.id, page.map((c) => c.id));
    return { items: page.map((c) => summary(c, counts.get(c.id))), nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
  });
}

export async function campaignReport(deps: AppDeps, input: { businessId: string; campaignId: string; days?: number | undefined }): Promise<CampaignReport> {
  if (input.days !== undefined && !(Number.isInteger(input.days) && input.days >= 1 && input.days <= 365)) {
    throw new DomainError('validation_failed', 'days must be a whole number from 1 to 365', { field: 'days' });
  }
  const now = deps.clock.now();
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, input.businessId);
    const c = typeof input.campaignId === 'string' && UUID_RE.test(input.campaignId) ? await repos.campaigns.get(business.id, input.campaignId) : null;
    if (!c) throw new DomainError('campaign_not_found', `No campaign ${String(input.campaignId).slice(0, 40)} in this business`);
    const days = input.days ?? business.program.notifications.reportWindowDays;
    const o = await repos.campaigns.outcome(business.id, c.id, days);
    const u = uplift(o.treated, o.control);
    const windowEndsAt = o.lastAt ? new Date(o.lastAt.getTime() + days * 86_400_000) : null;
    return {
      campaign: summary(c, { recipients: o.treated.members + o.control.members, control: o.control.members }),
      days,
      windowEndsAt: iso(windowEndsAt),
      complete: windowEndsAt !== null && windowEndsAt.getTime() <= now.getTime(),
      treated: u.treated,
      control: u.control,
      returnRateUplift: u.returnRateUplift,
      revenuePerMemberUplift: u.revenuePerMemberUplift,
    };
  });
}
