// A pg Client tuned for our short transactions on a loopback connection, where every round trip costs CPU:
// - parameterised queries become named prepared statements, so PostgreSQL parses and plans each distinct statement
//   once per connection instead of on every call (our hot paths are fixed SQL texts);
// - a bare `begin` is not sent on its own: it goes out in the same extended-protocol batch as the transaction's
//   first statement (Parse/Bind/Execute BEGIN, then the statement, then one Sync), saving a round trip;
// - a statement marked COMMIT_AFTER (a use case's final write) is sent with COMMIT in one batch, saving another.
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statements prepared on one connection at most; past that, queries run unnamed as before. */
const MAX_PER_CONNECTION = 200;
const BEGIN_STATEMENT = 'k_begin';
const names = new Map<string, string>();

function nameFor(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `k_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    if (names.size < 5000) names.set(text, name);
  }
  return name;
}

// What pg's Query uses of the connection while preparing (not in @types/pg).
interface WireConnection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(m: { text: string; name: string; types: unknown[] }): void;
  bind(m: { statement: string; values: unknown[] }): void;
  execute(m: { portal: string }): void;
}

const QueryBase = (pg as unknown as { Query: new (config: unknown) => object }).Query;

/** Marks a statement that ends its transaction: COMMIT goes out in the same batch, right after it. */
export const COMMIT_AFTER = '/*kopilka:commit-after*/ ';

/**
 * A prepared query sent in one batch with BEGIN before it and/or COMMIT after it; only the query's own results are
 * reported. After an error the server skips the rest of the batch, so a failed statement is never committed.
 */
class BatchedQuery extends QueryBase {
  private completes = 0;
  constructor(
    config: unknown,
    private readonly begin: boolean,
    private readonly commit: boolean,
  ) {
    super(config);
  }

  prepare(connection: WireConnection): void {
    // COMMIT is parsed first: after an error the server skips the rest of the batch, and a Parse skipped there would
    // be counted as done by the client (every later COMMIT on this connection: "k_commit does not exist").
    if (this.commit) ensureParsed(connection, COMMIT_STATEMENT, 'commit');
    if (this.begin) {
      ensureParsed(connection, BEGIN_STATEMENT, 'begin');
      connection.bind({ statement: BEGIN_STATEMENT, values: [] });
      connection.execute({ portal: '' });
    }
    (QueryBase.prototype as unknown as { prepare(c: WireConnection): void }).prepare.call(this, connection);
  }

  // pg's Query sends Execute then Sync here; COMMIT is slipped in between.
  _getRows(connection: WireConnection & { sync(): void }, rows: unknown): void {
    if (!this.commit) {
      (QueryBase.prototype as unknown as { _getRows(c: WireConnection, r: unknown): void })._getRows.call(this, connection, rows);
      return;
    }
    connection.execute({ portal: '' });
    connection.bind({ statement: COMMIT_STATEMENT, values: [] });
    connection.execute({ portal: '' });
    connection.sync();
  }

  handleCommandComplete(msg: unknown, connection: unknown): void {
    this.completes += 1;
    const own = this.begin ? 2 : 1; // BEGIN's completion comes first; COMMIT's last
    if (this.completes !== own) return;
    (QueryBase.prototype as unknown as { handleCommandComplete(m: unknown, c: unknown): void }).handleCommandComplete.call(this, msg, connection);
  }
}

const COMMIT_STATEMENT = 'k_commit';

function ensureParsed(connection: WireConnection, name: string, text: string): void {
  if (connection.parsedStatements[name] === undefined && connection.submittedNamedStatements[name] === undefined) {
    connection.parse({ text, name, types: [] });
    connection.submittedNamedStatements[name] = text;
  }
}

export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  private beginPending = false;
  private inTransaction = false;
  /** The transaction was committed together with its final statement; Kysely's COMMIT is answered here. */
  private committedEarly = false;

  // pg's query() has many overloads; only (text, values) — what Kysely sends — is rewritten.
  override query(...args: unknown[]): never {
    const [config, values] = args;
    const call = (...a: unknown[]) => (super.query as (...x: unknown[]) => never)(...a);
    if (typeof config === 'string' && Array.isArray(values)) {
      const bare = values.length === 0;
      if (config === 'begin' && bare && !this.beginPending) {
        this.beginPending = true;
        this.inTransaction = true;
        return Promise.resolve({ command: 'BEGIN', rowCount: null, rows: [], fields: [] }) as never;
      }
      const ending = bare && (config === 'commit' || config === 'rollback');
      if (ending) this.inTransaction = false;
      if (this.committedEarly) {
        if (ending) {
          this.committedEarly = false;
          return Promise.resolve({ command: config.toUpperCase(), rowCount: null, rows: [], fields: [] }) as never;
        }
        return Promise.reject(new Error('kopilka: a statement after the transaction was committed with its final write')) as never;
      }
      const begin = this.beginPending;
      this.beginPending = false;
      // A transaction that ended before its first statement never needs to reach the server.
      if (begin && ending) {
        return Promise.resolve({ command: config.toUpperCase(), rowCount: null, rows: [], fields: [] }) as never;
      }
      if (values.length > 0) {
        const name = nameFor(config);
        if (this.prepared.has(name) || this.prepared.size < MAX_PER_CONNECTION) {
          this.prepared.add(name);
          const commit = this.inTransaction && config.startsWith(COMMIT_AFTER);
          if (begin || commit) {
            const q = this.submit(new BatchedQuery({ name, text: config, values }, begin, commit)) as Promise<unknown>;
            if (!commit) return q as never;
            return q.then((r) => {
              this.committedEarly = true;
              return r;
            }) as never;
          }
          return call({ name, text: config, values });
        }
      }
      // Queued ahead of this query on the same connection; if it failed, so does this query, which reports it.
      if (begin) (call('begin') as Promise<unknown>).catch(() => undefined);
    }
    return call(...args);
  }

  private submit(query: object): never {
    return new Promise((resolve, reject) => {
      (query as { callback?: (err: Error | null, res: unknown) => void }).callback = (err, res) => (err ? reject(err) : resolve(res));
      (super.query as (q: object) => void)(query);
    }) as never;
  }
}
