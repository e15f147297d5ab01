// The part of autocannon 9's programmatic API that bench/api.ts uses (the package ships no types, and there is no
// @types/autocannon among the dependencies).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  export interface Request extends RequestSpec {
    /** Called for every request sent on a connection; `context` is that connection's, fresh for each request. */
    setupRequest?: (request: RequestSpec, context: Record<string, unknown>) => RequestSpec | null;
    /** Called for every response, before the instance's 'response' event, with the context setupRequest saw. */
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds. */
    timeout?: number;
    pipelining?: number;
    method?: string;
    headers?: Record<string, string>;
    requests?: Request[];
    /** Requests per second per connection (sent back to back from the start of each second, then paused). */
    connectionRate?: number;
    overallRate?: number;
    ignoreCoordinatedOmission?: boolean;
    title?: string;
  }

  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    latency: { p50: number; p90: number; p99: number; mean: number; max: number; totalCount: number };
    requests: { sent: number; total: number; average: number };
  }

  export type Client = EventEmitter;

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    on(event: 'response', listener: (client: Client, statusCode: number, resBytes: number, responseTimeMs: number) => void): this;
    on(event: 'reqError', listener: (error: Error) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    stop(): void;
  }

  export default function autocannon(options: Options): Instance;
}
