import { AWS_DOCUMENTED_REGEX, COLUMNS, type LogRecord, parseLineWithRegex } from '../../lib/log-format';
import { peerLines } from './peer-lines';

/*
 * AWS_DOCUMENTED_REGEX is the baseline that tests and benchmarks compare the table's regex with, so it must read
 * what AWS's own table reads: on the real lines it matches, every field it captures is the table's value written
 * as AWS's table shows it (`-` and `"-"` as text, quoted fields with their quotes, numbers as digits).
 */
const aws = new RegExp(`^(?:${AWS_DOCUMENTED_REGEX})$`);

/** The real lines (of 1,110) that both regexes read are most of them; so the comparison is not empty. */
const LINES_COMPARED_AT_LEAST = 1_090;

/** What the table reads where AWS's table shows `text`. */
function asTableReads(text: string, type: 'string' | 'bigint'): string | number | null {
  if (text === '-' || text === '"-"') return null;
  if (type === 'bigint') return /^[0-9]{1,15}$/.test(text) ? Number(text) : null;
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

describe('AWS_DOCUMENTED_REGEX', () => {
  it('has one capture group per column, as the 27-column table it was written for', () => {
    const groups = new RegExp(`${AWS_DOCUMENTED_REGEX}|`).exec('')!.length - 1;
    expect(groups).toBe(COLUMNS.length);
  });

  it('reads every field it captures on the real lines as the table does, in the same columns', () => {
    const disagreements: { where: string; column: string; text: string; table: unknown }[] = [];
    let linesCompared = 0;
    for (const line of peerLines()) {
      const match = aws.exec(line.text);
      const ours = parseLineWithRegex(line.text);
      if (match === null || ours === null) continue;
      linesCompared++;
      COLUMNS.forEach((column, i) => {
        const text = match[i + 1];
        if (text === undefined) return; // AWS's regex reads the nine trailing fields all or none
        const table = ours[column.name as keyof LogRecord];
        if (asTableReads(text, column.type) !== table) {
          disagreements.push({ where: `${line.file}:${line.lineNumber}`, column: column.name, text, table });
        }
      });
    }
    expect(disagreements).toEqual([]);
    expect(linesCompared).toBeGreaterThan(LINES_COMPARED_AT_LEAST);
  });
});
