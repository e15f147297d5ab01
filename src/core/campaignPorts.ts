// Campaigns (broadcasts, and the automatic birthday and win-back campaigns) as the use cases see them, and the port
// that stores them with their recipients, finds the members of a segment, and measures a campaign's effect.
import type { GroupOutcome, MessagePurpose } from './channels.js';
import type { MessageStatus } from './messages.js';
import type { Segment, SegmentFilter } from './segments.js';

export const CAMPAIGN_KINDS = ['broadcast', 'birthday', 'winback'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/**
 * Broadcasts: scheduled → planning (recipients and messages written page by page) → running (messages out) → done;
 * cancelled at any point before done. The automatic campaigns are one `active` row per business.
 */
export const CAMPAIGN_STATUSES = ['scheduled', 'planning', 'running', 'done', 'cancelled', 'active'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface Campaign {
  businessId: string;
  id: string;
  kind: CampaignKind;
  name: string;
  /** A broadcast's text (a template of kind 'broadcast'); null for the automatic campaigns (their templates apply). */
  text: string | null;
  segment: Segment;
  purpose: MessagePurpose;
  /** Share of recipients held out as a control group, 0–50 %. */
  controlPercent: number;
  status: CampaignStatus;
  /** When a broadcast goes out (its creation time for "now"). */
  scheduledAt: Date | null;
  /** When planning began. */
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Who made it: 'api_key:<id>', 'staff:<id>', or null. */
  createdBy: string | null;
  createdAt: Date;
}

/** A member a campaign reached or held out, per occurrence ('' for broadcasts; a year or a lapse for the automatic ones). */
export interface CampaignRecipient {
  businessId: string;
  campaignId: string;
  memberId: string;
  occurrence: string;
  control: boolean;
  /** When the message went (or would have gone) out: the report's window starts here. */
  at: Date;
}

export interface CampaignCounts {
  /** Recipients recorded (treated and control). */
  recipients: number;
  control: number;
  /** The campaign's messages by status. */
  messages: Partial<Record<MessageStatus, number>>;
}

export interface CampaignOutcome {
  treated: GroupOutcome;
  control: GroupOutcome;
  /** The first and last recipient's `at`. */
  firstAt: Date | null;
  lastAt: Date | null;
}

export interface CampaignRepository {
  insert(c: Campaign): Promise<void>;
  get(businessId: string, id: string): Promise<Campaign | null>;
  /** The campaign, locked until the transaction ends (planning pages and cancelling take turns on it). */
  lock(businessId: string, id: string): Promise<Campaign | null>;
  /** Newest first; `before` is the id of the last campaign of the previous page. */
  list(businessId: string, q: { kind?: CampaignKind | undefined; limit: number; before?: string | null | undefined }): Promise<Campaign[]>;
  /** The business's automatic campaign of this kind, made on first use (one per business). */
  automatic(businessId: string, kind: 'birthday' | 'winback', name: string, controlPercent: number, at: Date): Promise<Campaign>;
  setStatus(businessId: string, id: string, status: CampaignStatus, times: { startedAt?: Date; finishedAt?: Date }): Promise<void>;
  /** Broadcasts whose time has come (scheduled and due, or left planning by an interrupted run), oldest first. */
  due(now: Date, opts: { businessId: string | null; limit: number }): Promise<Array<{ businessId: string; id: string }>>;
  /** The earliest time a broadcast of the business is due to be planned. */
  nextDueAt(businessId: string): Promise<Date | null>;
  /** Running broadcasts with no message left to send become done; returns how many. */
  finishSent(now: Date, businessId: string | null): Promise<number>;
  /** Members of a segment: all that match, and those a message may go to (consented to marketing when it asks). */
  countSegment(f: SegmentFilter): Promise<{ matched: number; reachable: number }>;
  /** Ids of the segment's members in id order after `afterId`, a page at a time (consenting only when the filter asks). */
  segmentPage(f: SegmentFilter, afterId: string | null, limit: number): Promise<string[]>;
  /** The largest member id recorded for the campaign (planning resumes after it). */
  lastRecipient(businessId: string, campaignId: string): Promise<string | null>;
  /** Records recipients; ones already there are kept as they are. Returns how many were new. */
  addRecipients(rows: readonly CampaignRecipient[]): Promise<number>;
  counts(businessId: string, campaignId: string): Promise<CampaignCounts>;
  /** Recipients (treated, control) of many campaigns at once, for lists. */
  recipientCounts(businessId: string, campaignIds: readonly string[]): Promise<Map<string, { recipients: number; control: number }>>;
  /** The campaign's messages not yet handed to a channel (scheduled or queued) become skipped; returns how many. */
  skipUnsent(businessId: string, campaignId: string): Promise<number>;
  /** Per group: recipients, those who bought within `days` after their `at`, and what they spent then (less refunds). */
  outcome(businessId: string, campaignId: string, days: number): Promise<CampaignOutcome>;
}
