// Backups without pg_dump: every table of our schema read with COPY … TO STDOUT (text format) into one gzip'ed file,
// and loaded back with COPY … FROM STDIN in one transaction. Memory stays bounded: data flows chunk by chunk.
//
// The file: gzip of `KOPILKA-BACKUP <format>\n`, the manifest as one JSON line, then per table `@table <name>\n` and
// exactly `rows` lines of COPY text (a row is one line: COPY escapes newlines in values), then `@end\n`. The manifest
// comes first but is known only after the data, so the data goes to a side file first and is appended after it
// (two gzip members in a row are one valid gzip stream).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { createGunzip, createGzip, gzipSync } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import {
  BACKUP_FORMAT,
  DomainError,
  type BackupManifest,
  type BackupRecord,
  type BackupStore,
  type BackupTableEntry,
  type OnBackupProgress,
  type RestoreResult,
} from '../core/index.js';

const MAGIC = 'KOPILKA-BACKUP';
/** Our tables a backup leaves out: the migrator's own (the manifest lists migrations) and the backups' records. */
const NOT_DUMPED = new Set(['kopilka_migrations', 'kopilka_migrations_lock', 'backups']);
const PROGRESS_EVERY_ROWS = 5000;

interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Fixed output formats, so a dump reads the same whatever the server's or the session's settings. */
async function pinSession(client: pg.ClientBase): Promise<void> {
  await client.query("set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'; set local intervalstyle = 'postgres'; set local extra_float_digits = 3");
}

/** Every table of our schema (the current one) with its columns, parents before children (by foreign keys). */
async function listTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const { rows } = await client.query<{ name: string; columns: string[]; pk: string[] | null }>(`
    select c.relname as name,
           array(select a.attname::text from pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                  order by a.attnum) as columns,
           (select array_agg(a.attname::text order by array_position(i.indkey::int2[], a.attnum))
              from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
             where i.indrelid = c.oid and i.indisprimary) as pk
      from pg_class c
     where c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
       and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname`);
  const { rows: fks } = await client.query<{ child: string; parent: string }>(`
    select ch.relname as child, pa.relname as parent
      from pg_constraint k join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
     where k.contype = 'f' and k.connamespace = (select oid from pg_namespace where nspname = current_schema())`);
  const tables = rows.filter((r) => !NOT_DUMPED.has(r.name)).map((r) => ({ name: r.name, columns: r.columns, primaryKey: r.pk ?? [] }));
  const parents = new Map(tables.map((t) => [t.name, new Set<string>()]));
  for (const fk of fks) if (fk.child !== fk.parent && parents.has(fk.parent)) parents.get(fk.child)?.add(fk.parent);
  // Kahn's order, alphabetical among equals so the order is the same on every database with this schema.
  const ordered: TableInfo[] = [];
  const done = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find((t) => !done.has(t.name) && [...parents.get(t.name)!].every((p) => done.has(p)));
    if (!next) throw new Error(`backup: foreign keys form a cycle among ${tables.filter((t) => !done.has(t.name)).map((t) => t.name).join(', ')}`);
    ordered.push(next);
    done.add(next.name);
  }
  return ordered;
}

async function appliedMigrations(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>('select name from kopilka_migrations order by name');
  return rows.map((r) => r.name);
}

async function instanceId(client: pg.ClientBase): Promise<string | null> {
  const { rows } = await client.query<{ id: string }>('select id from instance limit 1');
  return rows[0]?.id ?? null;
}

/**
 * SHA-256 over every member, in (business, member) order: the points they hold by the postings (credits to the
 * member minus debits), and each open lot's id, remaining points, activation and expiry (µs since 1970, UTC).
 */
const LEDGER_QUERY = `
  with held as (
    select business_id, member_id,
           sum(case when destination = 'member' then amount else 0 end) - sum(case when source = 'member' then amount else 0 end) as points
      from postings group by business_id, member_id
  ), open_lots as (
    select business_id, member_id,
           string_agg(id::text || ':' || remaining || ':' || round(extract(epoch from activates_at) * 1000000)::bigint
                      || ':' || coalesce(round(extract(epoch from expires_at) * 1000000)::bigint::text, '-'), ',' order by id) as lots
      from lots where remaining > 0 group by business_id, member_id
  )
  select m.business_id, m.id, coalesce(h.points, 0), coalesce(o.lots, '')
    from members m
    left join held h on h.business_id = m.business_id and h.member_id = m.id
    left join open_lots o on o.business_id = m.business_id and o.member_id = m.id
   order by m.business_id, m.id`;

