// A first look at an import file before any mapping is chosen: its columns, its first rows, how many rows it has and
// which column is likely which field. Reads the file exactly as the import does; changes nothing.
import { DomainError, guessMapping, looksLikeHeader, type GuessedMapping } from '../core/index.js';
import type { AppDeps } from './deps.js';
import { MAX_IMPORT_BYTES, readTable } from './imports.js';
import { loadBusiness } from './members.js';

export interface ImportInspectInput {
  businessId: string;
  fileName: string;
  content: Uint8Array;
}

export interface ImportInspection {
  fileName: string;
  /** The header row's cells, as a mapping names them. */
  columns: string[];
  /** The first data rows (blank lines skipped), one text per column. */
  sampleRows: string[][];
  /** Data rows in the file (blank lines not counted), as a dry run counts them. */
  rows: number;
  /** The column of each field recognised from its header; phone may be missing when no header says "phone". */
  guessedMapping: GuessedMapping;
  /** false when the first row looks like a customer rather than column names (the file lacks its header row). */
  looksLikeHeader: boolean;
}

export const SAMPLE_ROWS = 5;
const MAX_CELL = 200;

export async function inspectImport(deps: AppDeps, input: ImportInspectInput): Promise<ImportInspection> {
  const fileName = String(input.fileName ?? '').trim().slice(0, 200) || 'import';
  if (input.content.length > MAX_IMPORT_BYTES) throw new DomainError('import_unreadable', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it`);
  await deps.uow.run((repos) => loadBusiness(repos, input.businessId));
  const { header, rows } = readTable(input.content);
  const data = rows.filter((r) => r.some((c) => c.trim() !== ''));
  const sampleRows = data.slice(0, SAMPLE_ROWS).map((r) => header.map((_, i) => (r[i] ?? '').trim().slice(0, MAX_CELL)));
  return { fileName, columns: header, sampleRows, rows: data.length, guessedMapping: guessMapping(header), looksLikeHeader: looksLikeHeader(header) };
}
