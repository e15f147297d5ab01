// The HTTP shell: health with the database up and down, problem+json for 404 and 500, a clear error for a taken port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../src/app/deps.js';
import { silentLogger } from '../src/config/logger.js';
import { createHttpApp, ListenError, startHttpServer } from '../src/http/server.js';
import { createDb } from '../src/store/database.js';
import { freePort } from '../src/store/embedded/freePort.js';
import { testDatabaseUrl } from './support/testDatabase.js';

const noApp = {} as AppDeps; // the shell's routes do not use the use cases

describe('createHttpApp', () => {
  let up: Kysely<any>;
  let down: Kysely<any>;
  beforeAll(async () => {
    up = createDb(testDatabaseUrl(), { max: 1 });
    down = createDb(`postgres://nobody@127.0.0.1:${await freePort()}/none`, { max: 1 });
  });
  afterAll(async () => {
    await up?.destroy();
    await down?.destroy();
  });

  it('GET /healthz is 200 {"status":"ok"} when the database answers', async () => {
    const res = await createHttpApp({ app: noApp, db: up, log: silentLogger }).request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /healthz is 503 {"status":"error"} when it does not', async () => {
    const res = await createHttpApp({ app: noApp, db: down, log: silentLogger }).request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'error' });
  });

  it('answers unknown routes with a problem+json 404', async () => {
    const res = await createHttpApp({ app: noApp, db: up, log: silentLogger }).request('/no/such/thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('answers a failing route with a problem+json 500 that leaks nothing', async () => {
    const http = createHttpApp({ app: noApp, db: up, log: silentLogger });
    http.get('/boom', () => {
      throw new Error('secret internal detail');
    });
    const res = await http.request('/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, code: 'internal_error' });
    expect(text).not.toContain('secret');
  });

  it('startHttpServer serves, and refuses a taken port with a clear error', async () => {
    const http = createHttpApp({ app: noApp, db: up, log: silentLogger });
    const port = await freePort();
    const running = await startHttpServer(http, { host: '127.0.0.1', port });
    try {
      expect(running.url).toBe(`http://127.0.0.1:${port}`);
      expect((await fetch(`${running.url}/nope`)).status).toBe(404);
      const taken = startHttpServer(http, { host: '127.0.0.1', port });
      await expect(taken).rejects.toThrow(ListenError);
      await expect(taken).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await running.close();
    }
  });
});
