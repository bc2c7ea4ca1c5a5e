import type { DuckDBConnection } from '@duckdb/node-api';
import { runDigestQueries } from '../../cli/src/commands/digest';
import { digestDays, parseDay } from '../../lib/sigv2-watch/days';
import { buildDigest, type Sigv2Digest } from '../../lib/sigv2-watch/digest';
import { digestSubject, digestText } from '../../lib/sigv2-watch/message';
import { digestMetrics } from '../../lib/sigv2-watch/metrics';
import { type CompactedTable, openCompactedTable, TABLE } from './compacted-rows';
import {
  BOUNDARY,
  DIGEST_DAY,
  EMPTY_DAY,
  FRESH,
  GONE,
  MANY_IPS,
  MIDNIGHT,
  RETURNING,
  STEADY,
  scenarioLogsByDay,
} from './scenario';

/*
 * The digest SQL on DuckDB over six weeks of generated logs in the compacted table's shape. Every expected
 * value is counted by hand from the scenario (scenario.ts says who does what).
 */

let table: CompactedTable;
let connection: DuckDBConnection;
beforeAll(async () => {
  table = await openCompactedTable([...scenarioLogsByDay().values()].join(''));
  connection = table.connection;
});
afterAll(() => table.close());

async function digestOf(day: string, lookbackDays = 30): Promise<Sigv2Digest> {
  const date = parseDay(day) as Date;
  const rows = await runDigestQueries(connection, TABLE, digestDays(date, lookbackDays));
  return buildDigest({ day, lookbackDays, rows });
}

describe('the digest of a day with SigV2 traffic', () => {
  let digest: Sigv2Digest;
  beforeAll(async () => {
    digest = await digestOf(DIGEST_DAY);
  });

  it('counts the records of the day, SigV2 or not, and the SigV2 requests and requesters', () => {
    // SigV2: steady 2, fresh 3, returning 1, boundary 1, many-ips 10; plus 5 SigV4 and 2 anonymous.
    expect(digest).toMatchObject({
      day: DIGEST_DAY,
      records: 24,
      noRecords: false,
      sigv2Requests: 17,
      sigv2Requesters: 5,
      lookbackDays: 30,
      // 2026-10-30 to 2026-11-28, less the empty 2026-11-15.
      historyDays: 29,
    });
  });

  it('calls new only the requesters with no SigV2 request in the 30 days before', () => {
    expect(digest.requesters.filter((r) => r.isNew).map((r) => r.requester)).toEqual([
      MANY_IPS,
      FRESH,
      RETURNING,
    ]);
    expect(digest.newSigv2Requesters).toBe(3);
  });

  it('lists requesters by requests, and reads first and last seen within the window, not past the day', () => {
    expect(digest.requesters.map((r) => [r.requester, r.requests, r.firstSeen, r.lastSeen])).toEqual([
      [MANY_IPS, 10, '2026-11-29T14:00:00Z', '2026-11-29T14:00:09Z'],
      [FRESH, 3, '2026-11-29T01:00:00Z', '2026-11-29T03:00:00Z'],
      [STEADY, 2, '2026-10-30T08:00:00Z', '2026-11-29T20:00:00Z'],
      [BOUNDARY, 1, '2026-10-30T00:00:00Z', '2026-11-29T23:59:59Z'],
      [RETURNING, 1, '2026-11-29T12:00:00Z', '2026-11-29T12:00:00Z'],
    ]);
  });

  it('breaks a requester down by user agent, source IP, bucket, operation and auth type', () => {
    const fresh = digest.requesters.find((r) => r.requester === FRESH);
    expect(fresh?.facets).toEqual({
      userAgents: {
        distinct: 2,
        top: [
          {
            value:
              'aws-sdk-java/1.11.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/25.372-b07 java/1.8.0_372, vendor/Amazon',
            requests: 2,
          },
          { value: 'Boto/2.49.0 Python/2.7.18', requests: 1 },
        ],
      },
      sourceIps: {
        distinct: 2,
        top: [
          { value: '198.51.100.7', requests: 2 },
          { value: '198.51.100.8', requests: 1 },
        ],
      },
      buckets: { distinct: 1, top: [{ value: 'photos', requests: 3 }] },
      operations: {
        distinct: 2,
        top: [
          { value: 'REST.GET.OBJECT', requests: 2 },
          { value: 'REST.PUT.OBJECT', requests: 1 },
        ],
      },
      authTypes: {
        distinct: 2,
        top: [
          { value: 'QueryString', requests: 2 },
          { value: 'AuthHeader', requests: 1 },
        ],
      },
    });
  });

  it('keeps the five most frequent values of a facet and says how many there were', () => {
    const many = digest.requesters.find((r) => r.requester === MANY_IPS);
    expect(many?.facets.sourceIps).toEqual({
      distinct: 7,
      top: [
        { value: '192.0.2.1', requests: 3 },
        { value: '192.0.2.2', requests: 2 },
        { value: '192.0.2.3', requests: 1 },
        { value: '192.0.2.4', requests: 1 },
        { value: '192.0.2.5', requests: 1 },
      ],
    });
  });

  it('lists what disappeared: SigV2 in the lookback, none on the day (the second before midnight counts)', () => {
    expect(digest.disappeared).toEqual([
      { requester: GONE, lookbackRequests: 5, lastSeen: '2026-11-24T06:00:00Z' },
      { requester: MIDNIGHT, lookbackRequests: 1, lastSeen: '2026-11-28T23:59:59Z' },
    ]);
  });

  it('builds the metrics from the digest, timestamped with the day it describes', () => {
    expect(digestMetrics(digest)).toEqual([
      { MetricName: 'SigV2Requests', Timestamp: new Date('2026-11-29T00:00:00Z'), Value: 17, Unit: 'Count' },
      { MetricName: 'SigV2Requesters', Timestamp: new Date('2026-11-29T00:00:00Z'), Value: 5, Unit: 'Count' },
      {
        MetricName: 'NewSigV2Requesters',
        Timestamp: new Date('2026-11-29T00:00:00Z'),
        Value: 3,
        Unit: 'Count',
      },
      { MetricName: 'Records', Timestamp: new Date('2026-11-29T00:00:00Z'), Value: 24, Unit: 'Count' },
    ]);
  });

  it('builds the message from the digest: the numbers, what is new, the breakdown and what is gone', () => {
    const text = digestText(digest, { detailsSql: 'SELECT 1', detailsWhere: 'Athena workgroup w' });
    expect(digestSubject(digest)).toBe('SigV2 digest 2026-11-29: 17 requests from 5 requesters, 3 new');
    expect(text).toContain('Log records read: 24.');
    expect(text).toContain(
      `NEW SigV2 requesters:\n  ${MANY_IPS}: 10 requests, first seen 2026-11-29T14:00:00Z`,
    );
    expect(text).toContain(`  2. ${FRESH}: 3 requests (NEW)`);
    expect(text).toContain('auth: presigned URL (2), header (1)');
    expect(text).toContain(
      'source IPs: 192.0.2.1 (3), 192.0.2.2 (2), 192.0.2.3 (1), 192.0.2.4 (1), 192.0.2.5 (1), and 2 more',
    );
    expect(text).toContain(`  ${GONE}: 5 requests before, last seen 2026-11-24T06:00:00Z`);
    expect(text).toContain("The day's SigV2 requests (Athena workgroup w):\n  SELECT 1");
    expect(text).toContain('The table holds 29 days of the previous 30');
  });
});

