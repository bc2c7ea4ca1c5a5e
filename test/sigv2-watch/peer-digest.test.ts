import type { DuckDBConnection } from '@duckdb/node-api';
import { runDigestQueries } from '../../cli/src/commands/digest';
import { parseLineWithRegex } from '../../lib/log-format';
import { digestDays, parseDay } from '../../lib/sigv2-watch/days';
import { buildDigest } from '../../lib/sigv2-watch/digest';
import { peerLines } from '../log-format/peer-lines';
import { type CompactedTable, openCompactedTable, partitionOf, TABLE } from './compacted-rows';

/*
 * Real log lines written by other projects (test/fixtures/peer, five sources, 2019 to 2022, one +0200 time
 * zone): for every UTC day they cover, the digest's counts equal a plain count of the raw parser's records.
 */

const records = peerLines()
  .map((l) => parseLineWithRegex(l.text))
  .filter((r) => r !== null)
  .map((r) => ({ ...r, day: partitionOf(r.requestdatetime ?? '') }));
const days = [...new Set(records.map((r) => r.day))].sort();

let table: CompactedTable;
let connection: DuckDBConnection;
beforeAll(async () => {
  table = await openCompactedTable(
    peerLines()
      .map((l) => `${l.text}\n`)
      .join(''),
  );
  connection = table.connection;
});
afterAll(() => table.close());

it('covers days with SigV2 requests, and a time zone that moves a request to another UTC day', () => {
  expect(records.filter((r) => r.sigv === 'SigV2').length).toBeGreaterThanOrEqual(5);
  expect(records.some((r) => r.requestdatetime?.endsWith('+0200'))).toBe(true);
  expect(days.length).toBeGreaterThan(3);
});

it('counts records, SigV2 requests and requesters of every day as the raw records hold them', async () => {
  for (const day of days) {
    const date = parseDay(day) as Date;
    const digest = buildDigest({
      day,
      lookbackDays: 30,
      rows: await runDigestQueries(connection, TABLE, digestDays(date, 30)),
    });
    const ofDay = records.filter((r) => r.day === day);
    const sigv2 = ofDay.filter((r) => r.sigv === 'SigV2');
    expect([day, digest.records, digest.sigv2Requests, digest.sigv2Requesters]).toEqual([
      day,
      ofDay.length,
      sigv2.length,
      new Set(sigv2.map((r) => r.requester)).size,
    ]);
    expect(digest.noRecords).toBe(false);
  }
});
