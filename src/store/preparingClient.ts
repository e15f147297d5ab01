// A pg Client that turns parameterised queries into named prepared statements, so PostgreSQL parses and plans
// each distinct statement once per connection instead of on every call (our hot paths are fixed SQL texts).
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statements prepared on one connection at most; past that, queries run unnamed as before. */
const MAX_PER_CONNECTION = 200;
const names = new Map<string, string>();

function nameFor(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `k_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    if (names.size < 5000) names.set(text, name);
  }
  return name;
}

export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();

  // pg's query() has many overloads; only (text, values) with values — what Kysely sends — is rewritten.
  override query(...args: unknown[]): never {
    const [config, values] = args;
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = nameFor(config);
      if (this.prepared.has(name) || this.prepared.size < MAX_PER_CONNECTION) {
        this.prepared.add(name);
        return (super.query as (c: unknown) => never)({ name, text: config, values });
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
