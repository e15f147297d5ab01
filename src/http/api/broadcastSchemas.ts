// The contract of /broadcasts and /campaigns: request and response schemas, registered as OpenAPI components.
import { z } from 'zod';
import type { BroadcastPreview, BroadcastView } from '../../app/broadcasts.js';
import type { CampaignReport, CampaignSummary } from '../../app/campaignReport.js';
import { requestSchemas, responseSchemas } from '../schemas.js';

const timestamp = (d: string) => z.iso.datetime({ offset: true }).describe(d);
const dateOrTime = (d: string) => z.string().min(10).max(40).describe(`${d}: a date YYYY-MM-DD (the business's day) or an ISO 8601 time with offset`);
const CHANNEL = z.enum(['telegram', 'vk', 'sms', 'email']);
const STATUS = z.enum(['scheduled', 'planning', 'running', 'done', 'cancelled', 'active']);
const KIND = z.enum(['broadcast', 'birthday', 'winback']);

const segmentFields = {
  tierIds: z.array(z.string().min(1).max(40)).min(1).max(20).optional().describe('Members in any of these tiers'),
  lastPurchaseBefore: dateOrTime('Last purchase before this').optional(),
  lastPurchaseAfter: dateOrTime('Last purchase on or after this').optional(),
  totalSpentMin: z.number().int().min(0).optional().describe('Total spent (purchases less refunds) at least this, minor units'),
  totalSpentMax: z.number().int().min(0).optional().describe('Total spent at most this, minor units'),
  birthdayMonth: z.number().int().min(1).max(12).optional().describe('Birthday in this month'),
  channel: CHANNEL.optional().describe('Members reachable on this channel'),
  locationId: z.string().min(1).max(100).optional().describe('Members who bought at this location'),
  memberIds: z.array(z.string().min(1).max(100)).min(1).max(100).optional().describe('One or a few members'),
};

export const SegmentInput = z
  .strictObject(segmentFields)
  .register(requestSchemas, { id: 'SegmentInput', description: 'Every given filter must hold; empty = all members. Blocked members and members without marketing consent never get broadcasts.' });

export const BroadcastCreate = z
  .strictObject({
    name: z.string().min(1).max(200).optional().describe('Shown in lists; default: the start of the text'),
    text: z.string().min(1).max(4000).describe('May use {name}, {pointsName}, {balance}, {business}, {cardUrl}'),
    segment: SegmentInput.optional(),
    controlPercent: z.number().int().min(0).max(50).optional().describe('Share of recipients held out as a control group (they get nothing), default 0'),
    scheduledAt: timestamp('When to send; null or absent: now. Quiet hours still apply (a broadcast due at night waits for the morning).').nullable().optional(),
  })
  .register(requestSchemas, { id: 'BroadcastCreate' });

export const BroadcastPreviewInput = z
  .strictObject({
    segment: SegmentInput.optional(),
    controlPercent: z.number().int().min(0).max(50).optional(),
    text: z.string().min(1).max(4000).optional().describe('Rendered for the first recipient when given'),
  })
  .register(requestSchemas, { id: 'BroadcastPreviewInput' });

export const CampaignListQuery = z.strictObject({
  kind: KIND.optional(),
  limit: z.string().regex(/^\d{1,3}$/, 'limit must be a whole number').optional().describe('1–100, default 20'),
  cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
});

export const BroadcastListQuery = CampaignListQuery.omit({ kind: true });

export const ReportQuery = z.strictObject({
  days: z.string().regex(/^\d{1,3}$/, 'days must be a whole number').optional().describe('Days after each send that count (1–365); default: the program\'s notifications.reportWindowDays'),
});

// ── responses ────────────────────────────────────────────────────────────────────────────────────────────────────

const Segment = z.object(segmentFields).register(responseSchemas, { id: 'Segment' });

const n = (d: string) => z.number().int().describe(d);

