// Ledger invariants checked straight in SQL: lots agree with postings, nothing negative, expiry consistent.
import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../src/store/schema.js';

export async function checkLedgerInvariants(db: Kysely<Database>): Promise<void> {
  // Per lot: amount = credits to the member, remaining = credits − debits, expired = expiry debits.
  const badLots = await sql<{ id: string }>`
    select l.id from lots l
    left join (
      select lot_id,
             sum(amount) filter (where destination = 'member') as credited,
             sum(amount) filter (where source = 'member') as debited,
             sum(amount) filter (where source = 'member' and destination = 'expired') as expired
        from postings group by lot_id
    ) p on p.lot_id = l.id
    where l.amount <> coalesce(p.credited, 0)
       or l.remaining <> coalesce(p.credited, 0) - coalesce(p.debited, 0)
       or l.expired_points <> coalesce(p.expired, 0)
  `.execute(db);
  expect(badLots.rows, 'lots disagree with postings').toEqual([]);
  // Per transaction: the net of its postings is its points.
  const badTx = await sql<{ id: string }>`
    select t.id from ledger_transactions t
    left join (
      select transaction_id,
             sum(case when destination = 'member' then amount else -amount end) as net
        from postings group by transaction_id
    ) p on p.transaction_id = t.id
    where t.points <> coalesce(p.net, 0)
  `.execute(db);
  expect(badTx.rows, 'transactions disagree with postings').toEqual([]);
  const negative = await sql<{ id: string }>`select id from lots where remaining < 0 or remaining > amount`.execute(db);
  expect(negative.rows).toEqual([]);
}
