// Progress of long work a person waits for (an import, its dry run, an export): one row per piece of work, keyed by
// an id the client chose before it started (so the page can poll it while its own request is still open), written
// from a connection of its own (the import's transaction commits only at the end). Rows older than a day are purged.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table work_progress (
      business_id uuid not null references businesses (id),
      id uuid not null,
      kind text not null check (kind in ('import', 'import_dry_run', 'export_members', 'export_transactions')),
      state text not null check (state in ('running', 'done', 'failed')),
      done integer not null default 0 check (done >= 0),
      total integer check (total >= 0),
      bytes bigint not null default 0 check (bytes >= 0),
      error text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (business_id, id)
    );
    create index work_progress_updated on work_progress (updated_at);
  `.execute(db);
}