export const BroadcastProgressSchema = z
  .object({
    planned: n('Members a message was planned for'),
    control: n('Members held out as the control group'),
    scheduled: n('Messages waiting for their send time'),
    queued: n('Messages handed to the queue'),
    sending: n('Messages being sent'),
    sent: n('Messages sent'),
    failed: n('Messages no channel could deliver'),
    skipped: n('Messages not sent (cancelled, consent withdrawn)'),
    pending: n('scheduled + queued + sending'),
  })
  .register(responseSchemas, { id: 'BroadcastProgress' });

export const Broadcast = z
  .object({
    id: z.string(),
    name: z.string(),
    text: z.string(),
    segment: Segment,
    controlPercent: z.number().int(),
    status: STATUS,
    scheduledAt: timestamp('When it goes out').nullable(),
    startedAt: timestamp('When planning began').nullable(),
    finishedAt: timestamp('When it was done or cancelled').nullable(),
    createdBy: z.string().nullable(),
    createdAt: timestamp('Created'),
    progress: BroadcastProgressSchema,
  })
  .register(responseSchemas, { id: 'Broadcast' });

export const BroadcastList = z.object({ items: z.array(Broadcast), nextCursor: z.string().nullable() }).register(responseSchemas, { id: 'BroadcastList' });

export const BroadcastPreviewSchema = z
  .object({
    matched: n('Active members matching the segment'),
    recipients: n('Of those, members who consented to marketing'),
    withoutConsent: n('Matching members who did not consent'),
    expectedControl: n('Recipients expected in the control group'),
    expectedTreated: n('Recipients expected to get the message'),
    sample: z.object({ memberId: z.string(), text: z.string() }).nullable().describe('The text as the first recipient would read it'),
  })
  .register(responseSchemas, { id: 'BroadcastPreview' });

export const CampaignSummarySchema = z
  .object({
    id: z.string(),
    kind: KIND,
    name: z.string(),
    status: STATUS,
    controlPercent: z.number().int(),
    createdAt: timestamp('Created'),
    scheduledAt: timestamp('Scheduled').nullable(),
    startedAt: timestamp('Started').nullable(),
    finishedAt: timestamp('Finished').nullable(),
    recipients: n('Recipients recorded, treated and control'),
    control: n('Of those, the control group'),
  })
  .register(responseSchemas, { id: 'CampaignSummary' });

export const CampaignList = z.object({ items: z.array(CampaignSummarySchema), nextCursor: z.string().nullable() }).register(responseSchemas, { id: 'CampaignList' });

const Group = z
  .object({
    members: n('Recipients in the group'),
    returned: n('Who bought within the window'),
    revenue: n('What they spent in the window less refunds, minor units'),
    returnRate: z.number().nullable().describe('returned / members'),
    revenuePerMember: z.number().int().nullable().describe('Minor units'),
  })
  .register(responseSchemas, { id: 'CampaignGroup' });

export const CampaignReportSchema = z
  .object({
    campaign: CampaignSummarySchema,
    days: n('Days after each send that count'),
    windowEndsAt: timestamp('When the last recipient\'s window closes').nullable(),
    complete: z.boolean().describe('Every window has closed: the numbers are final'),
    treated: Group,
    control: Group,
    returnRateUplift: z.number().nullable().describe('Treated minus control return rate'),
    revenuePerMemberUplift: z.number().int().nullable().describe('Treated minus control revenue per member, minor units'),
  })
  .register(responseSchemas, { id: 'CampaignReport' });

// Compile-time proof that each response schema describes what its use case returns.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [
  Same<z.output<typeof Broadcast>, BroadcastView>,
  Same<z.output<typeof BroadcastPreviewSchema>, BroadcastPreview>,
  Same<z.output<typeof CampaignSummarySchema>, CampaignSummary>,
  Same<z.output<typeof CampaignReportSchema>, CampaignReport>,
] = [true, true, true, true];
void proofs;
