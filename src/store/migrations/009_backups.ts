// Backups (issue 7): the instance's own id (kept in every backup and restored with the data, so a backup can be told
// from another installation's), and the record of each backup file made by the server (list, progress, download).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table if not exists instance (
      id uuid primary key,
      created_at timestamptz not null default now(),
      -- At most one row.
      one boolean not null default true unique check (one)
    );
    insert into instance (id) select gen_random_uuid() where not exists (select 1 from instance);

    create table backups (
      id uuid primary key,
      kind text not null check (kind in ('manual', 'daily')),
      status text not null check (status in ('running', 'done', 'failed')),
      file text not null,
      size bigint,
      tables_done int not null default 0,
      tables_total int not null default 0,
      rows_done bigint not null default 0,
      error text,
      created_at timestamptz not null,
      finished_at timestamptz
    );
    create index backups_created on backups (created_at desc);
  `.execute(db);
}
