// `kopilka export members|transactions` and `kopilka import FILE`: the same use cases as the API's /exports and
// /imports, with progress lines on stderr (the summary, or --json, on stdout) and exit code 1 on bad input.
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { exportMembers, exportTransactions, type ByteSink, type ExportFormat, type ExportLang } from '../../app/exports.js';
import { importMembers, readTable, type ImportRowOutcome } from '../../app/imports.js';
import type { WorkProgress } from '../../app/workProgress.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../config/logger.js';
import { DomainError, IMPORT_FIELDS, guessMapping, invalid, isDomainError, type CsvSeparator, type ImportMapping } from '../../core/index.js';
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
  /** Without it, the mapping is guessed from the file's header (the other column flags still win). */
  phoneColumn?: string;
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

/** The mapping guessed from the file's header; without a column whose header says it is the phone, a clear error. */
function guessedMapping(content: Uint8Array): ImportMapping {
  const { header } = readTable(content);
  const guess = guessMapping(header);
  if (guess.phone === undefined) throw invalid(`No column's header says it holds the phone (the file's columns: ${header.slice(0, 30).join(', ')}); name it with --phone-column`, { field: 'mapping.phone' });
  return guess as ImportMapping;
}

const FLAG: Record<(typeof IMPORT_FIELDS)[number], string> = { phone: 'phone', name: 'name', birthday: 'birthday', email: 'email', card: 'card', balance: 'balance', externalId: 'external-id' };

/** One line per field, e.g. '  --phone-column "Телефон"', and the fields left out. */
function mappingLines(mapping: ImportMapping): string {
  const m = mapping as Partial<Record<(typeof IMPORT_FIELDS)[number], string>>;
  const lines = IMPORT_FIELDS.filter((f) => m[f] !== undefined).map((f) => `  --${FLAG[f]}-column "${m[f]}"`);
  const left = IMPORT_FIELDS.filter((f) => m[f] === undefined);
  return [...lines, ...(left.length ? [`  not imported: ${left.join(', ')}`] : [])].join('\n');
}

/** Members with balances from a CSV or XLSX file; --dry-run lists every bad row and changes nothing. */
export async function importCommand(config: Config, log: Logger, file: string, flags: ImportFlags): Promise<void> {
  const abs = path.resolve(file);
  let content: Buffer;
  try {
    content = await readFile(abs);
  } catch (e) {
    throw new DomainError('import_unreadable', `Cannot read ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const optional = { name: flags.nameColumn, balance: flags.balanceColumn, birthday: flags.birthdayColumn, email: flags.emailColumn, card: flags.cardColumn, externalId: flags.externalIdColumn };
  const mapping = flags.phoneColumn === undefined ? guessedMapping(content) : ({ phone: flags.phoneColumn } as ImportMapping);
  const fields = mapping as unknown as Record<string, string>;
  for (const [k, v] of Object.entries(optional)) {
    if (v === undefined) continue;
    // A column named by a flag is that field only: the guess gives it up elsewhere (never the phone, which is refused).
    if (flags.phoneColumn === undefined) for (const [f, c] of Object.entries(fields)) if (f !== 'phone' && f !== k && c.trim().toLowerCase() === v.trim().toLowerCase()) delete fields[f];
    fields[k] = v;
  }
  // What the guess chose (with any column flags on top), so the user sees which column became which field.
  if (flags.phoneColumn === undefined) process.stderr.write(`Columns (guessed from the header; name them with --phone-column and the other --…-column flags to choose):\n${mappingLines(mapping)}\n`);
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
