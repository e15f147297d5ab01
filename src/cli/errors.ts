// How the CLI reports a failure: one line for anything the user can fix, the stack only when debugging.
import { CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { isDomainError } from '../core/errors.js';
import { StorageError } from '../store/storageError.js';
import { ListenError } from '../http/server.js';

// Node socket errors and PostgreSQL SQLSTATE classes 08 (connection), 28 (auth), 3D (no such database), 53 (resources), 57P (shutdown).
const CONNECTION_CODE = /^(E(CONNREFUSED|CONNRESET|HOSTUNREACH|NOTFOUND|TIMEDOUT|AI_AGAIN|PIPE)|08|28|3D|53|57P)/;

export function isUserError(e: unknown): boolean {
  if (isDomainError(e) || e instanceof ConfigError || e instanceof StorageError || e instanceof ListenError) return true;
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && CONNECTION_CODE.test(code);
}

/** Writes the error to stderr and returns the exit code. */
export function reportError(e: unknown, debug: boolean, out: { write(s: string): unknown } = process.stderr): number {
  if (e instanceof CommanderError) return e.exitCode; // commander has already printed its message
  const message = e instanceof Error ? e.message || e.name : String(e);
  out.write(`error: ${message}\n`);
  if (!isUserError(e)) {
    if (debug && e instanceof Error && e.stack) out.write(`${e.stack}\n`);
    else if (!debug) out.write('(an unexpected error; run with --debug to see where it happened)\n');
  }
  return 1;
}
