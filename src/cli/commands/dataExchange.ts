// `kopilka export members|transactions` and `kopilka import FILE`: the same use cases as the API's /exports and
// /imports, with progress lines on stderr (the summary, or --json, on stdout) and exit code 1 on bad input.
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { exportMembers, exportTransactions, type ByteSink, type ExportFormat, type ExportLang } from '../../app/exports.js';
import { importMembers, type ImportRowOutcome } from '../../app/imports.js';
import type { WorkProgress } from '../../app/workProgress.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import { DomainError, invalid, isDomainError, type CsvSeparator, type ImportMapping } from '../../core/index.js';
import { withApp } from '../compose.js';

const n = (x: number) => x.toLocaleString('en-US');
const size = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** A progress line on stderr at most every `every` ms (and always the last one), e.g. "  importing: 12,345 of 40,000 rows (31%)". */
export function progressLines(verb: string, o: { every?: number; out?: { write(s: string): unknown } } = {}): { report: (p: WorkProgress) => void; last: () => void } {
  const out = o.out ?? process.stderr;
  const every = o.every ?? 1000;
  let latest: WorkProgress | null = null;
  let printed: string | null = null;
  let at = 0;
  const line = (p: WorkProgress) => {
    const of = p.total === null ? '' : ` of ${n(p.total)}`;
    const pct = p.total ? ` (${Math.floor((100 * p.done) / p.total)}%)` : '';
    const bytes = p.bytes ? `, ${size(p.bytes)}` : '';
    return `  ${verb}: ${n(p.done)}${of} rows${pct}${bytes}`;
  };
  const print = (p: WorkProgress) => {
    const s = line(p);
    if (s === printed) return;
    printed = s;
    out.write(`${s}\n`);
  };
  return {
    report(p) {
      latest = p;
      const now = Date.now();
      if (now - at < every) return;
      at = now;
      print(p);
    },
    last() {
      if (latest) print(latest);
    },
  };
}

export interface ExportFlags {
  business: string;
  format: string;
  out: string;
  lang?: string;
  separator?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

/** Writes to FILE.partial and renames it at the end: a failed export never leaves a file that looks whole. */
export async function exportCommand(config: Config, log: Logger, what: string, flags: ExportFlags): Promise<void> {
  if (what !== 'members' && what !== 'transactions') throw invalid(`export what? "members" or "transactions", not "${what}"`, { field: 'what' });
  if (flags.format !== 'csv' && flags.format !== 'xlsx') throw invalid(`--format must be csv or xlsx, not "${flags.format}"`, { field: 'format' });
  if (flags.lang !== undefined && flags.lang !== 'ru' && flags.lang !== 'en') throw invalid(`--lang must be ru or en, not "${flags.lang}"`, { field: 'lang' });
  if (flags.separator !== undefined && flags.separator !== ';' && flags.separator !== ',') throw invalid('--separator must be ";" or ","', { field: 'separator' });
  if (what === 'members' && (flags.from !== undefined || flags.to !== undefined)) throw invalid('--from and --to are for transactions', { field: 'from' });
  const format: ExportFormat = flags.format;
  const file = path.resolve(flags.out);
  const partial = `${file}.partial`;
  const progress = progressLines('exporting');
  const o = { businessId: flags.business, format, lang: flags.lang as ExportLang | undefined, separator: flags.separator as CsvSeparator | undefined, onProgress: progress.report };
  const stream = createWriteStream(partial, { flags: 'w' });
  await once(stream, 'open');
  const sink: ByteSink = {
    async write(chunk) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
  };
  let rows: number;
  try {
    rows = (await withApp(config, log, (app) => (what === 'members' ? exportMembers(app.deps, o, sink) : exportTransactions(app.deps, { ...o, from: flags.from, to: flags.to }, sink)))).rows;
    stream.end();
    await once(stream, 'finish');
    progress.last();
    await rename(partial, file);
  } catch (e) {
    stream.destroy();
    await rm(partial, { force: true });
    throw e;
  }
  if (flags.json) console.log(JSON.stringify({ what, format, file, rows, bytes: stream.bytesWritten }));
  else console.log(`Exported ${n(rows)} ${what === 'members' ? 'members' : 'transactions'} to ${file} (${size(stream.bytesWritten)})`);
}

export interface ImportFlags {
  business: string;
  phoneColumn: string;
  nameColumn?: string;
  balanceColumn?: string;
  birthdayColumn?: string;
  emailColumn?: string;
  cardColumn?: string;
  externalIdColumn?: string;
  expiresOn?: string;
  matchExisting?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const badLine = (r: Pick<ImportRowOutcome, 'row' | 'phone' | 'problems'>) => `  row ${r.row}${r.phone ? ` (${r.phone})` : ''}: ${r.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;

/** Members with balances from a CSV or XLSX file; --dry-run lists every bad row and changes nothing. */
export async function importCommand(config: Config, log: Logger, file: string, flags: ImportFlags): Promise<void> {
  const abs = path.resolve(file);
  let content: Buffer;
  try {
    content = await readFile(abs);
  } catch (e) {
    throw new DomainError('import_unreadable', `Cannot read ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const mapping: ImportMapping = { phone: flags.phoneColumn };
  const optional = { name: flags.nameColumn, balance: flags.balanceColumn, birthday: flags.birthdayColumn, email: flags.emailColumn, card: flags.cardColumn, externalId: flags.externalIdColumn };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (mapping as unknown as Record<string, string>)[k] = v;
  const progress = progressLines(flags.dryRun ? 'checking' : 'importing');
  const input = { businessId: flags.business, fileName: path.basename(abs), content, mapping, expiresOn: flags.expiresOn ?? null, matchExisting: flags.matchExisting === true, actor: { type: 'cli' as const, id: null }, onProgress: progress.report };

