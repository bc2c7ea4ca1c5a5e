import * as fs from 'node:fs';
import * as path from 'node:path';
import { prng } from '../../bench/prng';
import { isBucketName } from '../../lib/log-compaction/sql';
import { type LogRecord, parseLineWithRegex } from '../../lib/log-format';
import type { CompactedRow, RawRow } from './local-engine';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Real lines written by other projects (test/fixtures/peer, see its README), every line that is a record. */
export function peerRecords(): LogRecord[] {
  const root = path.join(__dirname, '..', 'fixtures', 'peer');
  const files = [
    'elastic-beats/test.log',
    'elastic-integrations/test-s3-server-access.log',
    'panther/s3_server_access_samples.log',
  ]
    .map((f) => path.join(root, f))
    .concat(fs.readdirSync(path.join(root, 'rotemfogel')).map((f) => path.join(root, 'rotemfogel', f)))
    .concat(
      fs.readdirSync(path.join(root, 'dandi-extraction')).map((f) => path.join(root, 'dandi-extraction', f)),
    );
  return files
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
    .map((line) => parseLineWithRegex(line))
    .filter((r): r is LogRecord => r !== null);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Generated lines over `days` days and `buckets` buckets: SigV2 and SigV4, quotes inside the request URI and
 * user agent, old 18-field lines, a line with every field `-`, numbers that are not numbers, time zones that
 * move a request to the next UTC day. Parsed by the raw parser; bucket and day are where S3 would file them.
 */
export function generatedRows(seed: number, buckets: number, days: number, perDay: number): RawRow[] {
  const rand = prng(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(rand() * values.length)];
  const names = Array.from({ length: buckets }, (_, i) => `bucket-${i}.example-${seed}`);
  const rows: RawRow[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.UTC(2026, 10, 27 + d));
    const day = `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}`;
    for (let i = 0; i < perDay; i++) {
      const bucket = pick(names);
      const hour = Math.floor(rand() * 24);
      // Some lines in +0100: local time an hour ahead, and at 23:xx UTC already the next local day.
      const zone = rand() < 0.1 ? '+0100' : '+0000';
      const localHour = zone === '+0100' ? (hour + 1) % 24 : hour;
      const localDate = zone === '+0100' && hour === 23 ? new Date(date.getTime() + 86_400_000) : date;
      const time = `[${pad(localDate.getUTCDate())}/${MONTHS[localDate.getUTCMonth()]}/${localDate.getUTCFullYear()}:${pad(localHour)}:${pad(Math.floor(rand() * 60))}:${pad(Math.floor(rand() * 60))} ${zone}]`;
      const kind = rand();
      let line: string;
      if (kind < 0.03) {
        line = Array.from({ length: 18 + Math.floor(rand() * 10) }, () => '-').join(' ');
      } else {
        const sigv = pick(['SigV2', 'SigV4', 'SigV4', '-']);
        const uri = rand() < 0.1 ? `"GET /${bucket}/a"b?x="y" HTTP/1.1"` : `"GET /${bucket}/k${i} HTTP/1.1"`;
        const agent =
          rand() < 0.1 ? '"curl/8 "quoted" agent"' : pick(['"aws-cli/1.16"', '"s3cmd/2.0"', '"-"']);
        const status = pick(['200', '404', '-', '2000000000']);
        const total = pick(['12', '-', '12.5', '1e3', '0', '999999999999']);
        const head = [
          'owner1',
          bucket,
          time,
          `192.0.2.${Math.floor(rand() * 255)}`,
          pick(['-', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/bob']),
          `REQ${d}x${i}`,
          'REST.GET.OBJECT',
          `k${i}`,
          uri,
          status,
          pick(['-', 'NoSuchKey']),
          pick(['-', '512', '1234567890123456']),
          pick(['-', '100']),
          total,
          pick(['-', '3', 'x']),
          '"-"',
          agent,
          '-',
        ];
        const tail = [
          'hostid=',
          sigv,
          'ECDHE',
          'AuthHeader',
          `${bucket}.s3.amazonaws.com`,
          'TLSv1.2',
          '-',
          '-',
          '-',
        ];
        line = head.concat(tail.slice(0, pick([0, 2, 9]))).join(' ');
      }
      const record = parseLineWithRegex(line);
      if (record === null) throw new Error(`generated a line that is not a record: ${line}`);
      rows.push({ record, bucket, day });
    }
  }
  return rows;
}

/** Real records, each filed under its own bucket and the UTC day of its request, as S3 files them. */
export function peerRows(): RawRow[] {
  return peerRecords().flatMap((record) => {
    const time = requestTime(record.requestdatetime);
    if (time === null) return [];
    const bucket =
      record.bucket_name !== null && isBucketName(record.bucket_name) ? record.bucket_name : 'unnamed-bucket';
    return [{ record, bucket, day: time.slice(0, 10).replaceAll('-', '/') }];
  });
}

/** `dd/MMM/yyyy:HH:mm:ss Z` as ISO 8601 UTC with milliseconds, or null; worked out without SQL. */
export function requestTime(text: string | null): string | null {
  if (text === null) return null;
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (m === null) return null;
  const month = MONTHS.indexOf(m[2]);
  if (month < 0) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const utc =
    Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset * 60_000;
  return new Date(utc).toISOString();
}

function digits(text: string | null, most: number): number | null {
  return text !== null && new RegExp(`^[0-9]{1,${most}}$`).test(text) ? Number(text) : null;
}

/** What the compacted table must hold for one raw row, worked out from the parser's record alone. */
export function expectedRow(row: RawRow): CompactedRow {
  const r = row.record;
  return {
    ...r,
    httpstatus: digits(r.httpstatus, 9),
    totaltime: digits(r.totaltime, 18),
    turnaroundtime: digits(r.turnaroundtime, 18),
    bucket: row.bucket,
    request_time: requestTime(r.requestdatetime),
    day: row.day,
  };
}

/** Rows as a sorted list of JSON texts: equal lists mean the same records, each as often. */
export function multiset(rows: readonly CompactedRow[]): string[] {
  return rows
    .map((row) =>
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((k) => [k, row[k]]),
      ),
    )
    .sort();
}
