// The contract of /exports and /imports: request and response schemas, registered as OpenAPI components.
import { z } from 'zod';
import type { DryRunReport, ImportResult, ImportView } from '../../app/imports.js';
import type { ImportInspection } from '../../app/inspectImport.js';
import type { WorkProgressView } from '../../app/workProgress.js';
import { requestSchemas, responseSchemas } from '../schemas.js';

const progressId = z.uuid().optional().describe('A UUID the client chooses: the work\'s progress is then readable at GET /progress/{progressId} while this request runs (kept for a day)');

const column = (field: string) => z.string().min(1).max(200).describe(`The header of the column that holds ${field}`);

export const ExportQuery = z.strictObject({
  separator: z.enum([';', ',']).optional().describe('CSV only: the separator, default ";" (what Excel expects in Russian and most European locales; it also makes the decimal mark a comma)'),
  lang: z.enum(['ru', 'en']).optional().describe('Language of the header row and of yes/no, default en'),
  progressId,
});

export const TransactionExportQuery = ExportQuery.extend({
  from: z.string().max(10).optional().describe('First day, YYYY-MM-DD in the business\'s time zone (inclusive); default: the beginning'),
  to: z.string().max(10).optional().describe('Last day, YYYY-MM-DD in the business\'s time zone (inclusive); default: now'),
});

export const ImportMappingSchema = z
  .strictObject({
    phone: column('the phone number (required)'),
    name: column('the name').optional(),
    birthday: column('the birthday (YYYY-MM-DD, DD.MM.YYYY or a spreadsheet date)').optional(),
    email: column('the e-mail address').optional(),
    card: column('a Kopilka card number (10 digits with a check digit); without it new cards are issued').optional(),
    balance: column('the points balance (a whole number ≥ 0; empty = 0)').optional(),
    externalId: column('the other system\'s id of the customer (kept in the ledger\'s import record)').optional(),
  })
  .register(requestSchemas, { id: 'ImportMapping', description: 'Which column of the file is which field; headers match ignoring case and surrounding spaces' });

const contentBase64 = z
  .string()
  .min(1)
  .max(28_000_000)
  .regex(/^[A-Za-z0-9+/=_\s-]+$/, 'must be base64')
  .describe('The file\'s bytes in base64: CSV (UTF-8 or Windows-1251, separator ; , or tab found from the header) or XLSX (the first sheet); at most 20 MB');

export const ImportCreate = z
  .strictObject({
    fileName: z.string().min(1).max(200).describe('Shown in the import\'s reason ("import <file name>")'),
    contentBase64,
    mapping: ImportMappingSchema,
    expiresOn: z.string().max(10).nullable().describe('The last day (YYYY-MM-DD, the business\'s time zone) imported points may be used; null: the program\'s points lifetime from today'),
    dryRun: z.boolean().describe('true: check every row and change nothing'),
    matchExisting: z.boolean().optional().describe('A phone that is already a member adds its points to that member (default false: such a row is bad)'),
    progressId,
  })
  .register(requestSchemas, { id: 'ImportCreate' });

const fileName = z.string().min(1).max(200).describe('The file\'s name (CSV or XLSX is told from its bytes, not its name)');

export const ImportInspectRequest = z
  .strictObject({ fileName, contentBase64 })
  .register(requestSchemas, { id: 'ImportInspectRequest' });

const guessed = (field: string) => z.string().optional().describe(`The column that likely holds ${field}`);