async function ledgerChecksumOn(client: pg.ClientBase): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of client.query(copyTo(`copy (${LEDGER_QUERY}) to stdout`))) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const countLines = (b: Buffer): number => {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
};

async function write(out: Writable, data: Buffer | string): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

async function dump(pool: pg.Pool, file: string, o: { kopilkaVersion: string; createdAt: Date; onProgress?: OnBackupProgress }): Promise<BackupManifest & { size: number }> {
  const dataFile = `${file}.data.tmp`;
  const wholeFile = `${file}.tmp`;
  await mkdir(path.dirname(file), { recursive: true });
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    // One snapshot for every table and the ledger checksum: the backup is consistent even while the server works.
    await client.query('begin isolation level repeatable read read only');
    await pinSession(client);
    const tables = await listTables(client);
    const migrations = await appliedMigrations(client);
    const instance = await instanceId(client);
    const ledgerChecksum = await ledgerChecksumOn(client);
    const counts = await client.query<{ members: number; businesses: number }>(
      'select (select count(*) from members)::int as members, (select count(*) from businesses)::int as businesses',
    );
    const gz = createGzip();
    const sink = createWriteStream(dataFile);
    const written = pipeline(gz, sink);
    const entries: BackupTableEntry[] = [];
    let totalRows = 0;
    try {
      for (const t of tables) {
        o.onProgress?.({ table: t.name, tablesDone: entries.length, tablesTotal: tables.length, rows: totalRows });
        await write(gz, `@table ${t.name}\n`);
        const hash = createHash('sha256');
        let rows = 0;
        let reported = 0;
        const order = t.primaryKey.length ? ` order by ${t.primaryKey.map(ident).join(', ')}` : '';
        const sql = `copy (select ${t.columns.map(ident).join(', ')} from ${ident(t.name)}${order}) to stdout`;
        for await (const chunk of client.query(copyTo(sql))) {
          const b = chunk as Buffer;
          hash.update(b);
          rows += countLines(b);
          await write(gz, b);
          if (rows - reported >= PROGRESS_EVERY_ROWS) {
            reported = rows;
            o.onProgress?.({ table: t.name, tablesDone: entries.length, tablesTotal: tables.length, rows: totalRows + rows });
          }
        }
        totalRows += rows;
        entries.push({ name: t.name, columns: t.columns, rows, sha256: hash.digest('hex') });
      }
      gz.end('@end\n');
      await written;
    } catch (e) {
      gz.destroy();
      await written.catch(() => undefined);
      throw e;
    }
    await client.query('commit');
    o.onProgress?.({ table: null, tablesDone: tables.length, tablesTotal: tables.length, rows: totalRows });
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      kopilkaVersion: o.kopilkaVersion,
      migrations,
      instanceId: instance ?? '',
      createdAt: o.createdAt.toISOString(),
      tables: entries,
      ledgerChecksum,
      members: counts.rows[0]!.members,
      businesses: counts.rows[0]!.businesses,
    };
    const head = gzipSync(`${MAGIC} ${BACKUP_FORMAT}\n${JSON.stringify(manifest)}\n`);
    const whole = createWriteStream(wholeFile);
    await write(whole, head);
    await pipeline(createReadStream(dataFile), whole);
    const fh = await open(wholeFile, 'r+');
    try {
      await fh.sync(); // on disk before it takes the final name
    } finally {
      await fh.close();
    }
    await rename(wholeFile, file);
    return { ...manifest, size: (await stat(file)).size };
  } catch (e) {
    // The connection may be mid-COPY: dropping it ends the read-only transaction with it.
    failure = e instanceof Error ? e : new Error(String(e));
    await rm(wholeFile, { force: true });
    throw e;
  } finally {
    client.release(failure);
    await rm(dataFile, { force: true });
  }
}

