import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { columnsFor, createListWriter, type OutputFormat, parseOutputFormat, writeOne } from './output.js';

const colors = pc.createColors(false);

function sink(columns = 200) {
  const stream = {
    text: '',
    columns,
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

const pageOne = [
  {
    id: '1',
    userName: 'bjensen',
    displayName: 'Barbara, "Babs" Jensen',
    active: true,
    emails: [{ value: 'b@x.com' }],
  },
];
const pageTwo = [{ id: '2', userName: 'jsmith', active: false }];

async function render(format: OutputFormat, pages: object[][]): Promise<string> {
  const stream = sink();
  const writer = createListWriter({
    format,
    columns: columnsFor('users', 'userName,active'),
    stream,
    colors,
  });
  for (const page of pages) await writer.page(page);
  await writer.end();
  return stream.text;
}

describe('createListWriter', () => {
  it('streams JSON Lines, one resource per line', async () => {
    expect(await render('jsonl', [pageOne, pageTwo])).toBe(
      `${JSON.stringify(pageOne[0])}\n${JSON.stringify(pageTwo[0])}\n`,
    );
  });

  it('streams one JSON array over several pages, and [] when empty', async () => {
    expect(JSON.parse(await render('json', [pageOne, pageTwo]))).toEqual([...pageOne, ...pageTwo]);
    expect(await render('json', [])).toBe('[]\n');
  });

  it('writes CSV with one header row and id first', async () => {
    expect(await render('csv', [pageOne, pageTwo])).toBe(
      'id,userName,active\r\n1,bjensen,true\r\n2,jsmith,false\r\n',
    );
    expect(await render('csv', [])).toBe('id,userName,active\r\n');
  });

  it('prints a table header once and keeps column widths across pages', async () => {
    const lines = (await render('table', [pageOne, pageTwo])).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID\s+USERNAME\s+ACTIVE$/);
    expect(lines[1]!.indexOf('bjensen')).toBe(lines[0]!.indexOf('USERNAME'));
    expect(lines[2]!.indexOf('jsmith')).toBe(lines[0]!.indexOf('USERNAME'));
    expect(await render('table', [])).toBe('(no resources)\n');
  });
});

describe('writeOne', () => {
  it('shows one attribute per line in a table', async () => {
    const stream = sink();
    await writeOne(
      { id: '1', name: { givenName: 'B' }, emails: [{ value: 'b@x.com' }] },
      { format: 'table', stream, colors },
    );
    expect(stream.text).toBe('id               1\nname.givenName   B\nemails[0].value  b@x.com\n');
  });
});

describe('parseOutputFormat', () => {
  it('rejects unknown formats with the choices', () => {
    expect(parseOutputFormat('CSV')).toBe('csv');
    expect(() => parseOutputFormat('xml')).toThrow(
      'unknown output format "xml" (expected table, json, jsonl, csv)',
    );
  });
});

describe('terminal safety', () => {
  it('neutralises control characters a hostile server puts into table cells', async () => {
    const stream = sink();
    const writer = createListWriter({
      format: 'table',
      columns: columnsFor('users', 'userName'),
      stream,
      colors,
    });
    await writer.page([{ id: '1', userName: 'evil\u001b[2J\u001b]0;pwned\u0007name\nnext' }]);
    expect(stream.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(stream.text).toContain('evil\ufffd[2J\ufffd]0;pwned\ufffdname next');
  });
});
