// One till operation = one idempotency key (pure: operation.test.ts). The key is made when the cashier presses the
// button and reused for every retry and double tap of the same operation, so the server does it once; only a new
// operation (another kind, another input, or after the last one finished) gets a new key.

export class OperationKeys {
  private current: { kind: string; input: string; key: string } | null = null;

  constructor(private readonly newKey: () => string) {}

  /** The key for `kind` with this input: the pending one when it is the same operation, else a new one. */
  keyFor(kind: string, input: unknown): string {
    const json = stableJson(input);
    const c = this.current;
    if (c && c.kind === kind && c.input === json) return c.key;
    const next = { kind, input: json, key: this.newKey() };
    this.current = next;
    return next.key;
  }

  /** Whether an operation was started and has not finished (its result may be unknown after a network failure). */
  get pending(): boolean {
    return this.current !== null;
  }

  /** The operation is over (done, or given up): the next press is a new operation with a new key. */
  finish(): void {
    this.current = null;
  }
}

/** JSON with object keys sorted, so the same input always reads the same. */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