/** Reads a byte stream line by line, or a given number of lines at a time as raw chunks (no copying per line). */
class LineReader {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buf = this.buf.length ? Buffer.concat([this.buf, next.value]) : next.value;
    return true;
  }

  /** The next line without its newline; null at the end or when it is longer than `max` bytes. */
  async line(max: number): Promise<string | null> {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl !== -1 && nl <= max) {
        const s = this.buf.subarray(0, nl).toString('utf8');
        this.buf = this.buf.subarray(nl + 1);
        return s;
      }
      if (nl !== -1 || this.buf.length > max) return null;
      if (!(await this.more())) return null;
    }
  }

  /** Hands the next `count` lines (newlines included) to `sink`, chunk by chunk; false if the data ends first. */
  async lines(count: number, sink: (b: Buffer) => Promise<void>): Promise<boolean> {
    let left = count;
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.more())) return false;
      let cut = -1;
      for (let i = this.buf.indexOf(10); i !== -1; i = this.buf.indexOf(10, i + 1)) {
        if (--left === 0) {
          cut = i + 1;
          break;
        }
      }
      if (cut === -1) {
        // Every line that started in this chunk either ended in it (counted) or goes on in the next one.
        const lastNl = this.buf.lastIndexOf(10);
        if (lastNl === -1) {
          if (!(await this.more())) return false; // a partial line waits for its end
          continue;
        }
        await sink(this.buf.subarray(0, lastNl + 1));
        this.buf = this.buf.subarray(lastNl + 1);
      } else {
        await sink(this.buf.subarray(0, cut));
        this.buf = this.buf.subarray(cut);
      }
    }
    return true;
  }

  /** Reads on for up to `limit` bytes: true if the data turns out damaged (a gzip error) meanwhile. */
  async failsWithin(limit: number): Promise<boolean> {
    try {
      let read = this.buf.length;
      while (read < limit) {
        const next = await this.source.next();
        if (next.done) return false;
        read += next.value.length;
      }
      return false;
    } catch {
      return true;
    }
  }

  /** True when nothing follows (this also makes gunzip check the file's CRC to the end). */
  async atEnd(): Promise<boolean> {
    if (this.buf.length) return false;
    return !(await this.more()) && this.buf.length === 0;
  }
}

const corrupt = (why: string) => new DomainError('backup_corrupt', undefined, { reason: why });
const notKopilka = () => new DomainError('backup_not_kopilka');

/** Opens the file, checks it is a gzip'ed Kopilka backup, and reads its manifest. */
async function openBackup(file: string): Promise<{ manifest: BackupManifest; reader: LineReader; close: () => void }> {
  const fh = await open(file, 'r');
  const head = Buffer.alloc(2);
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) throw notKopilka();
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.pipe(gunzip);
  input.on('error', (e) => gunzip.destroy(e));
  const reader = new LineReader(gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  const close = () => {
    input.destroy();
    gunzip.destroy();
  };
  try {
    // A gzip file that does not start with our magic line is another program's, unless it is damaged: reading on
    // through the first part (magic and manifest, small) makes gzip check its CRC.
    let first: string | null = null;
    let damaged = false;
    try {
      first = await reader.line(64);
    } catch {
      damaged = true;
    }
    const m = first === null ? null : /^KOPILKA-BACKUP (\d+)$/.exec(first);
    if (!m) throw damaged || (await reader.failsWithin(1 << 20)) ? corrupt('the start of the file does not read') : notKopilka();
    if (Number(m[1]) !== BACKUP_FORMAT) {
      throw new DomainError('backup_incompatible', `The backup file has format ${m[1]}; this Kopilka reads format ${BACKUP_FORMAT}`);
    }
    const line = await reader.line(64 * 1024 * 1024);
    let manifest: BackupManifest;
    try {
      manifest = JSON.parse(line ?? '') as BackupManifest;
    } catch {
      throw corrupt('the manifest does not read');
    }
    if (!Array.isArray(manifest.tables) || !Array.isArray(manifest.migrations) || typeof manifest.ledgerChecksum !== 'string') throw corrupt('the manifest is incomplete');
    return { manifest, reader, close };
  } catch (e) {
    close();
    throw isDataError(e) ? corrupt((e as Error).message) : e;
  }
}

