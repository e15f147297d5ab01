// /exports (CSV and XLSX streamed as the database cursor yields rows) and /imports (members with balances).
import type { Context } from 'hono';
import { can, type StaffAction } from '../../core/index.js';
import type { AppDeps } from '../../app/deps.js';
import { checkPeriod, exportMembers, exportTransactions, type ByteSink, type ExportFormat } from '../../app/exports.js';
import { getImport, importMembers, listImports } from '../../app/imports.js';
import { inspectImport } from '../../app/inspectImport.js';
import { getWorkProgress, trackProgress, type OnWorkProgress } from '../../app/workProgress.js';
import { isDomainError, type WorkKind } from '../../core/index.js';
import type { ApiEnv } from '../env.js';
import { HttpError } from '../errors.js';
import { issuesOf, route, type AnyRoute, type ApiRouter } from '../route.js';
import { actorOf } from './common.js';
import { ExportQuery, ImportCreate, ImportInspectionSchema, ImportInspectRequest, ImportSchema, DryRunSchema, ImportResultSchema, TransactionExportQuery, WorkProgressSchema } from './dataSchemas.js';
import { z } from 'zod';

const MEDIA: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const EXPORT_PERMISSION: StaffAction = 'report.export';
/** Who may see the progress of each kind of work: who may start it. */
const PROGRESS_PERMISSION: Record<WorkKind, StaffAction> = { import: 'points.bulk', import_dry_run: 'points.bulk', export_members: EXPORT_PERMISSION, export_transactions: EXPORT_PERMISSION };
/** Bytes queued for a slow client before the cursor waits (the rest stays in the database). */
const QUEUED_BYTES = 256 * 1024;

/**
 * A response body fed by `work` through a sink with backpressure: a write waits while the client is behind. A failure
 * part-way errors the stream, so the client sees a broken download, never a short file that looks whole.
 */
function streamedResponse(headers: Record<string, string>, work: (sink: ByteSink) => Promise<unknown>, onError: (e: unknown) => void): Response {
  let wake: (() => void) | null = null;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const sink: ByteSink = {
          async write(chunk) {
            if (cancelled) throw new Error('the client went away');
            if (chunk.length === 0) return;
            controller.enqueue(chunk);
            while (!cancelled && (controller.desiredSize ?? 0) <= 0) await new Promise<void>((resolve) => (wake = resolve));
            if (cancelled) throw new Error('the client went away');
          },
        };
        // Started on the next turn, so the response (status and headers) goes out before the first row is read.
        setImmediate(() => {
          work(sink).then(
            () => controller.close(),
            (e: unknown) => {
              if (!cancelled) {
                onError(e);
                controller.error(e);
              }
            },
          );
        });
      },
      pull() {
        wake?.();
        wake = null;
      },
      cancel() {
        cancelled = true;
        wake?.();
        wake = null;
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: QUEUED_BYTES }),
  );
  return new Response(body, { status: 200, headers });
}

function requirePermission(c: Context<ApiEnv>, permission: StaffAction): void {
  const caller = c.var.caller;
  if (caller.kind === 'staff' && !can(caller.staff.role, permission)) {
    throw new HttpError(403, 'forbidden', `A ${caller.staff.role} may not do ${permission}`, { action: permission, role: caller.staff.role });
  }
}

function parseQuery<T extends z.ZodType>(schema: T, c: Context<ApiEnv>): z.output<T> {
  const r = schema.safeParse(c.req.query());
  if (!r.success) throw new HttpError(400, 'validation_failed', 'The request query is not valid', { errors: issuesOf(r.error, 'query') });
  return r.data;
}

type Exporter = (deps: AppDeps, query: z.output<typeof TransactionExportQuery>, businessId: string, format: ExportFormat, sink: ByteSink, onProgress: OnWorkProgress) => Promise<unknown>;

/** Why work failed, in one line for its progress record (our own failures are not described to the client). */
const failureOf = (e: unknown): string => (isDomainError(e) ? `${e.code}: ${e.message}` : 'the work failed on the server');

