import type { Cell } from '../../../lib/cli/engine/duckdb';
import { columnWidths, writeRows } from '../../../lib/cli/reports/rows-text';

async function* rowsOf(rows: Cell[][]): AsyncIterable<Cell[]> {
  yield* rows;
}

async function render(rows: Cell[][], format: 'table' | 'json', width?: number): Promise<string> {
  let out = '';
  await writeRows(
    async (chunk) => {
      out += chunk;
    },
    { columns: ['requester', 'requests'], rows: rowsOf(rows) },
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

describe('columnWidths', () => {
  it('takes room from the widest column first, down to its floor', () => {
    expect(columnWidths([50, 10, 30], [12, 10, 12], 70)).toEqual([28, 10, 28]);
    expect(columnWidths([50, 10], [12, 10], 5)).toEqual([12, 10]);
    expect(columnWidths([50, 10], [12, 10])).toEqual([50, 10]);
  });
});
