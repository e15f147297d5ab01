// A pg Client tuned for our short transactions on a loopback connection, where every round trip costs CPU:
// - parameterised queries become named prepared statements, so PostgreSQL parses and plans each distinct statement
//   once per connection instead of on every call (our hot paths are fixed SQL texts);
// - a bare `begin` is not sent on its own: it goes out in the same extended-protocol batch as the transaction's
//   first statement (Parse/Bind/Execute BEGIN, then the statement, then one Sync), saving a round trip.
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

/** A prepared query preceded, in the same batch, by BEGIN; BEGIN's own CommandComplete is not reported. */
class BeginThenQuery extends QueryBase {
  private beginCompleted = false;

  prepare(connection: WireConnection): void {
    if (connection.parsedStatements[BEGIN_STATEMENT] === undefined && connection.submittedNamedStatements[BEGIN_STATEMENT] === undefined) {
      connection.parse({ text: 'begin', name: BEGIN_STATEMENT, types: [] });
      connection.submittedNamedStatements[BEGIN_STATEMENT] = 'begin';
    }
    connection.bind({ statement: BEGIN_STATEMENT, values: [] });
    connection.execute({ portal: '' });
    (QueryBase.prototype as unknown as { prepare(c: WireConnection): void }).prepare.call(this, connection);
  }

  handleCommandComplete(msg: unknown, connection: unknown): void {
    if (!this.beginCompleted) {
      this.beginCompleted = true;
      return;
    }
    (QueryBase.prototype as unknown as { handleCommandComplete(m: unknown, c: unknown): void }).handleCommandComplete.call(this, msg, connection);
  }
}

export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  private beginPending = false;

  // pg's query() has many overloads; only (text, values) — what Kysely sends — is rewritten.
  override query(...args: unknown[]): never {
    const [config, values] = args;
    const call = (...a: unknown[]) => (super.query as (...x: unknown[]) => never)(...a);
    if (typeof config === 'string' && Array.isArray(values)) {
      if (config === 'begin' && values.length === 0 && !this.beginPending) {
        this.beginPending = true;
        return Promise.resolve({ command: 'BEGIN', rowCount: null, rows: [], fields: [] }) as never;
      }
      const begin = this.beginPending;
      this.beginPending = false;
      // A transaction that ended before its first statement never needs to reach the server.
      if (begin && (config === 'commit' || config === 'rollback') && values.length === 0) {
        return Promise.resolve({ command: config.toUpperCase(), rowCount: null, rows: [], fields: [] }) as never;
      }
      if (values.length > 0) {
        const name = nameFor(config);
        if (this.prepared.has(name) || this.prepared.size < MAX_PER_CONNECTION) {
          this.prepared.add(name);
          if (begin) return this.submit(new BeginThenQuery({ name, text: config, values }));
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