  if (flags.dryRun) {
    const report = await withApp(config, log, (app) => importMembers(app.deps, { ...input, dryRun: true }));
    progress.last();
    const bad = report.rows.filter((r) => r.status === 'bad');
    const t = report.totals;
    if (flags.json) console.log(JSON.stringify({ dryRun: true, totals: t, bad, alreadyImportedAs: report.alreadyImportedAs }));
    else {
      console.log(`Dry run of ${report.fileName}: ${n(t.rows)} rows, ${n(t.ok)} ok, ${n(t.bad)} bad; would create ${n(t.newMembers)} members, add points to ${n(t.matchedMembers)}, ${n(t.points)} points in all.`);
      if (bad.length > 0) console.log(`Bad rows (nothing can be imported until they are fixed):\n${bad.map(badLine).join('\n')}`);
      if (report.alreadyImportedAs) console.log(`This file was already imported this way (import ${report.alreadyImportedAs}); importing it again adds nothing.`);
    }
    if (bad.length > 0) process.exitCode = 1;
    return;
  }
  try {
    const r = await withApp(config, log, (app) => importMembers(app.deps, { ...input, dryRun: false }));
    progress.last();
    if (flags.json) {
      console.log(JSON.stringify(r));
      return;
    }
    if (r.replayed) console.log(`${r.fileName} was imported before this same way (import ${r.importId}); nothing was added.`);
    else console.log(`Imported ${r.fileName}: ${n(r.totals.newMembers)} new members, points added to ${n(r.totals.matchedMembers)}, ${n(r.totals.points)} points${r.expiresAt ? ` expiring ${r.expiresAt}` : ''} (import ${r.importId}).`);
  } catch (e) {
    // The refusal names the bad rows (up to 100): show them before the one-line error.
    if (isDomainError(e) && e.code === 'import_has_errors' && Array.isArray(e.details.rows)) {
      process.stderr.write(`${(e.details.rows as ImportRowOutcome[]).map(badLine).join('\n')}\n`);
    }
    throw e;
  }
}