function exportRoute(r: ApiRouter, o: { what: 'members' | 'transactions'; format: ExportFormat; summary: string; description: string; query: z.ZodType; run: Exporter }): void {
  const path = `/exports/${o.what}.${o.format}`;
  r.specs.push({
    method: 'get', path, operationId: `export${o.what === 'members' ? 'Members' : 'Transactions'}${o.format === 'csv' ? 'Csv' : 'Xlsx'}`, tag: 'Data',
    summary: o.summary, description: o.description, query: o.query, permission: EXPORT_PERMISSION,
    responses: { 200: { description: `The file (${MEDIA[o.format].split(';')[0]}), streamed`, mediaType: MEDIA[o.format].split(';')[0] } },
    errors: [],
  } as AnyRoute);
  r.hono.get(path, async (c) => {
    await r.guard(c);
    requirePermission(c, EXPORT_PERMISSION);
    const query = parseQuery(TransactionExportQuery, c) as z.output<typeof TransactionExportQuery>;
    if (o.what === 'transactions') checkPeriod(query);
    const { caller, deps } = c.var;
    const day = new Date().toISOString().slice(0, 10);
    const headers = {
      'Content-Type': MEDIA[o.format],
      'Content-Disposition': `attachment; filename="${o.what}-${day}.${o.format}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    };
    // The progress record exists before the answer starts, so a poller finds it as soon as the download begins.
    const progress = await trackProgress(deps, { businessId: caller.businessId, id: query.progressId, kind: o.what === 'members' ? 'export_members' : 'export_transactions' });
    const work = async (sink: ByteSink) => {
      try {
        await o.run(deps, query, caller.businessId, o.format, sink, progress.report);
      } catch (e) {
        await progress.finish('failed', e instanceof Error && e.message === 'the client went away' ? 'the download was cancelled' : failureOf(e)).catch(() => {});
        throw e;
      }
      await progress.finish('done');
    };
    return streamedResponse(headers, work, (e) => console.error(`export ${path} failed part-way: ${(e as Error).stack ?? String(e)}`));
  });
}

export function dataRoutes(r: ApiRouter): void {
  const membersDescription = 'Every member: card, phone, name, birthday, e-mail, balance, pending points, total spent (money, major units), purchases, tier, created (the business\'s time zone), marketing consent, and the channel messages reach them on. Rows are read from a database cursor and sent as they come, so any number of members fits in bounded memory. CSV is UTF-8 with a BOM; text a spreadsheet would run as a formula (starting with = + - @) gets a leading apostrophe.';
  const transactionsDescription = 'Every points transaction in the period, oldest first: date (the business\'s time zone), card, type, points, balance after, reason, who, purchase id. Streamed from a database cursor.';
  for (const format of ['csv', 'xlsx'] as const) {
    exportRoute(r, {
      what: 'members', format, summary: `Members as ${format.toUpperCase()}`, description: membersDescription, query: ExportQuery,
      run: (deps, q, businessId, f, sink, onProgress) => exportMembers(deps, { businessId, format: f, separator: q.separator, lang: q.lang, onProgress }, sink),
    });
    exportRoute(r, {
      what: 'transactions', format, summary: `Points transactions as ${format.toUpperCase()}`, description: transactionsDescription, query: TransactionExportQuery,
      run: (deps, q, businessId, f, sink, onProgress) => exportTransactions(deps, { businessId, format: f, separator: q.separator, lang: q.lang, from: q.from, to: q.to, onProgress }, sink),
    });
  }

  route(r, {
    method: 'post', path: '/imports/inspect', operationId: 'inspectImport', tag: 'Data', summary: 'A first look at an import file: its columns, first rows and a guessed mapping',
    description: 'The file (CSV or XLSX, base64) read exactly as POST /imports reads it, with the same limits and the same 422 import_unreadable. Answers its columns, its first 5 rows, how many rows it has, and guessedMapping: the column of each field recognised from its header in Russian or English ("Телефон", "ФИО", "Наименование", "Контрагент", "Бонусы", "Сумма бонусов", "Дата рождения", "E-mail", "Номер карты", "Код"…), never one column twice, phone only when a header says so. Send it, or a mapping of your own, as POST /imports\'s mapping. Changes nothing.',
    body: ImportInspectRequest, permission: 'points.bulk',
    responses: { 200: { description: 'The file\'s columns, first rows and the guessed mapping', schema: ImportInspectionSchema } },
    errors: ['import_unreadable'],
  }, async ({ body, c }) => {
    const content = Buffer.from(body.contentBase64, 'base64');
    return { status: 200, body: await inspectImport(c.var.deps, { businessId: c.var.caller.businessId, fileName: body.fileName, content }) };
  });

  route(r, {
    method: 'post', path: '/imports', operationId: 'importMembers', tag: 'Data', summary: 'Import members with their balances (dry run or real)',
    description: 'The file (CSV or XLSX, base64) with a column mapping. dryRun: true answers 200 with every row\'s outcome and changes nothing. dryRun: false imports every row in one transaction (201) — or nothing, when any row is bad (422 import_has_errors) — creating members (no welcome bonus or message) and giving each row\'s balance as one lot expiring at the end of expiresOn; the same file with the same mapping and options again answers with the first result (200, replayed: true) and adds nothing. Progress: send a progressId (a UUID you choose) and poll GET /progress/{progressId} while the request runs (rows checked or imported of the file\'s rows); GET /imports lists a running import too.',
    body: ImportCreate, idempotent: true, permission: 'points.bulk',
    responses: { 200: { description: 'A dry run\'s report, or the earlier result of this same import', schema: z.union([DryRunSchema, ImportResultSchema]) }, 201: { description: 'Imported', schema: ImportResultSchema } },
    errors: ['import_unreadable', 'import_has_errors', 'member_exists'],
  }, async ({ body, c }) => {
    const { caller, deps } = c.var;
    const content = Buffer.from(body.contentBase64, 'base64');
    const progress = await trackProgress(deps, { businessId: caller.businessId, id: body.progressId, kind: body.dryRun ? 'import_dry_run' : 'import' });
    const input = { businessId: caller.businessId, fileName: body.fileName, content, mapping: body.mapping, expiresOn: body.expiresOn, matchExisting: body.matchExisting, actor: actorOf(caller), onProgress: progress.report };
    try {
      if (body.dryRun) {
        const report = await importMembers(deps, { ...input, dryRun: true });
        await progress.finish('done');
        return { status: 200, body: report };
      }
      const result = await importMembers(deps, { ...input, dryRun: false });
      await progress.finish('done');
      return { status: result.replayed ? 200 : 201, body: result };
    } catch (e) {
      await progress.finish('failed', failureOf(e)).catch(() => {});
      throw e;
    }
  });

  route(r, {
    method: 'get', path: '/imports', operationId: 'listImports', tag: 'Data', summary: 'The latest imports, newest first (a running one with its progress)',
    description: 'An import runs while its POST is open; poll this meanwhile: rowsDone of rowsTotal.', permission: 'points.bulk',
    responses: { 200: { description: 'Up to 20 imports', schema: z.object({ items: z.array(ImportSchema) }) } },
  }, async ({ c }) => ({ status: 200, body: { items: await listImports(c.var.deps, c.var.caller.businessId) } }));

  route(r, {
    method: 'get', path: '/imports/:importId', operationId: 'getImport', tag: 'Data', summary: 'An import\'s progress and result',
    params: z.object({ importId: z.string().max(100) }), permission: 'points.bulk',
    responses: { 200: { description: 'The import', schema: ImportSchema } },
    errors: ['import_not_found'],
  }, async ({ params, c }) => ({ status: 200, body: await getImport(c.var.deps, c.var.caller.businessId, params.importId) }));

  route(r, {
    method: 'get', path: '/progress/:progressId', operationId: 'getWorkProgress', tag: 'Data', summary: 'The progress of an import, a dry run or an export',
    description: 'Long work started with a progressId (POST /imports, GET /exports/…?progressId=) writes its progress here at most every half second: rows done of rows in all, bytes written (exports), and running, done or failed. 404 progress_not_found until the work has started, and a day after it last moved. Staff see the progress of work they may start: exports need report.export, imports points.bulk.',
    params: z.object({ progressId: z.string().max(100) }), permission: EXPORT_PERMISSION,
    responses: { 200: { description: 'The progress', schema: WorkProgressSchema } },
    errors: ['progress_not_found'],
  }, async ({ params, c }) => {
    const p = await getWorkProgress(c.var.deps, c.var.caller.businessId, params.progressId);
    requirePermission(c, PROGRESS_PERMISSION[p.kind]);
    return { status: 200, body: p };
  });
}
