// What the benchmark ran on: the machine, Node, the PostgreSQL server and its durability-relevant settings,
// plus a whole-machine CPU meter (from /proc/stat) to say how busy the two cores were during a phase.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  loadAverage1m: number;
  node: string;
  os: string;
}

export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) cpuModel = m[1].trim();
  } catch {
    // not Linux: os.cpus() will do
  }
  return {
    cpuModel,
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

export interface ServerInfo {
  version: string;
  settings: Record<string, string>;
}

const SETTINGS = ['shared_buffers', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'max_wal_size', 'checkpoint_timeout', 'max_connections', 'autovacuum'];

export async function serverInfo(url: string): Promise<ServerInfo> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const v = await client.query<{ v: string }>('select version() as v');
    const s = await client.query<{ name: string; setting: string; unit: string | null }>(
      'select name, setting, unit from pg_settings where name = any($1)',
      [SETTINGS],
    );
    const settings = Object.fromEntries(s.rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]));
    return { version: v.rows[0]!.v.split(' on ')[0]!, settings };
  } finally {
    await client.end();
  }
}

/** Whole-machine CPU use between start() and the returned stop(), in percent of all cores. */
export function cpuMeter(): () => number {
  const read = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = fields.map(Number);
    const idle = n[3]! + (n[4] ?? 0); // idle + iowait
    return { idle, total: n.reduce((a, b) => a + b, 0) };
  };
  let before: { idle: number; total: number } | null = null;
  try {
    before = read();
  } catch {
    return () => NaN;
  }
  return () => {
    const after = read();
    const total = after.total - before!.total;
    return total > 0 ? Math.round((1 - (after.idle - before!.idle) / total) * 1000) / 10 : NaN;
  };
}

/** How busy the machine is before a part starts (other work skews every figure): CPU percent over `ms`. */
export async function busyPercent(ms = 2_000): Promise<number> {
  const stop = cpuMeter();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return stop();
}

/** utime + stime of a process in seconds, from /proc/<pid>/stat (USER_HZ is 100 on Linux). */
function processCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds that the processes `pids()` lists use from now until stop(). Polled every 200 ms, since the
 * processes may exit before stop (CPU used in their last 200 ms is then missed). null when /proc is unreadable.
 */
export function processCpuMeter(pids: () => Promise<number[]>, onStop?: () => Promise<void>): { stop(): Promise<number | null> } {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const poll = async () => {
    for (const pid of await pids()) {
      try {
        const cpu = processCpu(pid);
        if (!first.has(pid)) first.set(pid, cpu);
        last.set(pid, cpu);
      } catch {
        // exited just now, or not ours to read
      }
    }
  };
  let chain = poll().catch(() => undefined);
  const timer = setInterval(() => (chain = chain.then(poll).catch(() => undefined)), 200);
  return {
    async stop() {
      clearInterval(timer);
      await chain.then(poll).catch(() => undefined);
      await onStop?.();
      if (last.size === 0) return null;
      let total = 0;
      for (const [pid, cpu] of last) total += cpu - first.get(pid)!;
      return Math.round(total * 100) / 100;
    },
  };
}

/**
 * CPU seconds used by the server's client backends connected to database `datname` (a server on this machine):
 * the database's share of the work, whatever else runs on the machine.
 */
export async function backendCpuMeter(adminUrl: string, datname: string): Promise<{ stop(): Promise<number | null> }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const pids = async () =>
    (await client.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1 and backend_type = 'client backend'", [datname])).rows.map((r) => r.pid);
  return processCpuMeter(pids, () => client.end());
}
