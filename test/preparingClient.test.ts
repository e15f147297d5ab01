// The pool's client defers BEGIN into the first statement's batch and can send COMMIT with a final statement;
// transactions must behave exactly as before.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMIT_AFTER } from '../src/store/preparingClient.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase({ max: 1 }); // one connection, so every case reuses it after the one before
  await sql`create table probe (id int primary key, note text)`.execute(t.db);
});
afterAll(async () => {
  await t?.close();
});

it('a rollback undoes the first statement, which carried the BEGIN', async () => {
  await expect(
    t.db.transaction().execute(async (trx) => {
      await sql`insert into probe (id, note) values (${1}, ${'first'})`.execute(trx);
      throw new Error('stop');
    }),
  ).rejects.toThrow('stop');
  const rows = await sql<{ id: number }>`select id from probe where id = ${1}`.execute(t.db);
  expect(rows.rows).toEqual([]);
});

it('statements after the first run in the same transaction', async () => {
  const times = await t.db.transaction().execute(async (trx) => {
    const a = await sql<{ t: Date; x: string }>`select now() as t, txid_current()::text as x where ${1} = 1`.execute(trx);
    await sql`select pg_sleep(0.02)`.execute(trx);
    const b = await sql<{ t: Date; x: string }>`select now() as t, txid_current()::text as x where ${2} = 2`.execute(trx);
    return [a.rows[0]!, b.rows[0]!];
  });
  expect(times[0]!.t.getTime()).toBe(times[1]!.t.getTime());
  expect(times[0]!.x).toBe(times[1]!.x);
});

it('a failing first statement rolls back cleanly and the connection stays usable', async () => {
  await sql`insert into probe (id, note) values (${2}, ${'kept'})`.execute(t.db);
  await expect(
    t.db.transaction().execute(async (trx) => {
      await sql`insert into probe (id, note) values (${2}, ${'duplicate'})`.execute(trx);
    }),
  ).rejects.toThrow(/duplicate key/);
  const ok = await t.db.transaction().execute(async (trx) => {
    await sql`insert into probe (id, note) values (${3}, ${'after'})`.execute(trx);
    return sql<{ n: number }>`select count(*)::int as n from probe where id >= ${2}`.execute(trx);
  });
  expect(ok.rows[0]!.n).toBe(2);
});

it('a transaction that runs no statement, and one whose first statement has no parameters, still work', async () => {
  expect(await t.db.transaction().execute(async () => 'nothing')).toBe('nothing');
  await t.db.transaction().execute(async (trx) => {
    await sql`insert into probe (id, note) values (4, 'literal')`.execute(trx);
    await sql`update probe set note = ${'changed'} where id = ${4}`.execute(trx);
  });
  const row = await sql<{ note: string }>`select note from probe where id = ${4}`.execute(t.db);
  expect(row.rows[0]!.note).toBe('changed');
  await expect(
    t.db.transaction().execute(async (trx) => {
      await sql`insert into probe (id, note) values (5, 'literal')`.execute(trx);
      throw new Error('undo');
    }),
  ).rejects.toThrow('undo');
  expect((await sql`select 1 from probe where id = 5`.execute(t.db)).rows).toEqual([]);
});

const commitAfter = () => sql.raw(`${COMMIT_AFTER}insert into probe (id, note) values (`);

it('a final statement marked COMMIT_AFTER is committed with it, in one batch with COMMIT', async () => {
  const xid = await t.db.transaction().execute(async (trx) => {
    await sql`select 1 where ${1} = 1`.execute(trx);
    const r = await sql<{ x: string }>`${commitAfter()}${10}, ${'final'}) returning txid_current()::text as x`.execute(trx);
    return r.rows[0]!.x;
  });
  expect((await sql<{ note: string }>`select note from probe where id = ${10}`.execute(t.db)).rows).toEqual([{ note: 'final' }]);
  // The transaction really ended with that batch: the next one is a new transaction on the same connection.
  const next = await t.db.transaction().execute(async (trx) => (await sql<{ x: string }>`select txid_current()::text as x where ${1} = 1`.execute(trx)).rows[0]!.x);
  expect(next).not.toBe(xid);
});

