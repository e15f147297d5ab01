// Progress of long work over HTTP: an import, its dry run and an export started with a progressId write their progress
// at GET /progress/{id} while the request runs (from a connection of their own), end done or failed, stay within their
// business, and are purged a day after they last moved.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { purgeWorkProgress } from '../src/app/workProgress.js';
import type { WorkProgress } from '../src/client/index.js';
import { failure, useApi } from './support/apiServer.js';
import { aStaff, STAFF_PASSWORD } from './support/staff.js';

const h = useApi();
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const mapping = { phone: 'phone', name: 'name', balance: 'balance' };
const csvOf = (n: number, from = 0) => ['phone;name;balance', ...Array.from({ length: n }, (_, i) => `+7916${String(2_000_000 + from + i).padStart(7, '0')};Client ${from + i};${(i % 50) + 1}`)].join('\n');

describe('GET /progress/{id}', () => {
  it('follows an import while its POST runs: running with rows done of the file\'s rows, then done; another business never sees it', async () => {
    const { api } = await h.business();
    const other = await h.business();
    const rows = 1500;
    const progressId = randomUUID();
    const seen: WorkProgress[] = [];
    let finished = false;
    // The set-based import writes 1,500 rows in well under the 500 ms between progress writes: each insert of its
    // members (a chunk of rows) waits a little here, so the import runs long enough to be seen mid-way.
    await sql.raw(`
      create function ${h.t.schema}.slow_members() returns trigger language plpgsql as $$ begin perform pg_sleep(0.2); return null; end $$;
      create trigger slow_members after insert on ${h.t.schema}.members for each statement execute function ${h.t.schema}.slow_members();`).execute(h.t.db);
    const run = api.imports.run({ fileName: 'big.csv', contentBase64: b64(csvOf(rows)), mapping, expiresOn: null, progressId }).finally(() => (finished = true));
    while (!finished) {
      const p = await api.progress.get(progressId).catch(() => null);
      if (p) seen.push(p);
      await new Promise((r) => setTimeout(r, 100));
    }
    await sql.raw(`drop trigger slow_members on ${h.t.schema}.members`).execute(h.t.db);
    const result = await run;
    expect(result.totals).toMatchObject({ rows, ok: rows, newMembers: rows });
    const final = await api.progress.get(progressId);
    expect(final).toMatchObject({ id: progressId, kind: 'import', state: 'done', done: rows, total: rows, error: null });
    // Seen while the import's own transaction was still open: rows counted up, never past the total.
    const running = seen.filter((p) => p.state === 'running');
    expect(running.length).toBeGreaterThan(0);
    expect(running.some((p) => p.total === rows && p.done > 0 && p.done < rows)).toBe(true);
    for (let i = 1; i < running.length; i++) expect(running[i]!.done).toBeGreaterThanOrEqual(running[i - 1]!.done);
    expect(await failure(other.api.progress.get(progressId))).toMatchObject({ status: 404, code: 'progress_not_found' });
  }, 60_000);

  it('a dry run and a refused import end as their kind, done or failed with the reason; a bad id is refused', async () => {
    const { api } = await h.business();
    const bad = `${csvOf(3)}\n12345;Bad phone;7\n+79169990000;Negative;-5`;
    const dry = randomUUID();
    const report = await api.imports.dryRun({ fileName: 'bad.csv', contentBase64: b64(bad), mapping, expiresOn: null, progressId: dry });
    expect(report.totals).toMatchObject({ rows: 5, bad: 2 });
    expect(await api.progress.get(dry)).toMatchObject({ kind: 'import_dry_run', state: 'done', done: 5, total: 5 });

    const refused = randomUUID();
    expect(await failure(api.imports.run({ fileName: 'bad.csv', contentBase64: b64(bad), mapping, expiresOn: null, progressId: refused }))).toMatchObject({ status: 422, code: 'import_has_errors' });
    const p = await api.progress.get(refused);
    expect(p).toMatchObject({ kind: 'import', state: 'failed', done: 0, total: 5 });
    expect(p.error).toMatch(/^import_has_errors: 2 of 5 rows/);

    expect(await failure(api.imports.dryRun({ fileName: 'x.csv', contentBase64: b64(bad), mapping, expiresOn: null, progressId: 'not-a-uuid' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await failure(api.progress.get('not-a-uuid'))).toMatchObject({ status: 404, code: 'progress_not_found' });
    expect(await failure(api.progress.get(randomUUID()))).toMatchObject({ status: 404, code: 'progress_not_found' });
  });

  it('an export counts its rows first, then rows and bytes as they are written; ends done with every row and byte sent', async () => {
    const { api } = await h.business();
    await api.imports.run({ fileName: 'm.csv', contentBase64: b64(csvOf(120, 500)), mapping, expiresOn: null });
    for (const format of ['csv', 'xlsx'] as const) {
      const progressId = randomUUID();
      const res = await api.exports.download('members', format, { progressId });
      const body = new Uint8Array(await res.arrayBuffer());
      // The record is finished just after the last byte is queued: wait for it rather than race it.
      let p = await api.progress.get(progressId);
      for (let i = 0; i < 50 && p.state === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        p = await api.progress.get(progressId);
      }
      expect(p).toMatchObject({ kind: 'export_members', state: 'done', done: 120, total: 120, bytes: body.length, error: null });
    }
    const tx = randomUUID();
    const res = await api.exports.download('transactions', 'csv', { progressId: tx, from: '2000-01-01' });
    const text = await res.text();
    let p = await api.progress.get(tx);
    for (let i = 0; i < 50 && p.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      p = await api.progress.get(tx);
    }
    expect(p).toMatchObject({ kind: 'export_transactions', state: 'done', done: 120, total: 120 });
    expect(text.trim().split('\n')).toHaveLength(121);
    expect(await failure(api.exports.download('members', 'csv', { progressId: 'nope' }))).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('progress is purged a day after it last moved, not before', async () => {
    const { api } = await h.business();
    const progressId = randomUUID();
    await api.imports.dryRun({ fileName: 'a.csv', contentBase64: b64(csvOf(2, 900)), mapping, expiresOn: null, progressId });
    h.t.clock.advance(23 * 3_600_000);
    await purgeWorkProgress(h.t.deps);
    expect(await api.progress.get(progressId)).toMatchObject({ state: 'done' });
    h.t.clock.advance(2 * 3_600_000);
    expect(await purgeWorkProgress(h.t.deps)).toBeGreaterThanOrEqual(1);
    expect(await failure(api.progress.get(progressId))).toMatchObject({ status: 404, code: 'progress_not_found' });
  });

  it('staff see the progress of work they may start: a manager an export\'s, not an import\'s; a cashier neither', async () => {
    const { id, api } = await h.business();
    const cookieOf = async (role: 'manager' | 'cashier') => {
      const st = await aStaff(h, id, role);
      const res = await fetch(`${h.url}/api/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ businessId: id, email: st.email, password: STAFF_PASSWORD }) });
      expect(res.status).toBe(204);
      return res.headers.getSetCookie().map((c) => c.split(';')[0] as string).join('; ');
    };
    const imported = randomUUID();
    await api.imports.dryRun({ fileName: 'a.csv', contentBase64: b64(csvOf(2, 950)), mapping, expiresOn: null, progressId: imported });
    const exported = randomUUID();
    await (await api.exports.download('members', 'csv', { progressId: exported })).arrayBuffer();
    const manager = await cookieOf('manager');
    const read = (progressId: string, cookie: string) => h.fetch(`${h.url}/api/v1/progress/${progressId}`, { headers: { cookie } });
    const seen = await read(exported, manager);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ kind: 'export_members' });
    const refused = await read(imported, manager);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'forbidden' });
    const cashier = await cookieOf('cashier');
    expect((await read(exported, cashier)).status).toBe(403);
  });
});
