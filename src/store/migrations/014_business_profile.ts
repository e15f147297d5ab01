// The business profile (issue 7, R32): address, map link, phone, social links, opening hours and the Info page's
// sanitised HTML, as one jsonb document on the business (null until the owner fills it in).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table businesses add column profile jsonb`.execute(db);
}
