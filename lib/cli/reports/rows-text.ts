import type { Cell, QueryRows } from '../engine/duckdb';
import { grouped } from './numbers';
import { csvCell } from './record-text';

/**
 * Query results as text: an aligned table for people, one JSON array, JSON Lines (one object per row), or CSV.
 * No format cuts a value: three roles that differ only after the 60th character are three different rows.
 */
export type RowsFormat = 'table' | 'json' | 'jsonl' | 'csv';

/** Narrowest a column is squeezed to when a table is wrapped to the terminal. */
const MIN_COLUMN = 12;
const GAP = '  ';

function text(cell: Cell): string {
  if (cell === null) return '';
  if (Array.isArray(cell)) return cell.map(text).join(', ');
  return String(cell);
}

/**
 * Writes the rows and returns how many there were. `width` is the terminal's width: a table wider than that
 * wraps its widest columns onto more lines; with no terminal (piped) the table is as wide as its values.
 */
export async function writeRows(
  write: (chunk: string) => Promise<void>,
  result: QueryRows,
  format: RowsFormat,
  width?: number,
): Promise<number> {
  const { columns, rows } = result;
  const object = (row: Cell[]) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i]])));
  let count = 0;
  switch (format) {
    case 'jsonl':
      for await (const row of rows) {
        count++;
        await write(`${object(row)}\n`);
      }
      return count;
    case 'json':
      for await (const row of rows) await write(`${count++ === 0 ? '[\n' : ',\n'}${object(row)}`);
      await write(count === 0 ? '[]\n' : '\n]\n');
      return count;
    case 'csv':
      await write(`${columns.map(csvCell).join(',')}\n`);
      for await (const row of rows) {
        count++;
        await write(
          `${row.map((c) => (c === null ? '' : csvCell(Array.isArray(c) ? JSON.stringify(c) : String(c)))).join(',')}\n`,
        );
      }
      return count;
    case 'table':
      return writeTable(write, columns, rows, width);
    default: {
      const unexpected: never = format;
      throw new Error(`unknown format ${unexpected}`);
    }
  }
}

/**
 * Column widths: each as wide as its widest value; when `width` is given and the table is wider, the widest
 * columns give up room first, down to MIN_COLUMN (or their header), and their values wrap.
 */
export function columnWidths(
  natural: readonly number[],
  floors: readonly number[],
  width?: number,
): number[] {
  const widths = [...natural];
  if (width === undefined) return widths;
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1);
  while (total() > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i] > floors[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
    }
    if (widest < 0) break; // every column at its floor: wider than the terminal, but nothing is cut
    widths[widest]--;
  }
  return widths;
}

/** A value in lines of at most `width` characters: whole, never cut. */
function wrap(value: string, width: number): string[] {
  if (value.length <= width) return [value];
  const lines: string[] = [];
  for (let i = 0; i < value.length; i += width) lines.push(value.slice(i, i + width));
  return lines;
}

/** A table needs every row to size its columns, so this one holds the result in memory. */
async function writeTable(
  write: (chunk: string) => Promise<void>,
  columns: string[],
  rows: AsyncIterable<Cell[]>,
  width?: number,
): Promise<number> {
  const cells: string[][] = [];
  for await (const row of rows) cells.push(row.map((c) => text(c).replace(/\s/g, ' ')));
  if (cells.length === 0) {
    await write('(no rows)\n');
    return 0;
  }
  const natural = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const widths = columnWidths(
    natural,
    columns.map((c, i) => Math.min(natural[i], Math.max(MIN_COLUMN, c.length))),
    width,
  );
  const line = (values: string[]) => {
    const wrapped = values.map((v, i) => wrap(v, widths[i]));
    const height = Math.max(...wrapped.map((w) => w.length));
    let out = '';
    for (let l = 0; l < height; l++) {
      out += `${wrapped
        .map((w, i) => (w[l] ?? '').padEnd(widths[i]))
        .join(GAP)
        .trimEnd()}\n`;
    }
    return out;
  };
  await write(line(columns) + line(widths.map((w) => '-'.repeat(w))));
  for (const row of cells) await write(line(row));
  await write(`(${grouped(cells.length)} ${cells.length === 1 ? 'row' : 'rows'})\n`);
  return cells.length;
}