/** zlib's errors (a damaged file) and PostgreSQL's data errors while loading it: the file is corrupt. */
function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return code.startsWith('Z_') || code === 'ERR_STREAM_PREMATURE_CLOSE' || /^(22|23)/.test(code);
}

async function restore(pool: pg.Pool, file: string, o: { force?: boolean; onProgress?: OnBackupProgress }): Promise<RestoreResult> {
  const { manifest, reader, close } = await openBackup(file);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await pinSession(client);
    const migrations = await appliedMigrations(client);
    if (JSON.stringify(migrations) !== JSON.stringify(manifest.migrations)) {
      const missing = manifest.migrations.filter((m) => !migrations.includes(m));
      const extra = migrations.filter((m) => !manifest.migrations.includes(m));
      throw new DomainError(
        'backup_incompatible',
        `The backup was made with migrations ${manifest.migrations.join(', ')}; this database has ${migrations.join(', ')}` +
          (missing.length ? ` (missing here: ${missing.join(', ')})` : '') +
          (extra.length ? ` (not in the backup: ${extra.join(', ')})` : ''),
        { missing, extra },
      );
    }
    const tables = await listTables(client);
    const shape = (ts: { name: string; columns: string[] }[]) => JSON.stringify(ts.map((t) => [t.name, t.columns]).sort());
    if (shape(tables) !== shape(manifest.tables)) throw new DomainError('backup_incompatible', 'The backup\'s tables or columns differ from this database\'s');
    const { rows: biz } = await client.query<{ n: number }>('select count(*)::int as n from businesses');
    const wiped = biz[0]!.n;
    if (wiped > 0 && !o.force) {
      throw new DomainError('backup_target_not_empty', `The database already holds ${wiped} business(es); restore with --force to wipe them first`, { businesses: wiped });
    }
    const previousInstanceId = await instanceId(client);
    await client.query(`truncate table ${tables.map((t) => ident(t.name)).join(', ')}`);

    let total = 0;
    try {
      for (const [i, t] of manifest.tables.entries()) {
        o.onProgress?.({ table: t.name, tablesDone: i, tablesTotal: manifest.tables.length, rows: total });
        if ((await reader.line(1024)) !== `@table ${t.name}`) throw corrupt(`the data of table ${t.name} is not where the manifest says`);
        const hash = createHash('sha256');
        const copy = client.query(copyFrom(`copy ${ident(t.name)} (${t.columns.map(ident).join(', ')}) from stdin`));
        // The server refusing a row (damaged data) ends the COPY with an error at any moment: every wait races it.
        let failed: unknown = null;
        let fail: (e: unknown) => void = () => undefined;
        const failure = new Promise<never>((_, reject) => (fail = reject));
        failure.catch(() => undefined);
        copy.on('error', (e) => {
          failed ??= e;
          fail(e);
        });
        try {
          const complete = await reader.lines(t.rows, async (b) => {
            if (failed) throw failed;
            hash.update(b);
            if (!copy.write(b)) await Promise.race([once(copy, 'drain'), failure]);
          });
          if (!complete) throw corrupt(`the file ends inside table ${t.name}`);
          if (hash.digest('hex') !== t.sha256) throw corrupt(`table ${t.name} does not match its checksum`);
          copy.end();
          await Promise.race([finished(copy), failure]);
        } catch (e) {
          // CopyFail ends the COPY, so the connection can roll back (a COPY left open would block it forever).
          if (!failed) {
            copy.destroy();
            await finished(copy).catch(() => undefined);
          }
          throw e;
        }
        total += t.rows;
      }
      if ((await reader.line(16)) !== '@end' || !(await reader.atEnd())) throw corrupt('the file does not end where the manifest says');
    } catch (e) {
      throw isDataError(e) ? corrupt((e as Error).message) : e;
    }

    // Queued messages were in pg-boss's schema, which a backup leaves out: the relay queues them again.
    const requeued = await client.query("update messages set status = 'scheduled', queued_at = null where status = 'queued'");
    await resetSequences(client, tables);
    const ledger = await ledgerChecksumOn(client);
    if (ledger !== manifest.ledgerChecksum) throw new DomainError('backup_ledger_mismatch');
    await client.query('commit');
    o.onProgress?.({ table: null, tablesDone: manifest.tables.length, tablesTotal: manifest.tables.length, rows: total });
    return { manifest, previousInstanceId, wipedBusinesses: wiped, requeuedMessages: requeued.rowCount ?? 0, rows: total };
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
    close();
  }
}

