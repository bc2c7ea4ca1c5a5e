/**
 * The organization's central view, run locally: several accounts' and Regions' days are compacted with the
 * production SQL into ZSTD Parquet, laid out as the central bucket lays them out
 * (`daily/<day>/<account>/<region>/`), and the central table's saved queries run on DuckDB over that folder.
 * The base record is a real log line (test/fixtures/peer/dandi-extraction, from the dandi project's S3 log
 * extraction tests); each generated record changes only who asked, how it signed, and when.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { centralDayPrefix } from '../../lib/central-lake';
import { DAY_FROM_PATH } from '../../lib/central-lake/layout';
import { ORG_QUERIES, orgWatchViewSql, renderOrgQuery } from '../../lib/central-lake/queries';
import { type LogRecord, parseLineWithRegex } from '../../lib/log-format';
import { buildDigest, type SqlRow } from '../../lib/sigv2-watch/digest';
import { DIGEST_QUERIES, digestSql } from '../../lib/sigv2-watch/digest-sql';
import { compactTo, loadRaw, openLocalEngine, type RawRow, tempDir } from '../log-compaction/local-engine';

const FIXTURE = path.join(
  __dirname,
  '../fixtures/peer/dandi-extraction/2020-01-01-05-06-35-0123456789ABCDEF',
);
const BASE = parseLineWithRegex(fs.readFileSync(FIXTURE, 'utf8').split('\n')[0]) as LogRecord;

const A = '111122223333';
const B = '444455556666';
const C = '777788889999';
const DAYS = ['2026/11/27', '2026/11/28', '2026/11/29'];
const ROLE = (account: string, name: string) => `arn:aws:sts::${account}:assumed-role/${name}/session`;

/** `n` requests by `requester` signed `sigv`, in `bucket` on `day`. */
interface Batch {
  readonly account: string;
  readonly region: string;
  readonly day: string;
  readonly bucket: string;
  readonly requester: string | null;
  readonly sigv: 'SigV2' | 'SigV4' | null;
  readonly n: number;
}

const BATCHES: readonly Batch[] = [
  // Account A: an old SigV2 client in two Regions every day, and SigV4 traffic.
  ...DAYS.flatMap((day): Batch[] => [
    {
      account: A,
      region: 'us-east-1',
      day,
      bucket: 'a-data',
      requester: ROLE(A, 'legacy'),
      sigv: 'SigV2',
      n: 5,
    },
    {
      account: A,
      region: 'eu-west-1',
      day,
      bucket: 'a-eu',
      requester: ROLE(A, 'legacy'),
      sigv: 'SigV2',
      n: 2,
    },
    {
      account: A,
      region: 'us-east-1',
      day,
      bucket: 'a-data',
      requester: ROLE(A, 'app'),
      sigv: 'SigV4',
      n: 7,
    },
  ]),
  // Account B: anonymous SigV2-less reads, and on the last day a new SigV2 requester.
  ...DAYS.map(
    (day): Batch => ({
      account: B,
      region: 'us-east-1',
      day,
      bucket: 'b-web',
      requester: null,
      sigv: null,
      n: 3,
    }),
  ),
  {
    account: B,
    region: 'us-east-1',
    day: DAYS[2],
    bucket: 'b-web',
    requester: ROLE(B, 'batch'),
    sigv: 'SigV2',
    n: 4,
  },
  {
    account: B,
    region: 'us-east-1',
    day: DAYS[2],
    bucket: 'b-logs',
    requester: ROLE(B, 'batch'),
    sigv: 'SigV2',
    n: 1,
  },
  // Account C: the same requester name as A's legacy client (a role name, not an account), on the last day only.
  {
    account: C,
    region: 'ap-southeast-2',
    day: DAYS[2],
    bucket: 'c-archive',
    requester: ROLE(A, 'legacy'),
    sigv: 'SigV2',
    n: 6,
  },
  {
    account: C,
    region: 'ap-southeast-2',
    day: DAYS[0],
    bucket: 'c-archive',
    requester: ROLE(C, 'app'),
    sigv: 'SigV4',
    n: 2,
  },
];

function rows(batch: Batch): RawRow[] {
  const [y, m, d] = batch.day.split('/');
  const month = new Date(Date.UTC(Number(y), Number(m) - 1, 1)).toLocaleString('en', {
    month: 'short',
    timeZone: 'UTC',
  });
  return Array.from({ length: batch.n }, (_, i) => ({
    record: {
      ...BASE,
      bucket_name: batch.bucket,
      requester: batch.requester,
      sigv: batch.sigv,
      requestid: `${batch.account}-${batch.bucket}-${i}`,
      requestdatetime: `[${d}/${month}/${y}:0${i % 10}:00:00 +0000]`,
    },
    bucket: batch.bucket,
    day: batch.day,
  }));
}

