// CSV as spreadsheets write and read it: RFC 4180 quoting, a chosen separator, and formula injection guarded.

export type CsvSeparator = ';' | ',';

/** A cell value as exports produce it: text, a whole number, a decimal already formatted, or nothing. */
export type Cell = string | number | null;

// A plain number (a phone "+79161234567", points "-50") cannot carry a formula, so it is left as it is.
const PLAIN_NUMBER = /^[+-]?\d+([.,]\d+)?$/;

/**
 * Text a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return before one) gets a
 * leading apostrophe, so it stays text (OWASP's advice for CSV injection).
 */
export function guardFormula(text: string): string {
  if (text.length === 0 || PLAIN_NUMBER.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Undoes guardFormula on import (a re-imported export reads as it was). */
export function unguardFormula(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

export function csvCell(value: Cell, separator: CsvSeparator): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : guardFormula(value);
  return text.includes('"') || text.includes(separator) || text.includes('\n') || text.includes('\r') ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[], separator: CsvSeparator): string {
  return `${cells.map((c) => csvCell(c, separator)).join(separator)}\r\n`;
}

/** The separator of a CSV text: whichever of ; , or tab appears most in its first line (outside quotes). */
export function detectSeparator(text: string): string {
  const counts = new Map<string, number>([[';', 0], [',', 0], ['\t', 0]]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ';';
  for (const [sep, n] of counts) if (n > (counts.get(best) ?? 0)) best = sep;
  return best;
}

/** Parses CSV text (a leading BOM is dropped) into rows of cells; quoted cells may hold separators and line breaks. */
export function parseCsv(input: string, separator: string = detectSeparator(input)): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && cell.length === 0) quoted = true;
    else if (ch === separator) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else cell += ch;
    i += 1;
  }
  if (cell.length > 0 || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
