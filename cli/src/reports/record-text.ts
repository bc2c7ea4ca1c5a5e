import { COLUMN_NAMES, COLUMNS } from 's3-access-logs/log-format';
import { fieldValue } from 's3-access-logs/log-format/split';

/**
 * One split line as output text: a JSON object keyed by column name (numbers for the bigint columns, null for
 * NULL), or a CSV row in column order (NULL as an empty cell, an empty string as `""`). Both are built from
 * the field offsets directly, so a record never exists as an object.
 */

const FIELDS = COLUMNS.length;
const JSON_KEYS = COLUMN_NAMES.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);

export function jsonRecord(buf: Buffer, out: Int32Array): string {
  let text = '';
  for (let i = 0; i < FIELDS; i++) {
    const value = fieldValue(buf, out, i);
    text +=
      JSON_KEYS[i] +
      (value === null ? 'null' : typeof value === 'number' ? String(value) : JSON.stringify(value));
  }
  return `${text}}`;
}

export const CSV_HEADER = `${COLUMN_NAMES.join(',')}\n`;

export function csvRecord(buf: Buffer, out: Int32Array): string {
  let text = '';
  for (let i = 0; i < FIELDS; i++) {
    if (i > 0) text += ',';
    const value = fieldValue(buf, out, i);
    if (value !== null) text += csvCell(String(value));
  }
  return `${text}\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 quoting; the empty string is quoted so it reads back apart from NULL (an empty cell). */
export function csvCell(value: string): string {
  if (value === '') return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
