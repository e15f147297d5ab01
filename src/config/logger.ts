// A levelled logger writing one line per message to stderr, so stdout stays clean for command output.
import type { LogLevel } from './config.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(level: LogLevel, out: { write(line: string): unknown } = process.stderr): Logger {
  const emit = (at: LogLevel) => (message: string) => {
    if (RANK[at] >= RANK[level]) out.write(`${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${message}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
