// /program: the business's rules.
import { getProgram, updateProgram } from '../../app/program.js';
import { listTemplates, previewTemplate } from '../../app/messageTemplates.js';
import { route, type ApiRouter } from '../route.js';
import * as S from '../schemas.js';
import { requireBusinessKey } from './common.js';

export function programRoutes(r: ApiRouter): void {
  route(r, {
    method: 'get', path: '/program', operationId: 'getProgram', tag: 'Program', summary: 'The loyalty rules',
    permission: 'member.lookup',
    responses: { 200: { description: 'The program', schema: S.Program } },
  }, async ({ c }) => ({ status: 200, body: await getProgram(c.var.deps, c.var.caller.businessId) }));

  route(r, {
    method: 'patch', path: '/program', operationId: 'updateProgram', tag: 'Program', summary: 'Change the rules',
    permission: 'settings.change',
    description: 'Only the fields given change; the result is checked as a whole and every problem is reported (invalid_program). tiers replaces the whole list.',
    body: S.ProgramUpdate,
    responses: { 200: { description: 'The program after the change', schema: S.Program } },
    errors: ['invalid_program', 'forbidden'],
  }, async ({ body, c }) => {
    requireBusinessKey(c.var.caller);
    return { status: 200, body: await updateProgram(c.var.deps, { businessId: c.var.caller.businessId, change: body }) };
  });

  route(r, {
    method: 'get', path: '/program/templates', operationId: 'listTemplates', tag: 'Program', summary: 'Message texts per kind and language, with their variables',
    permission: 'settings.change',
    responses: { 200: { description: 'Each kind: the text sent now (the business\'s own or the default) and the variables it may use', schema: S.TemplateList } },
  }, async ({ c }) => ({ status: 200, body: await listTemplates(c.var.deps, c.var.caller.businessId) }));

  route(r, {
    method: 'post', path: '/program/templates/preview', operationId: 'previewTemplate', tag: 'Program', summary: 'Check a message text and see it filled in',
    permission: 'settings.change',
    description: 'Nothing is saved. An unknown variable or a stray brace is invalid_template with every problem; save the text with PATCH /program {notifications: {templates: {ru: {accrual: "…"}}}}.',
    body: S.TemplatePreviewRequest,
    responses: { 200: { description: 'The text with sample values', schema: S.TemplatePreview } },
    errors: ['invalid_template'],
  }, async ({ body, c }) => ({
    status: 200,
    body: await previewTemplate(c.var.deps, { businessId: c.var.caller.businessId, kind: body.kind, text: body.text, language: body.language, cardUrl: `${new URL(c.req.url).origin}/card/?b=${c.var.caller.businessId}` }),
  }));
}
