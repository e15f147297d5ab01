// Members and transactions as CSV or XLSX, streamed from a database cursor to the caller as rows come.
import {
  chooseChannel,
  csvLine,
  endOfLocalDay,
  invalid,
  isIsoDate,
  startOfLocalDay,
  tierFor,
  tierWindowStart,
  type Business,
  type Cell,
  type Channel,
  type CsvSeparator,
  type MemberExportRow,
  type Repositories,
  type TransactionExportRow,
} from '../core/index.js';
import type { AppDeps } from './deps.js';
import { loadBusiness } from './members.js';
import { writeXlsx, type ByteSink, type XlsxCell } from './spreadsheet.js';
import type { OnWorkProgress } from './workProgress.js';

export type { ByteSink } from './spreadsheet.js';
export type ExportFormat = 'csv' | 'xlsx';
export type ExportLang = 'ru' | 'en';

export interface ExportOptions {
  businessId: string;
  format: ExportFormat;
  /** CSV only. ';' (the default) is what Excel expects in Russian and most European locales; ',' elsewhere. */
  separator?: CsvSeparator;
  /** The language of the header row and of yes/no. */
  lang?: ExportLang;
  /** Rows and bytes written so far, of how many rows in all (counted before the first row). */
  onProgress?: OnWorkProgress;
}

const MEMBER_HEADERS: Record<ExportLang, string[]> = {
  en: ['Card', 'Phone', 'Name', 'Birthday', 'E-mail', 'Balance', 'Pending', 'Total spent', 'Purchases', 'Tier', 'Created', 'Marketing consent', 'Channel'],
  ru: ['Карта', 'Телефон', 'Имя', 'День рождения', 'E-mail', 'Баланс', 'Ожидают начисления', 'Сумма покупок', 'Покупок', 'Уровень', 'Создан', 'Согласие на рассылки', 'Канал'],
};
const TRANSACTION_HEADERS: Record<ExportLang, string[]> = {
  en: ['Date', 'Card', 'Type', 'Points', 'Balance after', 'Reason', 'Who', 'Purchase id'],
  ru: ['Дата', 'Карта', 'Тип', 'Баллы', 'Баланс после', 'Причина', 'Кто', 'Покупка'],
};
const YES_NO: Record<ExportLang, [string, string]> = { en: ['yes', 'no'], ru: ['да', 'нет'] };

/** A cell before it is written: dates stay dates until the format decides how to show them. */
type Value = string | number | null | { dateTime: Date } | { date: string } | { money: number };

/** The wall-clock time of instants in a zone, with the zone's offset cached per quarter hour (offsets change on those). */
function wallClockIn(timeZone: string): (at: Date) => Date {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const offsets = new Map<number, number>();
  return (at) => {
    const t = at.getTime();
    const bucket = Math.floor(t / 900_000);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const p: Record<string, number> = {};
      for (const x of f.formatToParts(new Date(bucket * 900_000))) if (x.type !== 'literal') p[x.type] = Number(x.value);
      offset = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0) - bucket * 900_000;
      if (offsets.size > 10_000) offsets.clear();
      offsets.set(bucket, offset);
    }
    return new Date(t + offset);
  };
}

const minorDigits = (currency: string): number => {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
};

/** The shape of each written value, per format. */
function formatter(business: Business, o: ExportOptions) {
  const digits = minorDigits(business.currency);
  const decimalComma = o.format === 'csv' && (o.separator ?? ';') === ';';
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const text = (d: Date) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const money = (minor: number) => {
    const s = (minor / 10 ** digits).toFixed(digits);
    return decimalComma ? s.replace('.', ',') : s;
  };
  return {
    csv: (v: Value): Cell => (v === null || typeof v !== 'object' ? v : 'dateTime' in v ? text(v.dateTime) : 'date' in v ? v.date : money(v.money)),
    xlsx: (v: Value): XlsxCell => (v !== null && typeof v === 'object' && 'money' in v ? v.money / 10 ** digits : v),
  };
}

/** Writes the rows in the chosen format; CSV starts with a BOM so Excel reads it as UTF-8. */
async function writeTable(out: ByteSink, o: ExportOptions, business: Business, sheet: string, header: string[], rows: AsyncIterable<Value[]>, total: number | null): Promise<number> {
  const f = formatter(business, o);
  const progress = o.onProgress;
  let bytes = 0;
  let read = 0;
  const sink: ByteSink = progress
    ? {
        async write(chunk) {
          await out.write(chunk);
          bytes += chunk.length;
          progress({ done: read, total: total === null ? null : Math.max(total, read), bytes });
        },
      }
    : out;
  // Rows as the format takes them, counted (the count is what has been read into the file so far).
  const counted = async function* () {
    for await (const r of rows) {
      read += 1;
      yield r;
    }
  };
  if (o.format === 'xlsx') {
    const n = await writeXlsx(sink, sheet, header, (async function* () {
      for await (const r of counted()) yield r.map(f.xlsx);
    })());
    progress?.({ done: n, total: n, bytes });
    return n;
  }
  const separator = o.separator ?? ';';
  const encoder = new TextEncoder();
  let buffer = `\ufeff${csvLine(header, separator)}`;
  let count = 0;
  for await (const r of counted()) {
    buffer += csvLine(r.map(f.csv), separator);
    count += 1;
    if (buffer.length >= 64 * 1024) {
      await sink.write(encoder.encode(buffer));
      buffer = '';
    }
  }
  await sink.write(encoder.encode(buffer));
  progress?.({ done: count, total: count, bytes });
  return count;
}