it('a marked statement that fails commits nothing, and the connection stays usable', async () => {
  await expect(
    t.db.transaction().execute(async (trx) => {
      await sql`insert into probe (id, note) values (${11}, ${'before'})`.execute(trx);
      await sql`${commitAfter()}${10}, ${'duplicate'})`.execute(trx);
    }),
  ).rejects.toThrow(/duplicate key/);
  expect((await sql`select 1 from probe where id = ${11}`.execute(t.db)).rows).toEqual([]);
  await t.db.transaction().execute(async (trx) => {
    await sql`insert into probe (id, note) values (${12}, ${'fine'})`.execute(trx);
  });
  expect((await sql`select 1 from probe where id = ${12}`.execute(t.db)).rows).toHaveLength(1);
});

it('a statement after a final write is refused, and outside a transaction the mark changes nothing', async () => {
  await expect(
    t.db.transaction().execute(async (trx) => {
      await sql`${commitAfter()}${13}, ${'final'})`.execute(trx);
      await sql`select ${1}`.execute(trx);
    }),
  ).rejects.toThrow(/after the transaction was committed/);
  expect((await sql`select 1 from probe where id = ${13}`.execute(t.db)).rows).toHaveLength(1); // committed: it was final
  await sql`${commitAfter()}${14}, ${'autocommit'})`.execute(t.db);
  expect((await sql`select 1 from probe where id = ${14}`.execute(t.db)).rows).toHaveLength(1);
  await t.db.transaction().execute(async (trx) => {
    await sql`insert into probe (id, note) values (${15}, ${'still works'})`.execute(trx);
  });
  expect((await sql`select 1 from probe where id = ${15}`.execute(t.db)).rows).toHaveLength(1);
});

it('a fresh connection whose first marked statement fails still commits the next one (COMMIT is prepared before anything can fail)', async () => {
  // Before: COMMIT's Parse went after the statement in the batch, so when the statement failed the server skipped it
  // while the client counted it as prepared; every later final write on that connection then failed with
  // 'prepared statement "k_commit" does not exist' (a 500 seen under concurrent duplicate requests).
  const fresh = await openTestDatabase({ max: 1 });
  try {
    await sql`create table probe (id int primary key, note text)`.execute(fresh.db);
    await sql`insert into probe (id, note) values (${1}, ${'taken'})`.execute(fresh.db);
    await expect(
      fresh.db.transaction().execute(async (trx) => {
        await sql`select 1 where ${1} = 1`.execute(trx);
        await sql`${commitAfter()}${1}, ${'duplicate'})`.execute(trx);
      }),
    ).rejects.toThrow(/duplicate key/);
    await fresh.db.transaction().execute(async (trx) => {
      await sql`select 1 where ${1} = 1`.execute(trx);
      await sql`${commitAfter()}${2}, ${'committed'})`.execute(trx);
    });
    expect((await sql<{ note: string }>`select note from probe where id = ${2}`.execute(fresh.db)).rows).toEqual([{ note: 'committed' }]);
    // The first statement of a transaction carrying both BEGIN and COMMIT, failing on a connection: the same.
    await expect(fresh.db.transaction().execute(async (trx) => void (await sql`${commitAfter()}${1}, ${'again'})`.execute(trx)))).rejects.toThrow(/duplicate key/);
    await fresh.db.transaction().execute(async (trx) => void (await sql`${commitAfter()}${3}, ${'also committed'})`.execute(trx)));
    expect((await sql`select 1 from probe where id = ${3}`.execute(fresh.db)).rows).toHaveLength(1);
  } finally {
    await fresh.close();
  }
});