export const ImportInspectionSchema = z
  .object({
    fileName: z.string(),
    columns: z.array(z.string()).describe('The header row: the names a mapping chooses from'),
    sampleRows: z.array(z.array(z.string())).describe('The first 5 data rows (blank lines skipped), one text per column'),
    rows: z.number().int().describe('Data rows in the file, blank lines not counted'),
    guessedMapping: z
      .object({
        phone: guessed('the phone (only a column whose header says so)'),
        name: guessed('the name'),
        birthday: guessed('the birthday'),
        email: guessed('the e-mail address'),
        card: guessed('a card number'),
        balance: guessed('the points balance'),
        externalId: guessed('the other system\'s id'),
      })
      .describe('The columns recognised from their headers (Russian and English: "Телефон", "ФИО", "Контрагент", "Бонусы", "Номер карты", "Код"…; case, punctuation, ё/е and spaces ignored), never one column twice; a field not recognised is left out'),
    looksLikeHeader: z.boolean().describe('false when the first row looks like data (a phone, a number, a date, an e-mail) rather than column names: the file probably lacks its header row'),
  })
  .register(responseSchemas, { id: 'ImportInspection' });

const Problem = z.object({
  code: z.enum(['phone_missing', 'phone_invalid', 'phone_duplicate', 'member_exists', 'member_blocked', 'card_invalid', 'card_duplicate', 'card_taken', 'balance_invalid', 'birthday_invalid', 'email_invalid', 'name_too_long', 'external_id_duplicate']),
  field: z.enum(['phone', 'name', 'birthday', 'email', 'card', 'balance', 'externalId']),
  message: z.string(),
});

const Totals = z.object({
  rows: z.number().int(),
  ok: z.number().int(),
  bad: z.number().int(),
  newMembers: z.number().int(),
  matchedMembers: z.number().int(),
  points: z.number().int(),
});

const RowOutcome = z.object({
  row: z.number().int().describe('The row number as a spreadsheet shows it (the header is row 1)'),
  status: z.enum(['ok', 'bad']),
  action: z.enum(['create', 'add_points']).nullable(),
  phone: z.string().nullable(),
  name: z.string().nullable(),
  points: z.number().int(),
  problems: z.array(Problem),
});

export const DryRunSchema = z
  .object({
    dryRun: z.literal(true),
    fileName: z.string(),
    columns: z.array(z.string()),
    totals: Totals,
    rows: z.array(RowOutcome).describe('Every row, in file order'),
    alreadyImportedAs: z.string().nullable().describe('The import that already brought in this same file this same way (a real run would add nothing)'),
  })
  .register(responseSchemas, { id: 'ImportDryRun' });

export const ImportResultSchema = z
  .object({
    dryRun: z.literal(false),
    importId: z.string(),
    fileName: z.string(),
    totals: Totals,
    expiresAt: z.string().nullable().describe('When the imported points expire (null: never)'),
    replayed: z.boolean().describe('The same file was imported before: its first result, and nothing was added now'),
  })
  .register(responseSchemas, { id: 'ImportResult' });

export const ImportSchema = z
  .object({
    id: z.string(),
    fileName: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    rowsTotal: z.number().int(),
    rowsDone: z.number().int(),
    result: ImportResultSchema.nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .register(responseSchemas, { id: 'Import' });

export const WorkProgressSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['import', 'import_dry_run', 'export_members', 'export_transactions']),
    state: z.enum(['running', 'done', 'failed']),
    done: z.number().int().describe('Rows done so far'),
    total: z.number().int().nullable().describe('Rows in all, once known'),
    bytes: z.number().int().describe('Bytes of the file written so far (exports; 0 for imports)'),
    error: z.string().nullable().describe('Why the work failed (state failed)'),
    startedAt: z.string(),
    updatedAt: z.string().describe('When the progress last moved; written at most every half second'),
  })
  .register(responseSchemas, { id: 'WorkProgress' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const proofs: [Same<z.output<typeof DryRunSchema>, DryRunReport>, Same<z.output<typeof ImportResultSchema>, ImportResult>, Same<z.output<typeof ImportSchema>, ImportView>, Same<z.output<typeof WorkProgressSchema>, WorkProgressView>, Same<z.output<typeof ImportInspectionSchema>, ImportInspection>] = [true, true, true, true, true];
void proofs;
