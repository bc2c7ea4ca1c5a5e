import type { Cell, QueryRows } from '../engine/duckdb';
import { displayWidth, graphemes } from './display-width';
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

/**
 * A value in lines at most `width` columns wide: whole, never cut. Lines break between space-separated words;
 * only a word wider than the line (a long ARN) is broken, between graphemes.
 */
export function wrap(value: string, width: number): string[] {
  if (displayWidth(value) <= width) return [value];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  const push = () => {
    lines.push(line);
    line = '';
    used = 0;
  };
  for (const word of value.split(' ')) {
    const w = displayWidth(word);
    if (used > 0 && used + 1 + w <= width) {
      line += ` ${word}`;
      used += 1 + w;
      continue;
    }
    if (used > 0) push();
    if (w <= width) {
      line = word;
      used = w;
      continue;
    }
    for (const g of graphemes(word)) {
      if (used + g.width > width && used > 0) push();
      line += g.text;
      used += g.width;
    }
  }
  if (used > 0 || lines.length === 0) push();
  return lines;
}

/** `text` padded with spaces to `width` columns. */
function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** More lines than this for one value in a table, and the rows are written as blocks instead. */
const MAX_WRAPPED_LINES = 3;

/** A word this long or shorter (an IP address, a time, an operation) is never broken when a column narrows. */
const SHORT_WORD = 40;

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
  const natural = columns.map((c, i) => Math.max(displayWidth(c), ...cells.map((r) => displayWidth(r[i]))));
  // A column narrows down to its header, MIN_COLUMN, and its longest short word, so that IPs and times stay whole.
  const floors = columns.map((c, i) => {
    let word = 0;
    for (const row of cells) {
      for (const w of row[i].split(' ')) {
        const n = displayWidth(w);
        if (n <= SHORT_WORD && n > word) word = n;
      }
    }
    return Math.min(natural[i], Math.max(MIN_COLUMN, displayWidth(c), word));
  });
  const widths = columnWidths(natural, floors, width);
  const total = widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1);
  // A value folded onto many narrow lines is hard to read (and to copy): then blocks read better.
  const folded = () => cells.some((row) => row.some((v, i) => wrap(v, widths[i]).length > MAX_WRAPPED_LINES));
  if (width !== undefined && (total > width || folded())) {
    await writeBlocks(write, columns, cells, width);
  } else {
    const line = (values: string[]) => {
      const wrapped = values.map((v, i) => wrap(v, widths[i]));
      const height = Math.max(...wrapped.map((w) => w.length));
      let out = '';
      for (let l = 0; l < height; l++) {
        out += `${wrapped
          .map((w, i) => pad(w[l] ?? '', widths[i]))
          .join(GAP)
          .trimEnd()}\n`;
      }
      return out;
    };
    await write(line(columns) + line(widths.map((w) => '-'.repeat(w))));
    for (const row of cells) await write(line(row));
  }
  await write(`(${grouped(cells.length)} ${cells.length === 1 ? 'row' : 'rows'})\n`);
  return cells.length;
}

/** Narrowest room for a value beside its label; past that, values go on the lines under the label. */
const MIN_VALUE = 20;

/**
 * Rows too wide for the terminal even with every column at its narrowest: one block per row, a
 * `column: value` line per column, values wrapped to the terminal's width.
 */
async function writeBlocks(
  write: (chunk: string) => Promise<void>,
  columns: string[],
  cells: string[][],
  width: number,
): Promise<void> {
  const label = Math.max(...columns.map((c) => displayWidth(c))) + 2;
  const beside = width - label >= MIN_VALUE;
  for (const [r, row] of cells.entries()) {
    let out = r === 0 ? '' : '\n';
    for (const [i, column] of columns.entries()) {
      if (beside) {
        const lines = wrap(row[i], width - label);
        out += `${pad(`${column}:`, label)}${lines[0]}\n`;
        for (const l of lines.slice(1)) out += `${' '.repeat(label)}${l}\n`;
      } else {
        out += `${column}:\n`;
        for (const l of wrap(row[i], Math.max(1, width - 2))) out += `  ${l}\n`;
      }
    }
    await write(out);
  }
}
