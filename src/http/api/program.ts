// /program: the business's rules.
import { getProgram, updateProgram } from '../../app/program.js';
import { route, type ApiRouter } from '../route.js';
import * as S from '../schemas.js';
import { requireBusinessKey } from './common.js';

export function programRoutes(r: ApiRouter): void {
  route(r, {
    method: 'get', path: '/program', operationId: 'getProgram', tag: 'Program', summary: 'The loyalty rules',
    responses: { 200: { description: 'The program', schema: S.Program } },
  }, async ({ c }) => ({ status: 200, body: await getProgram(c.var.deps, c.var.caller.businessId) }));

  route(r, {
    method: 'patch', path: '/program', operationId: 'updateProgram', tag: 'Program', summary: 'Change the rules',
    description: 'Only the fields given change; the result is checked as a whole and every problem is reported (invalid_program). tiers replaces the whole list.',
    body: S.ProgramUpdate,
    responses: { 200: { description: 'The program after the change', schema: S.Program } },
    errors: ['invalid_program', 'forbidden'],
  }, async ({ body, c }) => {
    requireBusinessKey(c.var.caller);
    return { status: 200, body: await updateProgram(c.var.deps, { businessId: c.var.caller.businessId, change: body }) };
  });
}
