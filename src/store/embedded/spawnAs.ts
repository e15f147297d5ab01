// Spawning PostgreSQL programs as the right user, with a clean environment.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { PgUser } from './pgUser.js';

/** The environment for PostgreSQL programs: ours without PG* variables, which would override our flags. */
function pgEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
}

export function spawnAs(user: PgUser | null, bin: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(bin, args, { ...options, env: pgEnv(), ...(user ? { uid: user.uid, gid: user.gid } : {}) });
}

/** Runs a program to completion and returns its exit code and combined output. */
export function runAs(user: PgUser | null, bin: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(user, bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

export const tail = (text: string, lines = 15) => text.trimEnd().split('\n').slice(-lines).join('\n');
