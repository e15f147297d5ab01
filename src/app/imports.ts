// Members with their balances from another system's CSV or XLSX: a dry run reports every row, a real run imports
// all of them in one transaction or nothing, and the same file imported the same way again adds nothing.
import { createHash, randomInt } from 'node:crypto';
import {
  DomainError,
  MAX_IMPORT_ROWS,
  SYSTEM,
  availablePoints,
  cardNumberFromRandom,
  checkImportRows,
  credits,
  endOfLocalDay,
  invalid,
  isIsoDate,
  localDateOf,
  lotSchedule,
  parseCsv,
  type Actor,
  type Business,
  type ImportMapping,
  type ImportRecord,
  type ImportRow,
  type Member,
  type MemberLot,
  type NewLedgerTransaction,
  type NewLot,
  type OutboxEvent,
  type Repositories,
  type RowProblem,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';
import { isZip, readXlsx } from './spreadsheet.js';
import { memberView } from './views.js';
import type { OnWorkProgress } from './workProgress.js';

export interface ImportInput {
  businessId: string;
  fileName: string;
  content: Uint8Array;
  mapping: ImportMapping;
  /** The last day (local, YYYY-MM-DD) imported points may be used; null: the program's points lifetime from today. */
  expiresOn: string | null;
  dryRun: boolean;
  /** A phone that is already a member adds the row's points to that member; otherwise such a row is bad. */
  matchExisting?: boolean;
  actor?: Actor;
  /** Rows checked (a dry run) or imported (a real run) so far, of the file's rows. */
  onProgress?: OnWorkProgress;
}

export interface ImportRowOutcome {
  row: number;
  status: 'ok' | 'bad';
  /** What the row does: a new member, or points added to the member who has the phone. */
  action: 'create' | 'add_points' | null;
  phone: string | null;
  name: string | null;
  points: number;
  problems: RowProblem[];
}

export interface ImportTotals {
  rows: number;
  ok: number;
  bad: number;
  newMembers: number;
  matchedMembers: number;
  points: number;
}

export interface DryRunReport {
  dryRun: true;
  fileName: string;
  columns: string[];
  totals: ImportTotals;
  /** Every row, in file order. */
  rows: ImportRowOutcome[];
  /** The done import of this same file and mapping, if there is one (a real run would add nothing). */
  alreadyImportedAs: string | null;
}

export interface ImportResult {
  dryRun: false;
  importId: string;
  fileName: string;
  totals: ImportTotals;
  /** When the imported points expire (null: never); each member's points are one lot. */
  expiresAt: string | null;
  /** This file was imported before: that import's result, and nothing was added now. */
  replayed: boolean;
}

export interface ImportView {
  id: string;
  fileName: string;
  status: ImportRecord['status'];
  rowsTotal: number;
  rowsDone: number;
  result: ImportResult | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const cryptoRandom = () => randomInt(0, 1_000_000_000) / 1_000_000_000;

/** The table in the file: an XLSX workbook's first sheet, or CSV in UTF-8 (with or without BOM) or Windows-1251 (1C). */
export function readTable(content: Uint8Array): { header: string[]; rows: string[][] } {
  let table: string[][];
  if (isZip(content)) {
    try {
      table = readXlsx(content);
    } catch (e) {
      throw new DomainError('import_unreadable', `The file is not a readable XLSX workbook: ${(e as Error).message}`);
    }
  } else {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      text = new TextDecoder('windows-1251').decode(content);
    }
    if (text.includes('\u0000')) throw new DomainError('import_unreadable', 'The file is neither CSV text nor an XLSX workbook');
    table = parseCsv(text);
  }
  while (table.length > 0 && (table.at(-1) as string[]).every((c) => c.trim() === '')) table.pop();
  const [header, ...rows] = table;
  if (!header || rows.length === 0) throw new DomainError('import_unreadable', 'The file has no rows under its header row');
  if (rows.length > MAX_IMPORT_ROWS) throw new DomainError('import_unreadable', `The file has ${rows.length} rows; import at most ${MAX_IMPORT_ROWS} at a time`);
  return { header: header.map((h) => h.trim()), rows };
}

/** The same file, mapping and options always give the same hash; another file or option, another import. */
function contentHash(input: ImportInput, expiresOn: string | null): string {
  const h = createHash('sha256').update(input.content);
  const m = input.mapping as Record<string, string | undefined>;
  const mapping = Object.keys(m).sort().filter((k) => m[k]).map((k) => [k, (m[k] as string).trim().toLowerCase()]);
  return h.update(`\n${JSON.stringify({ mapping, expiresOn, matchExisting: input.matchExisting === true })}`).digest('hex');
}

function checkExpiry(expiresOn: string | null | undefined, today: string): string | null {
  if (expiresOn === null || expiresOn === undefined) return null;
  if (!isIsoDate(expiresOn)) throw invalid('expiresOn must be a date as YYYY-MM-DD, or null for the program\'s points lifetime', { field: 'expiresOn' });
  if (expiresOn < today) throw invalid(`expiresOn must not be in the past (today is ${today})`, { field: 'expiresOn' });
  return expiresOn;
}

interface Planned extends ImportRow {
  memberId: string | null;
}

/** Adds what only the database knows: phones that are already members, card numbers already taken, blocked members. */
async function checkAgainstMembers(repos: Repositories, business: Business, rows: ImportRow[], matchExisting: boolean, onProgress?: OnWorkProgress): Promise<Planned[]> {
  const planned: Planned[] = rows.map((r) => ({ ...r, problems: [...r.problems], memberId: null }));
  const phones = rows.flatMap((r) => (r.phone ? [r.phone] : []));
  const cards = rows.flatMap((r) => (r.card ? [r.card] : []));
  const found = [];
  const chunks = Math.max(phones.length, cards.length);
  for (let i = 0; i < chunks; i += 5000) {
    found.push(...(await repos.imports.existing(business.id, phones.slice(i, i + 5000), cards.slice(i, i + 5000))));
    onProgress?.({ done: Math.min(rows.length, Math.round((rows.length * Math.min(chunks, i + 5000)) / chunks)), total: rows.length });
  }
  const byPhone = new Map(found.map((m) => [m.phone, m]));
  const byCard = new Map(found.map((m) => [m.cardNumber, m]));
  for (const r of planned) {
    const member = r.phone ? byPhone.get(r.phone) : undefined;
    if (member) {
      if (!matchExisting) r.problems.push({ code: 'member_exists', field: 'phone', message: 'a member with this phone already exists (import with matchExisting to add the points to them)' });
      else if (member.blocked) r.problems.push({ code: 'member_blocked', field: 'phone', message: 'the member with this phone is blocked' });
      else r.memberId = member.id;
    }
    const holder = r.card ? byCard.get(r.card) : undefined;
    if (holder && holder.id !== member?.id) r.problems.push({ code: 'card_taken', field: 'card', message: 'this card number belongs to another member' });
    else if (member && r.card && member.cardNumber !== r.card) r.problems.push({ code: 'card_taken', field: 'card', message: `the member with this phone has another card (${member.cardNumber})` });
  }
  return planned;
}

function totalsOf(rows: Planned[]): ImportTotals {
  const ok = rows.filter((r) => r.problems.length === 0);
  return {
    rows: rows.length,
    ok: ok.length,
    bad: rows.length - ok.length,
    newMembers: ok.filter((r) => r.memberId === null).length,
    matchedMembers: ok.filter((r) => r.memberId !== null).length,
    points: ok.reduce((s, r) => s + r.points, 0),
  };
}

const outcomeOf = (r: Planned): ImportRowOutcome => ({
  row: r.row,
  status: r.problems.length === 0 ? 'ok' : 'bad',
  action: r.problems.length > 0 ? null : r.memberId === null ? 'create' : 'add_points',
  phone: r.phone,
  name: r.name,
  points: r.points,
  problems: r.problems,
});

function refuse(rows: Planned[]): never {
  const bad = rows.filter((r) => r.problems.length > 0);
  throw new DomainError('import_has_errors', `${bad.length} of ${rows.length} rows cannot be imported; nothing was imported (a dry run lists every one)`, {
    totals: totalsOf(rows),
    rows: bad.slice(0, 100).map(outcomeOf),
  });
}

export interface ImportOptions {
  /** Told the import's id as soon as it is recorded (before its rows are written). */
  importId?: (id: string) => void;
  /** Where new card numbers' digits come from (a test's fixed sequence); cryptographic randomness otherwise. */
  random?: () => number;
}

/** A dry run: what a real run would do with each row; changes nothing. */
export async function importMembers(deps: AppDeps, input: ImportInput & { dryRun: true }): Promise<DryRunReport>;
/** A real run: all rows in one transaction, or nothing (import_has_errors); the same file again replays the first result. */
export async function importMembers(deps: AppDeps, input: ImportInput & { dryRun: false }, o?: ImportOptions): Promise<ImportResult>;
export async function importMembers(deps: AppDeps, input: ImportInput, o: ImportOptions = {}): Promise<DryRunReport | ImportResult> {
  const fileName = String(input.fileName ?? '').trim().slice(0, 200) || 'import';
  if (input.content.length > MAX_IMPORT_BYTES) throw new DomainError('import_unreadable', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it`);
  const { header, rows: raw } = readTable(input.content);
  input.onProgress?.({ done: 0, total: raw.length });
  const now = deps.clock.now();
  const matchExisting = input.matchExisting === true;
  const actor = input.actor ?? SYSTEM;
  const business = await deps.uow.run((repos) => loadBusiness(repos, input.businessId));
  const today = localDateOf(now, business.timezone);
  const expiresOn = checkExpiry(input.expiresOn, today);
  const checked = checkImportRows(header, raw, input.mapping, { region: business.region, today });
  const hash = contentHash(input, expiresOn);

  if (input.dryRun) {
    return deps.uow.run(async (repos) => {
      const planned = await checkAgainstMembers(repos, business, checked, matchExisting, input.onProgress);
      input.onProgress?.({ done: planned.length, total: planned.length });
      const done = await repos.imports.findDone(business.id, hash);
      return { dryRun: true, fileName, columns: header, totals: totalsOf(planned), rows: planned.map(outcomeOf), alreadyImportedAs: done?.id ?? null };
    });
  }
  // Refused with every bad row, the ones only the database knows about too (as the dry run would list them).
  if (checked.some((r) => r.problems.length > 0)) refuse(await deps.uow.run((repos) => checkAgainstMembers(repos, business, checked, matchExisting)));
  const earlier = await deps.uow.run((repos) => repos.imports.findDone(business.id, hash));
  if (earlier?.result) {
    input.onProgress?.({ done: checked.length, total: checked.length });
    return { ...(earlier.result as unknown as ImportResult), replayed: true };
  }

  const importId = deps.newId();
  await deps.uow.run((repos) =>
    repos.imports.insert({ id: importId, businessId: business.id, contentHash: hash, fileName, status: 'running', rowsTotal: checked.length, rowsDone: 0, result: null, error: null, createdBy: `${actor.type}:${actor.id ?? ''}`, createdAt: now, finishedAt: null }),
  );
  o.importId?.(importId);
  try {
    return await deps.uow.run(async (repos) => {
      await repos.imports.lockContent(business.id, hash);
      // Another import of the same file may have finished while this one waited for the lock.
      const first = await repos.imports.findDone(business.id, hash);
      if (first?.result) {
        const result = { ...(first.result as unknown as ImportResult), replayed: true };
        await repos.imports.finish(business.id, importId, { status: 'failed', rowsDone: 0, result: null, error: `the same file was imported as ${first.id}`, at: now });
        input.onProgress?.({ done: checked.length, total: checked.length });
        return result;
      }
      const planned = await checkAgainstMembers(repos, business, checked, matchExisting);
      if (planned.some((r) => r.problems.length > 0)) refuse(planned);
      const lotTimes = expiresOn === null ? { activatesAt: now, expiresAt: lotSchedule(business.program, business.timezone, now).expiresAt } : { activatesAt: now, expiresAt: endOfLocalDay(expiresOn, business.timezone) };
      const reason = `import ${fileName}`.slice(0, 500);
      const context: RowContext = { importId, reason, actor, now, lotTimes, random: o.random ?? cryptoRandom, cards: new Set(planned.flatMap((r) => (r.card ? [r.card] : []))) };
      await lockMatched(repos, business, planned);
      const size = chunkSize(planned.length);
      let done = 0;
      for (let i = 0; i < planned.length; i += size) {
        const chunk = planned.slice(i, i + size);
        await importChunk(repos, deps, business, chunk, context);
        done += chunk.length;
        input.onProgress?.({ done, total: planned.length });
        // Progress goes through a transaction of its own, so it is seen while this one runs (the finish records the last).
        if (done < planned.length) await deps.uow.run((p) => p.imports.progress(business.id, importId, done));
      }
      const result: ImportResult = { dryRun: false, importId, fileName, totals: totalsOf(planned), expiresAt: lotTimes.expiresAt?.toISOString() ?? null, replayed: false };
      await repos.imports.finish(business.id, importId, { status: 'done', rowsDone: done, result: result as unknown as Record<string, unknown>, error: null, at: deps.clock.now() });
      return result;
    });
  } catch (e) {
    const message = e instanceof DomainError ? `${e.code}: ${e.message}` : 'the import failed on our side; nothing was imported';
    await deps.uow.run((repos) => repos.imports.finish(business.id, importId, { status: 'failed', rowsDone: 0, result: null, error: message, at: deps.clock.now() }));
    throw e;
  }
}

interface RowContext {
  importId: string;
  reason: string;
  actor: Actor;
  now: Date;
  lotTimes: { activatesAt: Date; expiresAt: Date | null };
  random: () => number;
  /** Card numbers of this import: the file's and those issued so far (a new one is never one of them). */
  cards: Set<string>;
}

/** Rows per statement: about ten chunks (so progress moves), at least 250 and at most 2,000 rows each. */
const chunkSize = (rows: number) => Math.min(2000, Math.max(250, Math.ceil(rows / 10)));
const LOCK_CHUNK = 5000;

/** Locks every matched member up front, in id order (two imports matching the same members never deadlock). */
async function lockMatched(repos: Repositories, business: Business, rows: Planned[]): Promise<void> {
  const ids = [...new Set(rows.flatMap((r) => (r.memberId === null ? [] : [r.memberId])))].sort();
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += LOCK_CHUNK) for (const id of await repos.members.lockMany(business.id, ids.slice(i, i + LOCK_CHUNK))) found.add(id);
  const gone = rows.find((r) => r.memberId !== null && !found.has(r.memberId));
  if (gone) throw new DomainError('member_not_found', `Row ${gone.row}: the member left while importing`);
}

/**
 * A chunk of rows in a few statements: the new members (no welcome bonus, no welcome message), then each row's points
 * as one lot of its member and the events, in row order, as one row at a time would have written them.
 */
async function importChunk(repos: Repositories, deps: AppDeps, business: Business, rows: Planned[], c: RowContext): Promise<void> {
  const created = await insertMembers(repos, deps, business, rows.filter((r) => r.memberId === null), c);
  const topped = rows.flatMap((r) => (r.memberId !== null && r.points > 0 ? [r.memberId] : []));
  const lotsOf = new Map<string, MemberLot[]>();
  for (const lot of await repos.lots.openMany(business.id, topped)) {
    const lots = lotsOf.get(lot.memberId);
    if (lots) lots.push(lot);
    else lotsOf.set(lot.memberId, [lot]);
  }
  const transactions: NewLedgerTransaction[] = [];
  const events: OutboxEvent[] = [];
  for (const r of rows) {
    const member = created.get(r);
    const memberId = member?.id ?? (r.memberId as string);
    if (member) events.push({ businessId: business.id, type: 'member.created', payload: { member: memberView(member), welcomeBonus: 0, joinedInTelegram: false, imported: true } });
    if (r.points <= 0) continue;
    const lot: NewLot = { id: deps.newId(), amount: r.points, purchaseId: null, ...c.lotTimes };
    const id = deps.newId();
    const balanceAfter = availablePoints([...(member ? [] : (lotsOf.get(memberId) ?? [])), { ...lot, remaining: lot.amount, createdAt: c.now }], c.now);
    transactions.push({
      id, businessId: business.id, memberId, type: 'adjust', points: r.points, balanceAfter, reason: c.reason, actor: c.actor, purchaseId: null, createdAt: c.now,
      newLots: [lot], debits: [], postings: credits([lot], 'issued'), meta: { importId: c.importId, row: r.row, ...(r.externalId ? { externalId: r.externalId } : {}) },
    });
    events.push({ businessId: business.id, type: 'points.adjusted', payload: { memberId, transactionId: id, points: r.points, reason: c.reason, balance: balanceAfter } });
  }
  const inserted = new Set([...created.values()].map((m) => m.id));
  if (transactions.length > 0 || events.length > 0) await repos.ledger.writeMany({ transactions, events, at: c.now, inserted });
}

/** The chunk's new members in one insert; a new card number that turns out taken is drawn again for those rows only. */
async function insertMembers(repos: Repositories, deps: AppDeps, business: Business, rows: Planned[], c: RowContext): Promise<Map<Planned, Member>> {
  const out = new Map<Planned, Member>();
  let pending = rows;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === 8) throw new Error('could not allocate a unique card number');
    const members = pending.map((r): Member => ({
      id: deps.newId(), businessId: business.id, cardNumber: r.card ?? newCard(c), phone: r.phone as string,
      name: r.name, birthday: r.birthday, email: r.email, blocked: false, totalSpent: 0, purchasesCount: 0, telegramUserId: null, telegramUsername: null, vkUserId: null,
      answers: {}, referralCode: null, referredBy: null, referralRewardedAt: null, erasedAt: null, createdAt: c.now,
    }));
    // A new member with points starts at ledger sequence 1, counting the write of their points that follows.
    const outcomes = await repos.members.insertMany(members, { credited: new Set(members.filter((_, i) => (pending[i] as Planned).points > 0).map((m) => m.id)) });
    const again: Planned[] = [];
    pending.forEach((r, i) => {
      if (outcomes[i] === 'ok') out.set(r, members[i] as Member);
      else if (outcomes[i] === 'phone_taken') throw new DomainError('member_exists', `Row ${r.row}: a member with this phone joined while importing`, { row: r.row });
      else if (r.card) throw new DomainError('import_has_errors', `Row ${r.row}: the card number was taken while importing`, { row: r.row });
      else again.push(r);
    });
    pending = again;
  }
  return out;
}

function newCard(c: RowContext): string {
  for (;;) {
    const card = cardNumberFromRandom(c.random);
    if (c.cards.has(card)) continue;
    c.cards.add(card);
    return card;
  }
}

const importView = (r: ImportRecord): ImportView => ({
  id: r.id, fileName: r.fileName, status: r.status, rowsTotal: r.rowsTotal, rowsDone: r.rowsDone,
  result: r.result as unknown as ImportResult | null, error: r.error, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null,
});

/** An import's state and, once done, its result. */
export async function getImport(deps: AppDeps, businessId: string, id: string): Promise<ImportView> {
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, businessId);
    const r = /^[0-9a-f-]{36}$/i.test(id) ? await repos.imports.get(business.id, id) : null;
    if (!r) throw new DomainError('import_not_found', `No import ${id.slice(0, 40)}`);
    return importView(r);
  });
}

/** The latest imports, newest first: the panel polls this for a running import's progress while its POST is open. */
export async function listImports(deps: AppDeps, businessId: string): Promise<ImportView[]> {
  return deps.uow.run(async (repos) => (await repos.imports.recent((await loadBusiness(repos, businessId)).id, 20)).map(importView));
}

