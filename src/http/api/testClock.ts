// /test-clock: only on a server started with --test-clock. Moves the caller's business through time.
import { addDuration, parseDuration } from '../../core/index.js';
import type { TestClocks } from '../../app/testClocks.js';
import { route, type ApiRouter } from '../route.js';
import * as S from '../schemas.js';

export function testClockRoutes(r: ApiRouter, clocks: TestClocks): void {
  route(r, {
    method: 'get', path: '/test-clock', operationId: 'getTestClock', tag: 'Test clock', summary: 'The business\'s current time (test servers only)',
    permission: 'settings.change',
    responses: { 200: { description: 'The time', schema: S.TestClock } },
  }, async ({ c }) => ({ status: 200, body: { now: c.var.deps.clock.now().toISOString() } }));

  route(r, {
    method: 'post', path: '/test-clock', operationId: 'moveTestClock', tag: 'Test clock', summary: 'Move the business\'s clock forward, running every job that fell due (test servers only)',
    permission: 'settings.change',
    description: 'Give {advance: ISO 8601 duration} or {to: time}. Jobs run in order at the times they fell due (expiry at each expiry instant); webhooks are delivered once at the end. Answers when all of it is done. Moving to the same time again changes nothing, so no Idempotency-Key is needed.',
    body: S.TestClockMove,
    responses: { 200: { description: 'The new time and the jobs that ran', schema: S.TestClock } },
  }, async ({ body, c }) => {
    const now = c.var.deps.clock.now();
    const to = 'advance' in body ? addDuration(now, parseDuration(body.advance)) : new Date(body.to);
    const moved = await clocks.moveTo(c.var.caller.businessId, to);
    return { status: 200, body: { now: moved.now.toISOString(), ranJobs: moved.ranJobs } };
  });
}
