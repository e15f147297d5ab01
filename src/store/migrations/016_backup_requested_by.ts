// Backups (issue 7): who asked for an on-demand backup (the staff member's name, as the panel shows it in the list).
// Null for the daily ones and for those made from the CLI or with an API key. Kept as text: the backups' records are
// not part of a backup, so they outlive a restore that replaces the staff table.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table backups add column if not exists requested_by text`.execute(db);
}