describe('the lookback window', () => {
  it('counts a requester seen 31 days before as new with 30 days of lookback, not with 31', async () => {
    const thirty = await digestOf(DIGEST_DAY, 30);
    const thirtyOne = await digestOf(DIGEST_DAY, 31);
    const returning = (d: Sigv2Digest) => d.requesters.find((r) => r.requester === RETURNING);

    expect(returning(thirty)?.isNew).toBe(true);
    expect(returning(thirtyOne)).toMatchObject({ isNew: false, firstSeen: '2026-10-29T12:00:00Z' });
    expect(thirtyOne.newSigv2Requesters).toBe(2);
  });

  it('says how few days of history a new table holds: on the first day every SigV2 requester is new', async () => {
    const first = await digestOf('2026-10-20');
    expect(first).toMatchObject({ historyDays: 0, sigv2Requesters: 1, newSigv2Requesters: 1, records: 7 });
  });
});

describe('the honest zero', () => {
  it('flags a day with no records at all, and publishes no SigV2 metric for it, only Records = 0', async () => {
    const digest = await digestOf(EMPTY_DAY);

    expect(digest).toMatchObject({ records: 0, noRecords: true, sigv2Requests: 0, requesters: [] });
    expect(digestMetrics(digest)).toEqual([
      { MetricName: 'Records', Timestamp: new Date('2026-11-15T00:00:00Z'), Value: 0, Unit: 'Count' },
    ]);
    expect(digestSubject(digest)).toBe(
      'SigV2 digest 2026-11-15: NO LOG RECORDS - logging or compaction broken?',
    );
    expect(digestText(digest)).toContain('This is NOT "no SigV2"');
  });

  it('tells a day with records and no SigV2 from a day with no records', async () => {
    const quiet = await digestOf('2026-12-01');
    const after = await digestOf('2026-12-02');

    expect(quiet).toMatchObject({ noRecords: false, records: 5, sigv2Requests: 0, sigv2Requesters: 0 });
    expect(digestSubject(quiet)).toBe('SigV2 digest 2026-12-01: no SigV2 in 5 records');
    expect(digestMetrics(quiet).map((m) => [m.MetricName, m.Value])).toEqual([
      ['SigV2Requests', 0],
      ['SigV2Requesters', 0],
      ['NewSigV2Requesters', 0],
      ['Records', 5],
    ]);
    expect(after).toMatchObject({ noRecords: true, records: 0 });
  });
});
