// A broadcast asked for in the staff bot (/broadcast, admins and owners): the staff side queued the request as an
// outbox event; the notifications relay turns it into a broadcast to every member who agreed to marketing, now.
import { templateProblems, type Business, type Repositories } from '../core/index.js';

export async function broadcastFromStaffRequest(repos: Repositories, business: Business, request: { id: string; text: string; by: string | null }, now: Date): Promise<void> {
  if (await repos.campaigns.get(business.id, request.id)) return; // the relay saw this request before
  // Staff write plain text: braces that are not our variables are dropped rather than failing the broadcast.
  const text = templateProblems('broadcast', request.text).length > 0 ? request.text.replace(/[{}]/g, '') : request.text;
  const firstLine = text.trim().split('\n')[0] ?? '';
  await repos.campaigns.insert({
    businessId: business.id,
    id: request.id,
    kind: 'broadcast',
    name: firstLine.length > 60 ? `${firstLine.slice(0, 59)}…` : firstLine,
    text,
    segment: {},
    purpose: 'marketing',
    controlPercent: 0,
    status: 'scheduled',
    scheduledAt: now,
    startedAt: null,
    finishedAt: null,
    createdBy: request.by ? `staff:${request.by}` : null,
    createdAt: now,
  });
}
