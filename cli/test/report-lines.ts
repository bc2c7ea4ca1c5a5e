import * as fs from 'node:fs';
import * as path from 'node:path';
import { COLUMN_NAMES } from 's3-access-logs/log-format';
import { fieldOffsets, splitLine } from 's3-access-logs/log-format/split';

/**
 * A month of log for the HTML report's tests, made from two real lines of the elastic-beats fixture (a SigV2
 * and a SigV4 request) with the requester, time, user agent and IP rewritten. Every count is known here, so
 * the tests check the page against numbers that do not come from the code under test.
 */

const FIXTURE = path.join(__dirname, '..', '..', 'test', 'fixtures', 'peer', 'elastic-beats', 'test.log');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The line with some fields replaced (by column name); the rest of the bytes stay as they were. */
export function withFields(
  line: string,
  values: Partial<Record<(typeof COLUMN_NAMES)[number], string>>,
): string {
  const buf = Buffer.from(line);
  const out = fieldOffsets();
  if (!splitLine(buf, 0, buf.length, out)) throw new Error(`not a record: ${line}`);
  const edits = Object.entries(values)
    .map(([name, value]) => ({ field: COLUMN_NAMES.indexOf(name as (typeof COLUMN_NAMES)[number]), value }))
    .sort((a, b) => out[2 * a.field] - out[2 * b.field]);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const { field, value } of edits) {
    if (out[2 * field] < 0) throw new Error(`${COLUMN_NAMES[field]} is NULL in the template`);
    pieces.push(buf.subarray(at, out[2 * field]), Buffer.from(value));
    at = out[2 * field + 1];
  }
  pieces.push(buf.subarray(at));
  return Buffer.concat(pieces).toString();
}

function templates(): { v2: string; v4: string } {
  const lines = fs.readFileSync(FIXTURE, 'utf8').split('\n');
  const v2 = lines.find((l) => l.includes(' SigV2 '));
  const v4 = lines.find((l) => l.includes(' SigV4 '));
  if (v2 === undefined || v4 === undefined) throw new Error(`${FIXTURE} lost its SigV2 or SigV4 line`);
  return { v2, v4 };
}

function requestTime(day: number, second: number): string {
  const d = new Date(Date.UTC(2024, 2, 1 + day, 0, 0, second));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `[${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`;
}

export const REQUESTERS = Array.from(
  { length: 9 },
  (_, i) => `arn:aws:iam::123456789012:user/legacy-app-${i}`,
);
/** A user agent a page must show as text, never run. */
export const HOSTILE_AGENT = '<script>window.__ran = true</script><img src=x onerror="window.__ran = true">';
export const DAYS = 28;
/** No logs at all that day: the chart must show a gap. */
export const MISSING_DAY = 11;

export interface MonthOfLog {
  readonly text: string;
  /** SigV2 requests per requester, over the month. */
  readonly sigv2: Map<string, number>;
  readonly sigv4: number;
}

/**
 * Requester i makes (9 - i) * 4 SigV2 requests a day; the even ones migrate, dropping to none by the end of the
 * month. Every day also has 30 SigV4 requests. Requester 0 sometimes sends the hostile user agent.
 */
export function monthOfLog(): MonthOfLog {
  const { v2, v4 } = templates();
  const lines: string[] = [];
  const sigv2 = new Map<string, number>();
  let sigv4 = 0;
  for (let day = 0; day < DAYS; day++) {
    if (day === MISSING_DAY) continue;
    let second = 0;
    REQUESTERS.forEach((requester, i) => {
      const perDay = (REQUESTERS.length - i) * 4;
      const n = i % 2 === 0 ? Math.round(perDay * Math.max(0, 1 - day / (DAYS - 4))) : perDay;
      for (let k = 0; k < n; k++) {
        const agent = i === 0 && k % 5 === 0 ? HOSTILE_AGENT : `legacy-sdk/1.${i} (app ${i})`;
        lines.push(
          withFields(v2, {
            requester,
            requestdatetime: requestTime(day, second++).slice(1, -1),
            useragent: agent,
            remoteip: `192.0.2.${10 + i + (k % 3)}`,
          }),
        );
      }
      sigv2.set(requester, (sigv2.get(requester) ?? 0) + n);
    });
    for (let k = 0; k < 30; k++) {
      lines.push(withFields(v4, { requestdatetime: requestTime(day, second++).slice(1, -1) }));
      sigv4++;
    }
  }
  lines.push('this line is not a log record');
  return { text: `${lines.join('\n')}\n`, sigv2, sigv4 };
}