/** Channels the business can send through now: Telegram with a live customer bot, and its VK, SMS, e-mail set-ups. */
async function configuredChannels(repos: Repositories, businessId: string): Promise<Channel[]> {
  const bots = await repos.bots.live(businessId);
  const stored = await repos.notificationChannels.list(businessId);
  return [...(bots.some((b) => b.role === 'customer') ? (['telegram'] as Channel[]) : []), ...stored.map((s) => s.channel as Channel)];
}

const reachOf = (m: MemberExportRow) => {
  const addresses: Partial<Record<Channel, string>> = {};
  if (m.telegramUserId !== null) addresses.telegram = String(m.telegramUserId);
  if (m.vkUserId !== null) addresses.vk = String(m.vkUserId);
  if (m.phone) addresses.sms = m.phone;
  if (m.email) addresses.email = m.email;
  return { addresses, dead: m.deadChannels as Channel[] };
};

/** Every member of the business with balance, spend, tier, consent and the channel messages reach them on. */
export async function exportMembers(deps: AppDeps, o: ExportOptions, sink: ByteSink): Promise<{ rows: number }> {
  const now = deps.clock.now();
  const lang = o.lang ?? 'en';
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, o.businessId);
    const configured = await configuredChannels(repos, business.id);
    const local = wallClockIn(business.timezone);
    const [yes, no] = YES_NO[lang];
    const program = business.program;
    const total = o.onProgress ? await repos.exports.countMembers(business.id) : null;
    o.onProgress?.({ done: 0, total, bytes: 0 });
    const rows = (async function* (): AsyncIterable<Value[]> {
      for await (const m of repos.exports.members(business.id, now, tierWindowStart(program, now))) {
        yield [
          m.cardNumber,
          m.phone || null,
          m.name,
          m.birthday === null ? null : { date: m.birthday },
          m.email,
          m.available,
          m.pending,
          { money: m.totalSpent },
          m.purchasesCount,
          tierFor(program, m.tierSpend)?.name ?? null,
          { dateTime: local(m.createdAt) },
          m.marketingConsent === null ? null : m.marketingConsent ? yes : no,
          m.blocked ? null : chooseChannel(program.notifications.channelOrder, configured, reachOf(m)),
        ];
      }
    })();
    return { rows: await writeTable(sink, o, business, lang === 'ru' ? 'Клиенты' : 'Members', MEMBER_HEADERS[lang], rows, total) };
  });
}

export interface TransactionExportOptions extends ExportOptions {
  /** First and last local dates (YYYY-MM-DD, inclusive, in the business's time zone); absent: from the start, to now. */
  from?: string | undefined;
  to?: string | undefined;
}

const who = (t: TransactionExportRow) => (t.actorName !== null ? `${t.actorType}: ${t.actorName}` : t.actorId !== null && t.actorType !== 'member' ? `${t.actorType}: ${t.actorId}` : t.actorType);

/** The business's ledger transactions in a period, oldest first, with dates in the business's time zone. */
/** Refuses a bad period before anything is sent (once streaming starts, the answer's status is already 200). */
export function checkPeriod(o: { from?: string | undefined; to?: string | undefined }): void {
  for (const k of ['from', 'to'] as const) {
    const v = o[k];
    if (v !== undefined && !isIsoDate(v)) throw invalid(`${k} must be a date as YYYY-MM-DD`, { field: k });
  }
  if (o.from !== undefined && o.to !== undefined && o.from > o.to) throw invalid('from must not be after to', { field: 'from' });
}

export async function exportTransactions(deps: AppDeps, o: TransactionExportOptions, sink: ByteSink): Promise<{ rows: number }> {
  checkPeriod(o);
  const lang = o.lang ?? 'en';
  return deps.uow.run(async (repos) => {
    const business = await loadBusiness(repos, o.businessId);
    const from = o.from === undefined ? new Date(0) : startOfLocalDay(o.from, business.timezone);
    const to = o.to === undefined ? new Date(deps.clock.now().getTime() + 1) : endOfLocalDay(o.to, business.timezone);
    const local = wallClockIn(business.timezone);
    const total = o.onProgress ? await repos.exports.countTransactions(business.id, from, to) : null;
    o.onProgress?.({ done: 0, total, bytes: 0 });
    const rows = (async function* (): AsyncIterable<Value[]> {
      for await (const t of repos.exports.transactions(business.id, from, to)) {
        yield [{ dateTime: local(t.createdAt) }, t.cardNumber, t.type, t.points, t.balanceAfter, t.reason, who(t), t.purchaseId];
      }
    })();
    return { rows: await writeTable(sink, o, business, lang === 'ru' ? 'Операции' : 'Transactions', TRANSACTION_HEADERS[lang], rows, total) };
  });
}