/** Identity and serial columns continue after the largest restored value. */
async function resetSequences(client: pg.ClientBase, tables: TableInfo[]): Promise<void> {
  const { rows } = await client.query<{ table: string; column: string }>(`
    select table_name as table, column_name as column from information_schema.columns
     where table_schema = current_schema() and (is_identity = 'YES' or column_default like 'nextval(%')`);
  const ours = new Set(tables.map((t) => t.name));
  for (const r of rows) {
    if (!ours.has(r.table)) continue;
    await client.query(
      `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${ident(r.column)}) from ${ident(r.table)}), 0) + 1, false)`,
      [ident(r.table), r.column],
    );
  }
}

interface RecordRow {
  id: string;
  kind: BackupRecord['kind'];
  status: BackupRecord['status'];
  file: string;
  size: number | null;
  tables_done: number;
  tables_total: number;
  rows_done: number;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
  requested_by: string | null;
}

const toRecord = (r: RecordRow): BackupRecord => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  file: r.file,
  size: r.size === null ? null : Number(r.size),
  tablesDone: r.tables_done,
  tablesTotal: r.tables_total,
  rowsDone: Number(r.rows_done),
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  requestedBy: r.requested_by,
});

const COLUMN_OF: Record<string, string> = {
  status: 'status',
  size: 'size',
  tablesDone: 'tables_done',
  tablesTotal: 'tables_total',
  rowsDone: 'rows_done',
  error: 'error',
  finishedAt: 'finished_at',
};

/** The backup store over a pg pool whose connections use our schema (search_path). */
export function backupStore(pool: pg.Pool): BackupStore {
  // Not pool.query: it passes a callback, which our PreparingClient's query does not take.
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> => {
    const client = await pool.connect();
    try {
      return await client.query<R>(text, values);
    } finally {
      client.release();
    }
  };
  return {
    dump: (file, o) => dump(pool, file, o),
    restore: (file, o) => restore(pool, file, o),
    async ledgerChecksum() {
      const client = await pool.connect();
      try {
        await client.query('begin isolation level repeatable read read only');
        const sum = await ledgerChecksumOn(client);
        await client.query('commit');
        return sum;
      } finally {
        client.release();
      }
    },
    async insertRecord(r) {
      await query(
        `insert into backups (id, kind, status, file, size, tables_done, tables_total, rows_done, error, created_at, finished_at, requested_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [r.id, r.kind, r.status, r.file, r.size, r.tablesDone, r.tablesTotal, r.rowsDone, r.error, r.createdAt, r.finishedAt, r.requestedBy],
      );
    },
    async updateRecord(id, patch) {
      const sets: string[] = [];
      const values: unknown[] = [id];
      for (const [key, value] of Object.entries(patch)) {
        const column = COLUMN_OF[key];
        if (!column || value === undefined) continue;
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      }
      if (sets.length) await query(`update backups set ${sets.join(', ')} where id = $1`, values);
    },
    async getRecord(id) {
      const { rows } = await query<RecordRow>('select * from backups where id = $1', [id]);
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async listRecords(limit) {
      const { rows } = await query<RecordRow>('select * from backups order by created_at desc, id desc limit $1', [limit]);
      return rows.map(toRecord);
    },
    async deleteRecord(id) {
      await query('delete from backups where id = $1', [id]);
    },
    removeFile: (file) => rm(file, { force: true }),
    async businessCount() {
      const { rows } = await query<{ n: number }>('select count(*)::int as n from businesses');
      return rows[0]!.n;
    },
  };
}
