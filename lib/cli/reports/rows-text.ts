import type { Cell, QueryRows } from '../engine/duckdb';
import { grouped } from './numbers';
import { csvCell } from './record-text';

/** Query results as text: an aligned table for people, CSV, or JSON Lines (one object per row). */
export type RowsFormat = 'table' | 'csv' | 'jsonl';

/** Widest a table column gets; longer values are cut with `…` (the CSV and JSON formats have them whole). */
const MAX_COLUMN = 60;

function text(cell: Cell): string {
  if (cell === null) return '';
  if (Array.isArray(cell)) return cell.map(text).join(', ');
  return String(cell);
}

export async function writeRows(
  write: (chunk: string) => Promise<void>,
  result: QueryRows,
  format: RowsFormat,
): Promise<void> {
  const { columns, rows } = result;
  switch (format) {
    case 'jsonl':
      for await (const row of rows)
        await write(`${JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i]])))}\n`);
      return;
    case 'csv':
      await write(`${columns.map(csvCell).join(',')}\n`);
      for await (const row of rows) {
        await write(
          `${row.map((c) => (c === null ? '' : csvCell(Array.isArray(c) ? JSON.stringify(c) : String(c)))).join(',')}\n`,
        );
      }
      return;
    case 'table':
      return writeTable(write, columns, rows);
    default: {
      const unexpected: never = format;
      throw new Error(`unknown format ${unexpected}`);
    }
  }
}

/** A table needs every row to size its columns, so this one holds the result in memory. */
async function writeTable(
  write: (chunk: string) => Promise<void>,
  columns: string[],
  rows: AsyncIterable<Cell[]>,
) {
  const cells: string[][] = [];
  for await (const row of rows) cells.push(row.map((c) => text(c).replace(/\s/g, ' ')));
  if (cells.length === 0) return write('(no rows)\n');
  const widths = columns.map((c, i) =>
    Math.min(MAX_COLUMN, Math.max(c.length, ...cells.map((r) => r[i].length))),
  );
  const fit = (value: string, i: number) =>
    (value.length > widths[i] ? `${value.slice(0, widths[i] - 1)}…` : value).padEnd(widths[i]);
  const line = (values: string[]) => `${values.map(fit).join('  ').trimEnd()}\n`;
  await write(line(columns) + line(widths.map((w) => '-'.repeat(w))));
  for (const row of cells) await write(line(row));
  await write(`(${grouped(cells.length)} ${cells.length === 1 ? 'row' : 'rows'})\n`);
}
