// /broadcasts and /campaigns: messages to a segment of members (previewed, scheduled, followed, cancelled) and the
// measured effect of every campaign against its control group.
import { z } from 'zod';
import { cancelBroadcast, createBroadcast, getBroadcast, listBroadcasts, previewBroadcast } from '../../app/broadcasts.js';
import { campaignReport, listCampaigns } from '../../app/campaignReport.js';
import { wasReplayed } from '../../app/idempotency.js';
import type { Caller } from '../env.js';
import { createdByOf } from './common.js';
import { HttpError } from '../errors.js';
import { route, type ApiRouter } from '../route.js';
import * as B from './broadcastSchemas.js';

/** Broadcasts speak for the whole business: a key tied to one location (a till's) may not send or read them. */
function requireBusinessWide(caller: Caller): void {
  if (caller.locationId) throw new HttpError(403, 'forbidden', 'This API key is tied to one location; broadcasts and campaign reports need a business-wide key');
}

const Id = z.object({ id: z.string().max(100) });
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

export function broadcastRoutes(r: ApiRouter): void {
  route(r, {
    method: 'post', path: '/broadcasts', operationId: 'createBroadcast', tag: 'Broadcasts', summary: 'Send a message to a segment, now or later',
    permission: 'broadcast.send',
    description: 'Goes to members of the segment who consented to marketing (never to blocked ones), outside the business\'s quiet hours, once each. A control group of controlPercent % is held out for the campaign report. Every problem with the segment is listed (invalid_segment).',
    body: B.BroadcastCreate, idempotent: true,
    responses: { 201: { description: 'The broadcast, scheduled', schema: B.Broadcast } },
    errors: ['invalid_segment', 'forbidden'],
  }, async ({ body, c, idempotencyKey }) => {
    const caller = c.var.caller;
    requireBusinessWide(caller);
    const result = await createBroadcast(c.var.deps, { businessId: caller.businessId, ...body, createdBy: createdByOf(caller), idempotencyKey });
    return { status: 201, body: result, replayed: wasReplayed(result) };
  });

  route(r, {
    method: 'post', path: '/broadcasts/preview', operationId: 'previewBroadcast', tag: 'Broadcasts', summary: 'How many members a segment reaches, and the text as one of them reads it',
    permission: 'broadcast.send',
    body: B.BroadcastPreviewInput,
    responses: { 200: { description: 'Counts and a sample', schema: B.BroadcastPreviewSchema } },
    errors: ['invalid_segment', 'forbidden'],
  }, async ({ body, c }) => {
    requireBusinessWide(c.var.caller);
    return { status: 200, body: await previewBroadcast(c.var.deps, { businessId: c.var.caller.businessId, ...body }) };
  });

  route(r, {
    method: 'get', path: '/broadcasts', operationId: 'listBroadcasts', tag: 'Broadcasts', summary: 'Broadcasts, newest first, with progress',
    permission: 'report.today',
    query: B.BroadcastListQuery,
    responses: { 200: { description: 'A page of broadcasts', schema: B.BroadcastList } },
    errors: ['forbidden'],
  }, async ({ query, c }) => {
    requireBusinessWide(c.var.caller);
    return { status: 200, body: await listBroadcasts(c.var.deps, { businessId: c.var.caller.businessId, limit: num(query.limit), cursor: query.cursor }) };
  });

  route(r, {
    method: 'get', path: '/broadcasts/:id', operationId: 'getBroadcast', tag: 'Broadcasts', summary: 'A broadcast with its progress (sent, failed, pending…)',
    permission: 'report.today',
    params: Id,
    responses: { 200: { description: 'The broadcast', schema: B.Broadcast } },
    errors: ['campaign_not_found', 'forbidden'],
  }, async ({ params, c }) => {
    requireBusinessWide(c.var.caller);
    return { status: 200, body: await getBroadcast(c.var.deps, { businessId: c.var.caller.businessId, broadcastId: params.id }) };
  });

  route(r, {
    method: 'post', path: '/broadcasts/:id/cancel', operationId: 'cancelBroadcast', tag: 'Broadcasts', summary: 'Stop a broadcast; messages not yet handed to a channel are skipped',
    permission: 'broadcast.send',
    params: Id, idempotent: true,
    responses: { 200: { description: 'The broadcast, cancelled', schema: B.Broadcast } },
    errors: ['campaign_not_found', 'campaign_finished', 'forbidden'],
  }, async ({ params, c, idempotencyKey }) => {
    requireBusinessWide(c.var.caller);
    const result = await cancelBroadcast(c.var.deps, { businessId: c.var.caller.businessId, broadcastId: params.id, idempotencyKey });
    return { status: 200, body: result, replayed: wasReplayed(result) };
  });

  route(r, {
    method: 'get', path: '/campaigns', operationId: 'listCampaigns', tag: 'Broadcasts', summary: 'Broadcasts and the birthday and win-back campaigns, newest first',
    permission: 'report.today',
    query: B.CampaignListQuery,
    responses: { 200: { description: 'A page of campaigns', schema: B.CampaignList } },
    errors: ['forbidden'],
  }, async ({ query, c }) => {
    requireBusinessWide(c.var.caller);
    return { status: 200, body: await listCampaigns(c.var.deps, { businessId: c.var.caller.businessId, kind: query.kind, limit: num(query.limit), cursor: query.cursor }) };
  });

  route(r, {
    method: 'get', path: '/campaigns/:id/report', operationId: 'campaignReport', tag: 'Broadcasts', summary: 'Treated vs control: returns and revenue per member within N days, and the uplift',
    permission: 'report.today',
    params: Id, query: B.ReportQuery,
    responses: { 200: { description: 'The report', schema: B.CampaignReportSchema } },
    errors: ['campaign_not_found', 'forbidden'],
  }, async ({ params, query, c }) => {
    requireBusinessWide(c.var.caller);
    return { status: 200, body: await campaignReport(c.var.deps, { businessId: c.var.caller.businessId, campaignId: params.id, days: num(query.days) }) };
  });
}
