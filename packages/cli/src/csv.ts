/**
 * RFC 4180 CSV: a cell encoder and a streaming record parser that remembers the line each
 * record started on (import's state and error files refer to those line numbers).
 */

/** One parsed CSV record: its cells and the 1-based line it started on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** Quotes a cell when it holds a separator, a quote, a line break or edge spaces. */
export function csvCell(value: string): string {
  if (/[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** One CSV line (with its CRLF terminator, as RFC 4180 says). */
export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Bounds hostile input: a cell longer than this is a usage error, not an out-of-memory. */
const MAX_CELL = 1_000_000;

/**
 * Parses CSV text arriving in chunks. Handles quoted cells with `""` escapes and embedded
 * line breaks, CRLF and LF, a UTF-8 BOM, and skips blank lines.
 */
export async function* parseCsv(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  let cell = '';
  let cells: string[] = [];
  let quoted = false; // inside a quoted cell
  let afterQuote = false; // just saw the closing quote of a cell
  let pendingQuote = false; // saw a quote inside a quoted cell: escape or end?
  let line = 1;
  let recordLine = 1;
  let first = true;
  let sawCR = false;
  let touched = false; // the current record has any content

  const endRecord = (): CsvRecord | undefined => {
    cells.push(cell);
    const record = touched ? { line: recordLine, cells } : undefined;
    cell = '';
    cells = [];
    touched = false;
    afterQuote = false;
    return record;
  };

  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    for (let index = 0; index < text.length; index++) {
      const char = text[index]!;
      if (sawCR) {
        sawCR = false;
        if (char === '\n') continue;
      }
      if (pendingQuote) {
        pendingQuote = false;
        if (char === '"') {
          cell += '"';
          continue;
        }
        quoted = false;
        afterQuote = true;
      }
      if (quoted) {
        if (char === '"') pendingQuote = true;
        else {
          if (char === '\n' || char === '\r') {
            line++;
            if (char === '\r') sawCR = true;
          }
          cell += char === '\r' ? '\n' : char;
        }
        if (cell.length > MAX_CELL)
          throw new Error(`line ${recordLine}: a cell is longer than ${MAX_CELL} characters`);
        continue;
      }
      if (char === ',') {
        cells.push(cell);
        cell = '';
        afterQuote = false;
        touched = true;
      } else if (char === '\n' || char === '\r') {
        if (char === '\r') sawCR = true;
        const record = endRecord();
        if (record) yield record;
        line++;
        recordLine = line;
      } else if (char === '"' && cell === '' && !afterQuote) {
        quoted = true;
        touched = true;
      } else {
        if (afterQuote) throw new Error(`line ${line}: unexpected "${char}" after a closing quote`);
        cell += char;
        touched = true;
        if (cell.length > MAX_CELL)
          throw new Error(`line ${recordLine}: a cell is longer than ${MAX_CELL} characters`);
      }
    }
  }
  if (pendingQuote) {
    quoted = false;
  }
  if (quoted) throw new Error(`line ${recordLine}: a quoted cell is not closed`);
  const record = endRecord();
  if (record) yield record;
}

/** Splits text arriving in chunks into lines, numbered from 1 (for JSON Lines). */
export async function* readLines(
  chunks: AsyncIterable<string | Buffer>,
): AsyncGenerator<{ line: number; text: string }> {
  let rest = '';
  let line = 0;
  let first = true;
  for await (const chunk of chunks) {
    let text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', start)) {
      line++;
      yield { line, text: text.slice(start, index).replace(/\r$/, '') };
      start = index + 1;
    }
    rest = text.slice(start);
    if (rest.length > MAX_CELL * 10)
      throw new Error(`line ${line + 1} is longer than ${MAX_CELL * 10} characters`);
  }
  if (rest.length > 0) yield { line: line + 1, text: rest.replace(/\r$/, '') };
}
