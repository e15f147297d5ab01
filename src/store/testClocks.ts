// The test clock's per-business offsets, kept in the database so a restarted server keeps each business's time.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export function testClockStore(db: Kysely<Database>) {
  return {
    async load(): Promise<Map<string, number>> {
      const rows = await db.selectFrom('test_clocks').selectAll().execute();
      return new Map(rows.map((r) => [r.business_id, r.offset_ms]));
    },
    async save(businessId: string, offsetMs: number): Promise<void> {
      await db
        .insertInto('test_clocks')
        .values({ business_id: businessId, offset_ms: offsetMs })
        .onConflict((oc) => oc.column('business_id').doUpdateSet({ offset_ms: offsetMs }))
        .execute();
    },
  };
}
