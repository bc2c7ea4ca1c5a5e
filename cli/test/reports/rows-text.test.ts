import type { Cell } from '../../src/engine/duckdb';
import { displayWidth } from '../../src/reports/display-width';
import { columnWidths, wrap, writeRows } from '../../src/reports/rows-text';

async function* rowsOf(rows: Cell[][]): AsyncIterable<Cell[]> {
  yield* rows;
}

async function render(
  rows: Cell[][],
  format: 'table' | 'json',
  width?: number,
  columns = ['requester', 'requests'],
): Promise<string> {
  let out = '';
  await writeRows(
    async (chunk) => {
      out += chunk;
    },
    { columns, rows: rowsOf(rows) },
    format,
    width,
  );
  return out;
}

const LONG = 'arn:aws:sts::111122223333:assumed-role/EMR_EC2_DefaultRole/i-0123456789abcdef0';

describe('writeRows', () => {
  it('prints values whole when there is no terminal width', async () => {
    const out = await render([[LONG, 2]], 'table');
    expect(out.split('\n')[2]).toBe(`${LONG}  2`);
  });

  it('wraps a long value onto more lines to fit the terminal, cutting nothing', async () => {
    const out = await render([[LONG, 2]], 'table', 40);
    const lines = out.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    const cells = lines.slice(2, -1).map((l) => l.slice(0, 30).trimEnd());
    expect(cells.join('')).toBe(LONG);
  });

  it('prints one JSON array, and an empty one for no rows', async () => {
    expect(JSON.parse(await render([[LONG, 2]], 'json'))).toEqual([{ requester: LONG, requests: 2 }]);
    expect(JSON.parse(await render([], 'json'))).toEqual([]);
  });
});

describe('a table in a terminal', () => {
  // Columns of the saved query sigv2-requesters, with values of the shapes it returns.
  const COLUMNS = ['requester', 'requests', 'user_agents', 'remote_ips', 'first_seen', 'last_seen'];
  const ROW: Cell[] = [
    LONG,
    1234,
    'aws-cli/1.16.0 Python/2.7.16 Linux/4.14.77-69.57.amzn1.x86_64 botocore/1.12.0',
    '192.0.2.3, 198.51.100.7, 2001:db8:85a3::8a2e:370:7334',
    '2019-02-06 00:00:38.000',
    '2019-02-07 23:59:59.000',
  ];

  it('turns to one block per row when the columns cannot fit, every line within the width', async () => {
    const out = await render([ROW, ROW], 'table', 60, COLUMNS);
    const lines = out.trimEnd().split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    const blocks = out
      .replace(/\(2 rows\)\n$/, '')
      .trimEnd()
      .split('\n\n');
    expect(blocks).toHaveLength(2);
    // Each value whole: the lines of a column, joined, give it back.
    const values = blocks[0].split(/\n(?=\S)/).map((field) => {
      const [first, ...rest] = field.split('\n');
      const label = first.match(/^\S+:\s+/)?.[0] ?? '';
      return [first.slice(label.length), ...rest.map((l) => l.trim())];
    });
    expect(values.map((v) => v.join('').replace(/\s/g, ''))).toEqual(
      ROW.map((v) => String(v).replace(/\s/g, '')),
    );
    expect(out).toContain('2019-02-06 00:00:38.000');
    expect(out).toMatch(/\b2001:db8:85a3::8a2e:370:7334\b/);
  });

  it('turns to blocks when a value would fold onto more than three lines of a narrowed column', async () => {
    const out = await render([ROW], 'table', 100, COLUMNS);
    expect(out).toMatch(
      /^requester: +arn:aws:sts::111122223333:assumed-role\/EMR_EC2_DefaultRole\/i-0123456789ab/,
    );
    const wide = await render([ROW], 'table', 200, COLUMNS);
    expect(wide.split('\n')[0]).toMatch(/^requester +requests +user_agents/);
  });

  it('keeps a table, with IPs and times whole, when the columns fit wrapped', async () => {
    const columns = ['remote_ip', 'first_seen', 'requests'];
    const out = await render(
      [['198.51.100.7, 192.0.2.3', '2019-02-06 00:00:38.000', 3]],
      'table',
      40,
      columns,
    );
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^remote_ip\s+first_seen\s+requests$/);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(out).toContain('198.51.100.7');
    expect(out).toContain('2019-02-06');
    expect(out).toContain('00:00:38.000');
  });

  it('measures CJK and emoji as two columns, so the columns stay aligned', async () => {
    const out = await render(
      [
        ['東京のユーザー', 1],
        ['user 👍', 22],
        ['plain', 333],
      ],
      'table',
      80,
    );
    const lines = out.trimEnd().split('\n').slice(2, 5);
    const at = lines.map((l) => displayWidth(l.slice(0, l.search(/\d+$/))));
    expect(new Set(at).size).toBe(1);
  });

  it('prints values whole on one line when piped, however wide', async () => {
    const out = await render([ROW], 'table', undefined, COLUMNS);
    expect(out.split('\n')[2]).toContain(`${LONG}  1234`);
    expect(out.split('\n')).toHaveLength(5);
  });
});

describe('wrap', () => {
  it('breaks between words, and a word only when it is wider than the line', () => {
    expect(wrap('192.0.2.3, 198.51.100.7', 15)).toEqual(['192.0.2.3,', '198.51.100.7']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('東京東京東', 4)).toEqual(['東京', '東京', '東']);
  });
});

describe('columnWidths', () => {
  it('takes room from the widest column first, down to its floor', () => {
    expect(columnWidths([50, 10, 30], [12, 10, 12], 70)).toEqual([28, 10, 28]);
    expect(columnWidths([50, 10], [12, 10], 5)).toEqual([12, 10]);
    expect(columnWidths([50, 10], [12, 10])).toEqual([50, 10]);
  });
});
