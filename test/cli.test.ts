// The `kopilka` command as a user runs it: a real process on a temporary data dir with the embedded database.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/client/index.js';
import { lockPath } from '../src/store/embedded/lockFile.js';
import { freePort } from '../src/store/embedded/freePort.js';
import { isAlive, waitForExit } from '../src/store/embedded/processes.js';
import { killLeftoverPostmaster, postmasterPid } from './support/postmaster.js';
import { makeTempDir, removeTempDir } from './support/tempDir.js';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let root: string;
let dataDir: string;
const children = new Set<ChildProcess>();

/** The environment of a user without DATABASE_URL (CI sets it), so the embedded database is used. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return { ...env, KOPILKA_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...extra };
}

function kopilka(args: string[], extra: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['bin/kopilka.js', ...args], { env: userEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function run(args: string[], extra: Record<string, string> = {}): Promise<Result> {
  const child = kopilka(args, extra);
  const out = collect(child);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, ...out() })));
}

function collect(child: ChildProcess): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return () => ({ stdout, stderr });
}

const STACK_LINE = /^\s+at /m;

beforeAll(async () => {
  root = await makeTempDir();
  dataDir = path.join(root, 'data');
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await killLeftoverPostmaster(dataDir);
  await removeTempDir(root);
});

describe('kopilka CLI', () => {
  it('--help lists the commands', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['start', 'migrate', 'business', 'demo']) expect(r.stdout).toContain(cmd);
    const sub = await run(['business', 'create', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--name <name>');
  });

  it('business create --json creates a business on the embedded database and prints its API key', async () => {
    const r = await run(['business', 'create', '--name', 'Coffee on Lenina', '--timezone', 'Europe/Kaliningrad', '--json']);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ name: 'Coffee on Lenina', timezone: 'Europe/Kaliningrad', currency: 'RUB' });
    expect(out.id).toEqual(expect.any(String));
    expect(out.apiKey).toEqual(expect.any(String));
    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(lockPath(dataDir))).toBe(false); // the command stopped the server it started
  });

  it('without --name, fails with exit code 1 and a one-line error', async () => {
    const r = await run(['business', 'create', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe("error: required option '--name <name>' not specified");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('api-key create, list and revoke manage a business\'s keys; unknown ids are clear errors', async () => {
    const created = await run(['business', 'create', '--name', 'Keys', '--json']);
    expect(created.code).toBe(0);
    const businessId = JSON.parse(created.stdout).id as string;
    const key = await run(['api-key', 'create', '--business', businessId, '--name', 'till-1', '--json']);
    expect(key.code).toBe(0);
    const made = JSON.parse(key.stdout) as { id: string; key: string };
    expect(made.key).toMatch(/^kop_[a-f0-9]{10}_/);
    const listed = await run(['api-key', 'list', '--business', businessId, '--json']);
    const keys = JSON.parse(listed.stdout) as { id: string; name: string; revokedAt: string | null }[];
    expect(keys.map((k) => k.name).sort()).toEqual(['default', 'till-1']);
    expect(listed.stdout).not.toContain(made.key);
    expect((await run(['api-key', 'revoke', '--business', businessId, '--key', made.id])).code).toBe(0);
    const after = JSON.parse((await run(['api-key', 'list', '--business', businessId, '--json'])).stdout) as { id: string; revokedAt: string | null }[];
    expect(after.find((k) => k.id === made.id)?.revokedAt).not.toBeNull();
    const again = await run(['api-key', 'revoke', '--business', businessId, '--key', made.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: No live API key/m);
    const unknown = await run(['api-key', 'list', '--business', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: No business nope/m);
  });

  it('a bad time zone is a clear error from the use case, without a stack', async () => {
    const r = await run(['business', 'create', '--name', 'X', '--timezone', 'Mars/Olympus']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*time zone.*Mars\/Olympus/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('a bad KOPILKA_EXPIRY_INTERVAL_SECONDS is a configuration error naming the variable', async () => {
    const r = await run(['migrate'], { KOPILKA_EXPIRY_INTERVAL_SECONDS: 'soon' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: invalid KOPILKA_EXPIRY_INTERVAL_SECONDS "soon": expected a whole number from 1 to 86400');
  });

  it('start --test-clock is refused when NODE_ENV=production', async () => {
    const r = await run(['start', '--test-clock'], { NODE_ENV: 'production', PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: --test-clock is refused when NODE_ENV=production');
  });

  it('start serves /healthz and the API, refuses a second start on the same data dir, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const server = kopilka(['start', '--test-clock'], { PORT: String(port) });
    const out = collect(server);
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    await expect.poll(() => out().stdout, { timeout: 30_000, interval: 100 }).toContain(`Kopilka is running at http://127.0.0.1:${port}`);
    // The two lines may arrive in separate chunks.
    await expect.poll(() => out().stdout, { timeout: 5_000, interval: 50 }).toContain(`Data: ${dataDir}`);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    // A key made by the CLI (which joins the running server) works against the API at once.
    const made = await run(['business', 'create', '--name', 'API shop', '--json']);
    expect(made.code).toBe(0);
    const { apiKey } = JSON.parse(made.stdout) as { apiKey: string };
    const api = createClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey });
    const member = await api.members.create({ phone: '+79160000001' });
    const purchase = await api.purchases.create({ member: { id: member.id }, amount: 1000_00 });
    expect(purchase.earnedPoints).toBe(50);
    const before = new Date((await api.testClock.get()).now).getTime();
    const moved = await api.testClock.advance('P200D');
    const jump = new Date(moved.now).getTime() - before;
    expect(jump).toBeGreaterThanOrEqual(200 * 86_400_000);
    expect(jump).toBeLessThan(200 * 86_400_000 + 10_000); // real time goes on underneath
    expect((await api.members.get(member.id)).balance.available).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/api/docs`)).status).toBe(200);
    expect(out().stdout).toContain(`API reference: http://127.0.0.1:${port}/api/docs`);

    const second = await run(['start'], { PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^error: Kopilka is already running on ${dataDir} \\(pid ${server.pid}, port \\d+\\)$`, 'm'));

    const pgPid = postmasterPid(dataDir)!;
    expect(isAlive(pgPid)).toBe(true);
    server.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await waitForExit(pgPid, 1_000)).toBe(true);
    expect(existsSync(lockPath(dataDir))).toBe(false);
    expect(out().stderr).not.toMatch(STACK_LINE);
  });
});
