import * as path from 'node:path';
import { SAVED_QUERIES } from 's3-access-logs/saved-queries';
import { runMain } from '../run-main';

/*
 * Every saved query, run by the CLI on DuckDB over cli/test/fixtures/queries.log (ten hand-written lines, see the
 * README there), against results worked out by reading the lines. Days 2024/01/15 to 2024/01/16; line 8 (REQ08)
 * is on the 14th and line 9 is not a record, so neither may show up anywhere.
 */

const LOG = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures', 'queries.log'));
const DAYS = ['2024/01/15', '2024/01/16'];
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:user/bob';

type Row = Record<string, unknown>;

/** The query's rows as JSON objects. */
async function query(name: string, params: string[]): Promise<Row[]> {
  const run = await runMain([
    'query',
    name,
    LOG,
    '--format',
    'jsonl',
    ...params.flatMap((p) => ['--param', p]),
  ]);
  expect(run.stderr).toContain('queries.log: line 9');
  expect(run.code).toBe(0);
  return run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

/** For rows whose order the query leaves open (ties), compare as sets. */
const unordered = (rows: Row[]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

const EXPECTED: Record<string, () => Promise<void>> = {
  'deleted-object': async () => {
    // REQ05 deletes the same key in another bucket; REQ06 expires another key.
    const rows = await query('deleted-object', [...DAYS, 'photos', 'images/cat.jpg']);
    expect(rows.map((r) => [r.requestid, r.operation, r.bucket, r.day])).toEqual([
      ['REQ02', 'REST.DELETE.OBJECT', 'photos', '2024/01/15'],
    ]);
    expect(Object.keys(rows[0])).toHaveLength(29);
  },
  'who-deleted-object': async () => {
    expect(await query('who-deleted-object', [...DAYS, 'photos', 'images/cat.jpg'])).toEqual([
      {
        requestdatetime: '15/Jan/2024:07:20:00 +0000',
        operation: 'REST.DELETE.OBJECT',
        remoteip: '192.0.2.10',
        requester: ALICE,
        useragent: 'aws-cli/1.16.0',
        httpstatus: '204',
        versionid: null,
      },
    ]);
  },
  'requester-operations': async () => {
    // Oldest first; REQ04 is 23:59:59 -0100, so 00:59:59 UTC on the 16th.
    const rows = await query('requester-operations', [...DAYS, ALICE]);
    expect(rows.map((r) => r.requestid)).toEqual(['REQ01', 'REQ02', 'REQ10', 'REQ04']);
  },
  'object-operations-in-time-window': async () => {
    // REQ03 is 07:30 +0100 = 06:30 UTC, inside; REQ10 (07:45) is after the window.
    const rows = await query('object-operations-in-time-window', [
      ...DAYS,
      'photos',
      'images/cat.jpg',
      '2024-01-15T06:00:00Z',
      '2024-01-15T07:30:00Z',
    ]);
    expect(rows.map((r) => r.requestid)).toEqual(['REQ03', 'REQ01', 'REQ02']);
  },
  'bytes-by-ip-in-time-window': async () => {
    const rows = await query('bytes-by-ip-in-time-window', [
      ...DAYS,
      '192.0.2.10',
      '2024-01-15T00:00:00Z',
      '2024-01-17T00:00:00Z',
    ]);
    // GETs: REQ01 1000 + REQ04 500 + REQ07 243 (an error response still sends bytes).
    expect(rows[0]).toEqual({
      remoteip: '192.0.2.10',
      operation: 'REST.GET.OBJECT',
      requests: 3,
      bytes_sent: 1743,
    });
    expect(unordered(rows.slice(1))).toEqual([
      { remoteip: '192.0.2.10', operation: 'REST.DELETE.OBJECT', requests: 1, bytes_sent: null },
      { remoteip: '192.0.2.10', operation: 'REST.HEAD.OBJECT', requests: 1, bytes_sent: null },
    ]);
  },
  'requests-by-signature-version': async () => {
    const rows = await query('requests-by-signature-version', DAYS);
    expect(rows[0]).toEqual({ requester: ALICE, sigv: 'SigV2', requests: 3 });
    expect(unordered(rows.slice(1))).toEqual(
      unordered([
        { requester: ALICE, sigv: 'SigV4', requests: 1 },
        { requester: BOB, sigv: 'SigV4', requests: 1 },
        { requester: BOB, sigv: 'SigV2', requests: 1 },
        { requester: 'AmazonS3', sigv: null, requests: 1 },
        { requester: null, sigv: null, requests: 1 },
      ]),
    );
  },
  'sigv2-requesters': async () => {
    expect(await query('sigv2-requesters', DAYS)).toEqual([
      {
        requester: ALICE,
        requests: 3,
        user_agents: ['aws-cli/1.16.0', 'aws-sdk-java/1.11.0'],
        source_ips: ['192.0.2.10'],
        buckets: ['photos'],
        first_seen: '2024-01-15T07:10:00Z',
        last_seen: '2024-01-16T00:59:59Z',
      },
      {
        requester: BOB,
        requests: 1,
        user_agents: ['s3cmd/2.0'],
        source_ips: ['203.0.113.5'],
        buckets: ['backups'],
        first_seen: '2024-01-16T03:00:00Z',
        last_seen: '2024-01-16T03:00:00Z',
      },
    ]);
  },
  'sigv2-by-bucket': async () => {
    expect(await query('sigv2-by-bucket', DAYS)).toEqual([
      {
        bucket_name: 'photos',
        requests: 3,
        requesters: 1,
        source_ips: 1,
        first_seen: '2024-01-15T07:10:00Z',
        last_seen: '2024-01-16T00:59:59Z',
      },
      {
        bucket_name: 'backups',
        requests: 1,
        requesters: 1,
        source_ips: 1,
        first_seen: '2024-01-16T03:00:00Z',
        last_seen: '2024-01-16T03:00:00Z',
      },
    ]);
  },
  'sigv2-per-day': async () => {
    expect(await query('sigv2-per-day', DAYS)).toEqual([
      { day: '2024/01/15', requests: 2, requesters: 1, buckets: 1 },
      { day: '2024/01/16', requests: 2, requesters: 2, buckets: 2 },
    ]);
  },
};

describe('every saved query, run locally on DuckDB', () => {
  it('has a hand-worked expectation for every saved query', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(SAVED_QUERIES.map((q) => q.name).sort());
  });

  it.each(Object.keys(EXPECTED))('%s returns the rows worked out by hand', async (name) => {
    await EXPECTED[name]();
  });

  it('takes parameters quoted as Athena literals too', async () => {
    const rows = await query('sigv2-per-day', ["'2024/01/15'", "'2024/01/15'"]);
    expect(rows).toEqual([{ day: '2024/01/15', requests: 2, requesters: 1, buckets: 1 }]);
  });
});