describe('the central view on DuckDB, over several accounts and Regions', () => {
  let connection: DuckDBConnection;
  const { dir, remove } = tempDir();

  beforeAll(async () => {
    connection = await openLocalEngine();
    // What each account's compaction writes and its delivery copies: one Parquet file per account, Region, day.
    const groups = new Map<string, Batch[]>();
    for (const b of BATCHES) {
      const key = centralDayPrefix(b.day, b.account, b.region);
      groups.set(key, [...(groups.get(key) ?? []), b]);
    }
    let n = 0;
    for (const [prefix, batches] of groups) {
      const table = `raw_${n++}`;
      await loadRaw(connection, table, batches.flatMap(rows), dir);
      await compactTo(
        connection,
        { source: table, day: batches[0].day },
        path.join(dir, prefix, 'part-0.parquet'),
      );
    }
    // The central table: the Parquet files, with Athena's "$path" and the day partition read from the folder.
    const files = path.join(dir, 'daily', '**', '*.parquet');
    await connection.run(
      `CREATE VIEW central AS SELECT * EXCLUDE (filename), filename AS "$path", ` +
        `regexp_extract(filename, '${DAY_FROM_PATH}', 1) AS day FROM read_parquet('${files}', filename = true)`,
    );
    await connection.run('CREATE MACRO array_sort(l) AS list_sort(l)');
  });

  afterAll(() => {
    connection?.closeSync();
    remove();
  });

  async function run(name: string, parameters: readonly string[]) {
    const query = ORG_QUERIES.find((q) => q.name === name);
    if (query === undefined) throw new Error(`no query ${name}`);
    expect(query.parameters).toHaveLength(parameters.length);
    const prepared = await connection.prepare(renderOrgQuery(query, 'central'));
    parameters.forEach((value, i) => {
      prepared.bindVarchar(i + 1, value);
    });
    const reader = await prepared.runAndReadAll();
    return reader.getRowObjectsJson();
  }

  /** What the batches say, counted without SQL. */
  function expected(filter: (b: Batch) => boolean, key: (b: Batch) => string) {
    const counts = new Map<string, number>();
    for (const b of BATCHES.filter(filter)) counts.set(key(b), (counts.get(key(b)) ?? 0) + b.n);
    return Object.fromEntries([...counts].sort());
  }

  it('counts SigV2 requests and all requests per account and Region exactly', async () => {
    const result = await run('org-sigv2-by-account', [DAYS[0], DAYS[2]]);
    const got = (col: string) =>
      Object.fromEntries(result.map((r) => [`${r.account} ${r.region}`, Number(r[col])]).sort());
    expect(got('requests')).toEqual(
      expected(
        () => true,
        (b) => `${b.account} ${b.region}`,
      ),
    );
    const sigv2 = expected(
      (b) => b.sigv === 'SigV2',
      (b) => `${b.account} ${b.region}`,
    );
    expect(got('sigv2_requests')).toEqual({ ...mapValues(got('requests'), () => 0), ...sigv2 });
  });

  it('names each SigV2 requester with the account whose buckets it called, counts exact', async () => {
    const result = await run('org-sigv2-requesters', [DAYS[0], DAYS[2]]);
    const got = Object.fromEntries(
      result.map((r) => [`${r.account} ${r.requester}`, Number(r.requests)]).sort(),
    );
    expect(got).toEqual(
      expected(
        (b) => b.sigv === 'SigV2',
        (b) => `${b.account} ${b.requester}`,
      ),
    );
    const legacyInA = result.find((r) => r.account === A && r.requester === ROLE(A, 'legacy'));
    expect(legacyInA?.regions).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('reads only the days asked for', async () => {
    const result = await run('org-sigv2-requesters', [DAYS[0], DAYS[0]]);
    expect(result.map((r) => `${r.account} ${r.requester} ${r.requests}`)).toEqual([
      `${A} ${ROLE(A, 'legacy')} 7`,
    ]);
  });

  it('flags a new SigV2 requester with its account in the daily digest', async () => {
    const result = await run('org-sigv2-digest', [DAYS[2], DAYS[0], DAYS[1]]);
    const flagged = result
      .filter((r) => r.new_requester === true)
      .map((r) => [r.account, r.requester, Number(r.requests)]);
    expect(flagged).toEqual([
      // A's legacy role is new in C's account, though A has used it all along: the digest is per account.
      [C, ROLE(A, 'legacy'), 6],
      [B, ROLE(B, 'batch'), 5],
    ]);
    const known = result.filter((r) => r.new_requester === false).map((r) => [r.account, r.requester]);
    expect(known).toEqual([[A, ROLE(A, 'legacy')]]);
    expect(result.find((r) => r.account === B)?.buckets).toEqual(['b-logs', 'b-web']);
  });

  it('gives the SigV2 watch a view whose digest names each requester’s account, new per account', async () => {
    await connection.run(`CREATE VIEW org_watch AS ${orgWatchViewSql('central')}`);
    const rowsOf = async (name: string) => {
      const query = DIGEST_QUERIES.find((q) => q.name === name);
      if (query === undefined) throw new Error(`no digest query ${name}`);
      const prepared = await connection.prepare(digestSql(query, 'org_watch'));
      query.parameters({ day: DAYS[2], firstDay: DAYS[0] }).forEach((v, i) => {
        prepared.bindVarchar(i + 1, v);
      });
      return (await prepared.runAndReadAll()).getRowObjectsJS() as SqlRow[];
    };
    const digest = buildDigest({
      day: DAYS[2],
      lookbackDays: 2,
      rows: {
        days: await rowsOf('days'),
        requesters: await rowsOf('requesters'),
        facets: await rowsOf('facets'),
      },
    });
    expect(digest.records).toBe(
      expected(
        (b) => b.day === DAYS[2],
        () => 'all',
      ).all,
    );
    expect(digest.requesters.map((r) => [r.requester, r.requests, r.isNew])).toEqual([
      [`${A} ${ROLE(A, 'legacy')}`, 7, false],
      [`${C} ${ROLE(A, 'legacy')}`, 6, true],
      [`${B} ${ROLE(B, 'batch')}`, 5, true],
    ]);
  });

  it('takes the account from the key, not from anything written in the files', async () => {
    const reader = await connection.runAndReadAll('SELECT * FROM central LIMIT 0');
    expect(reader.columnNames()).not.toContain('account');
  });
});

function mapValues(o: Record<string, number>, f: (v: number) => number): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
