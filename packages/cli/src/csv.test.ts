import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, parseCsv, readLines } from './csv.js';

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('csvCell', () => {
  it('quotes separators, quotes, line breaks and edge spaces only', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
  });

  it('ends rows with CRLF', () => {
    expect(csvRow(['a', 'b,c'])).toBe('a,"b,c"\r\n');
  });
});

describe('parseCsv', () => {
  it('reads quoted cells with escaped quotes and line breaks, and numbers records by their first line', async () => {
    const records = await collect(
      parseCsv(chunks('userName,title\r\nbjensen,"Tour ""Guide"""\r\n"jsmith","multi\nline"\nlast,x')),
    );
    expect(records).toEqual([
      { line: 1, cells: ['userName', 'title'] },
      { line: 2, cells: ['bjensen', 'Tour "Guide"'] },
      { line: 3, cells: ['jsmith', 'multi\nline'] },
      { line: 5, cells: ['last', 'x'] },
    ]);
  });

  it('handles records split across chunks anywhere, a BOM and blank lines', async () => {
    const text = '\ufeffa,b\n\n"x,""y",z\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const records = await collect(parseCsv(chunks(text.slice(0, cut), text.slice(cut))));
      expect(records).toEqual([
        { line: 1, cells: ['a', 'b'] },
        { line: 3, cells: ['x,"y', 'z'] },
      ]);
    }
  });

  it('keeps empty cells', async () => {
    expect(await collect(parseCsv(chunks('a,,c\n,,\n')))).toEqual([
      { line: 1, cells: ['a', '', 'c'] },
      { line: 2, cells: ['', '', ''] },
    ]);
  });

  it('rejects an unclosed quote and text after a closing quote with the line', async () => {
    await expect(collect(parseCsv(chunks('a\n"open')))).rejects.toThrow(
      'line 2: a quoted cell is not closed',
    );
    await expect(collect(parseCsv(chunks('"a"b\n')))).rejects.toThrow(
      'line 1: unexpected "b" after a closing quote',
    );
  });

  it('round-trips what csvRow writes', async () => {
    const rows = [
      ['id', 'note'],
      ['1', 'a "quoted", comma\r\nand line'],
      ['2', ' spaced '],
    ];
    const records = await collect(parseCsv(chunks(rows.map(csvRow).join(''))));
    expect(records.map((record) => record.cells)).toEqual(
      rows.map((row) => row.map((cell) => cell.replace(/\r\n/g, '\n'))),
    );
  });
});

describe('readLines', () => {
  it('numbers lines across chunks and strips CR', async () => {
    expect(await collect(readLines(chunks('{"a":1}\r\n{"b"', ':2}\n\nlast')))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
      { line: 3, text: '' },
      { line: 4, text: 'last' },
    ]);
  });
});
