// /backups: on-demand backups of the whole database (our own dump: no pg_dump), their progress, and the file.
// A backup holds every business of the server, so only its owner may make or fetch one, and only on a server that
// holds one business (on a shared server the operator backs up from the CLI: `kopilka backup`).
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { z } from 'zod';
import { backupFile, getBackup, listBackups, startBackup, type BackupDeps } from '../../app/backups.js';
import { DomainError, type BackupRecord } from '../../core/index.js';
import type { ApiEnv } from '../env.js';
import { HttpError } from '../errors.js';
import { route, type AnyRoute, type ApiRouter } from '../route.js';

export const BackupView = z
  .object({
    id: z.string(),
    kind: z.enum(['manual', 'daily']).describe('manual: asked for (API, CLI); daily: the server\'s own, the last 7 kept'),
    status: z.enum(['running', 'done', 'failed']),
    fileName: z.string(),
    size: z.number().int().nullable().describe('Bytes, once done'),
    progress: z.object({ tablesDone: z.number().int(), tablesTotal: z.number().int(), rows: z.number().int() }),
    error: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }).nullable(),
    requestedBy: z.string().nullable().describe('The staff member who asked for it in the panel; null for daily backups and those made from the CLI or with an API key'),
  })
  .meta({ id: 'Backup' });
export const BackupList = z.object({ items: z.array(BackupView) }).meta({ id: 'BackupList' });
const BackupParams = z.object({ backupId: z.string().max(100) });

const view = (r: BackupRecord): z.infer<typeof BackupView> => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  fileName: path.basename(r.file),
  size: r.size,
  progress: { tablesDone: r.tablesDone, tablesTotal: r.tablesTotal, rows: r.rowsDone },
  error: r.error,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
  requestedBy: r.requestedBy,
});

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The backup deps, or 503 when this server was started without them; then who may: an owner, one business. */
async function allowed(c: Context<ApiEnv>, backups: BackupDeps | null): Promise<BackupDeps> {
  if (!backups) throw new DomainError('backups_unavailable');
  const caller = c.var.caller;
  if (caller.kind === 'staff' && caller.staff.role !== 'owner') {
    throw new HttpError(403, 'forbidden', 'Only the owner may make or download backups: a backup holds all of the business\'s data', { role: caller.staff.role });
  }
  if ((await backups.backups.businessCount()) > 1) {
    throw new HttpError(403, 'forbidden', 'This server holds several businesses and a backup holds them all: its operator makes backups with `kopilka backup`');
  }
  return backups;
}

export function backupRoutes(r: ApiRouter, backups: BackupDeps | null): void {
  const errors = ['forbidden', 'backups_unavailable'];
  route(r, {
    method: 'post', path: '/backups', operationId: 'startBackup', tag: 'Data', summary: 'Start a backup of the database',
    description: 'Answers at once with the backup\'s id; GET /backups/{backupId} shows its progress, and /download gives the file once done. The owner only, on a server with one business. The file restores with `kopilka restore FILE`.',
    permission: 'settings.change',
    responses: { 202: { description: 'The backup, being made', schema: BackupView } },
    errors,
  }, async ({ c }) => {
    const deps = await allowed(c, backups);
    const caller = c.var.caller;
    const run = await startBackup(deps, { kind: 'manual', requestedBy: caller.kind === 'staff' ? caller.staff.name : null });
    return { status: 202, body: view(run.record) };
  });

  route(r, {
    method: 'get', path: '/backups', operationId: 'listBackups', tag: 'Data', summary: 'Backups, newest first, with size, status and progress',
    permission: 'settings.change',
    responses: { 200: { description: 'The backups', schema: BackupList } },
    errors,
  }, async ({ c }) => {
    const deps = await allowed(c, backups);
    return { status: 200, body: { items: (await listBackups(deps)).map(view) } };
  });

  route(r, {
    method: 'get', path: '/backups/:backupId', operationId: 'getBackup', tag: 'Data', summary: 'One backup: its status and progress',
    permission: 'settings.change',
    params: BackupParams,
    responses: { 200: { description: 'The backup', schema: BackupView } },
    errors: [...errors, 'backup_not_found'],
  }, async ({ c, params }) => {
    const deps = await allowed(c, backups);
    if (!UUID_RE.test(params.backupId)) throw new DomainError('backup_not_found');
    return { status: 200, body: view(await getBackup(deps, params.backupId)) };
  });

  // The file: not JSON, so declared by hand like the exports.
  const download = '/backups/:backupId/download';
  r.specs.push({
    method: 'get', path: download, operationId: 'downloadBackup', tag: 'Data', summary: 'The backup file (gzip), once done',
    params: BackupParams, permission: 'settings.change',
    responses: { 200: { description: 'The backup file', mediaType: 'application/gzip' } },
    errors: [...errors, 'backup_not_found'],
  } as AnyRoute);
  r.hono.get(download, async (c) => {
    await r.guard(c);
    const deps = await allowed(c, backups);
    const id = c.req.param('backupId') ?? '';
    if (!UUID_RE.test(id)) throw new DomainError('backup_not_found');
    const rec = await backupFile(deps, id);
    const stream = createReadStream(rec.file);
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject)).catch(() => {
      throw new DomainError('backup_not_found', 'The backup\'s file is gone from the server');
    });
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      status: 200,
      headers: {
        'Content-Type': 'application/gzip',
        'Content-Disposition': `attachment; filename="${path.basename(rec.file)}"`,
        ...(rec.size !== null ? { 'Content-Length': String(rec.size) } : {}),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
