// Imports of members with balances (one row per import: its progress and, once done, its result; a file imported
// the same way twice finds the done row by its content hash), and an index that exports and period reports read
// the ledger by (business, time) through.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table imports (
      business_id uuid not null references businesses (id),
      id uuid not null,
      content_hash text not null,
      file_name text not null,
      status text not null check (status in ('running', 'done', 'failed')),
      rows_total integer not null,
      rows_done integer not null default 0,
      result jsonb,
      error text,
      created_by text,
      created_at timestamptz not null,
      finished_at timestamptz,
      primary key (business_id, id)
    );
    create unique index imports_done_content on imports (business_id, content_hash) where status = 'done';

    create index ledger_transactions_time on ledger_transactions (business_id, created_at, id);
  `.execute(db);
}
