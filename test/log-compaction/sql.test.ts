import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import {
  ATHENA_MAX_QUERY_BYTES,
  athenaUnload,
  COMPACTED_COLUMNS,
  chunkBuckets,
  compactionSelect,
  MAX_CHUNK_QUERY_BYTES,
} from '../../lib/log-compaction/sql';
import { COLUMNS } from '../../lib/log-format';
import { compactTo, loadRaw, openLocalEngine, type RawRow, readCompacted, tempDir } from './local-engine';
import { expectedRow, generatedRows, multiset, peerRows } from './records';

const DAYS = ['2026/11/27', '2026/11/28', '2026/11/29'];

describe('the compaction SQL, run on DuckDB', () => {
  let db: DuckDBConnection;
  let tmp: ReturnType<typeof tempDir>;
  const rows: RawRow[] = [...generatedRows(7, 9, DAYS.length, 400), ...peerRows()];
  const buckets = [...new Set(rows.map((r) => r.bucket))].sort();
  const days = [...new Set(rows.map((r) => r.day))].sort();

  beforeAll(async () => {
    db = await openLocalEngine();
    tmp = tempDir();
    await loadRaw(db, 'raw', rows, tmp.dir);
  });
  afterAll(() => tmp.remove());

  async function compactAll(dir: string, chunkSize?: number): Promise<string[]> {
    const files: string[] = [];
    for (const day of days) {
      const chunks = chunkSize === undefined ? [undefined] : chunkBuckets(buckets, chunkSize);
      for (const [i, chunk] of chunks.entries()) {
        const file = path.join(tmp.dir, dir, day, `chunk-${i}.parquet`);
        await compactTo(db, { source: 'raw', day, buckets: chunk }, file);
        files.push(file);
      }
    }
    return files;
  }

  it('covers several days, buckets, NULL-only lines, quotes and 18-field lines', () => {
    expect(days.length).toBeGreaterThan(3);
    expect(buckets.length).toBeGreaterThan(9);
    expect(rows.some((r) => Object.values(r.record).every((v) => v === null))).toBe(true);
    expect(rows.some((r) => r.record.request_uri?.includes('"'))).toBe(true);
    expect(rows.some((r) => r.record.useragent?.includes('"'))).toBe(true);
    expect(
      rows.some(
        (r) => r.record.versionid === null && r.record.hostid === null && r.record.bucketowner !== null,
      ),
    ).toBe(true);
  });

  it('writes every raw record once, typed, with its bucket, day and request time', async () => {
    const compacted = await readCompacted(db, await compactAll('whole'));
    expect(compacted).toHaveLength(rows.length);
    expect(multiset(compacted)).toEqual(multiset(rows.map(expectedRow)));
  });

  it('gives the same rows in chunks of buckets as in one query per day', async () => {
    const whole = await readCompacted(db, await compactAll('unchunked', undefined));
    const chunks = chunkBuckets(buckets, 3);
    expect(chunks.length).toBeGreaterThan(2);
    const chunked = await readCompacted(db, await compactAll('chunked', 3));
    expect(multiset(chunked)).toEqual(multiset(whole));
  });

  it('writes an empty file, not an error, for a day without logs', async () => {
    const file = path.join(tmp.dir, 'empty', '2026/01/01', 'chunk-0.parquet');
    await compactTo(db, { source: 'raw', day: '2026/01/01', buckets: ['no-such-bucket'] }, file);
    expect(await readCompacted(db, [file])).toEqual([]);
  });

  it('sorts each file by sigv first, so SigV2 rows sit together', async () => {
    const file = path.join(tmp.dir, 'sorted', DAYS[1], 'chunk-0.parquet');
    await compactTo(db, { source: 'raw', day: DAYS[1] }, file);
    const sigv = (await readCompacted(db, [file])).map((r) => r.sigv);
    const runs = sigv.filter((v, i) => i === 0 || v !== sigv[i - 1]);
    expect(runs).toEqual([...new Set(sigv)]);
  });
});

describe('the compacted columns', () => {
  it('are the 27 raw columns in line order, then bucket and request_time', () => {
    expect(COMPACTED_COLUMNS.map((c) => c.name)).toEqual([
      ...COLUMNS.map((c) => c.name),
      'bucket',
      'request_time',
    ]);
  });

  it('hold numbers as numbers and the request time as a timestamp', () => {
    const type = (name: string) => COMPACTED_COLUMNS.find((c) => c.name === name)?.type;
    expect([type('httpstatus'), type('totaltime'), type('bytessent'), type('request_time')]).toEqual([
      'int',
      'bigint',
      'bigint',
      'timestamp',
    ]);
  });
});

describe('chunks of buckets', () => {
  const longName = (i: number) => `b${String(i).padStart(6, '0')}-${'x'.repeat(55)}`;
  const fleet = Array.from({ length: 50_000 }, (_, i) => longName(i));

  it('keep every bucket once, in order, at most chunkSize per chunk', () => {
    const chunks = chunkBuckets(fleet, 1000);
    expect(chunks).toHaveLength(50);
    expect(chunks.flat()).toEqual(fleet);
  });

  it('close early so that no query, nor the map item that carries it, passes 262,144 bytes, with 63-character names', () => {
    const chunks = chunkBuckets(fleet, 50_000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(fleet);
    for (const chunk of chunks) {
      const sql = athenaUnload(
        { source: '"s3_access_logs"."access_logs_compaction_source"', day: '2026/11/29', buckets: chunk },
        's3://amzn-s3-demo-logs-111122223333-us-east-1/_s3-access-logs/compaction/staging/run-00000000-0000-0000-0000-000000000000/2026/11/29/chunk-00049/',
      );
      expect(Buffer.byteLength(sql)).toBeLessThanOrEqual(ATHENA_MAX_QUERY_BYTES);
      const item = JSON.stringify({ day: '2026/11/29', chunk: 49, query: sql });
      expect(Buffer.byteLength(item)).toBeLessThanOrEqual(256 * 1024);
    }
    // A full chunk uses most of what a map item may carry: the budget is not needlessly small.
    expect(chunks[0].length * 67).toBeGreaterThan(MAX_CHUNK_QUERY_BYTES * 0.9);
  });

  it('refuses a query text over the limit, naming the fix', () => {
    expect(() =>
      athenaUnload({ source: 't', day: '2026/11/29', buckets: fleet.slice(0, 5000) }, 's3://b/p/'),
    ).toThrow(/over Athena's 262144: lower chunkSize/);
  });

  it('close early with legacy 255-character names too, under both limits', () => {
    const legacy = Array.from(
      { length: 3000 },
      (_, i) => `Legacy_${String(i).padStart(5, '0')}_${'X'.repeat(242)}`,
    );
    expect(legacy[0]).toHaveLength(255);
    const chunks = chunkBuckets(legacy, 5000);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.flat()).toEqual(legacy);
    for (const chunk of chunks) {
      const sql = athenaUnload(
        { source: '"s3_access_logs"."access_logs_compaction_source"', day: '2026/11/29', buckets: chunk },
        `s3://${'l'.repeat(63)}/_s3-access-logs/compaction-runs/${'r'.repeat(80)}/2026/11/29/chunk-00000/`,
      );
      expect(Buffer.byteLength(sql)).toBeLessThanOrEqual(MAX_CHUNK_QUERY_BYTES);
      const item = JSON.stringify({ day: '2026/11/29', chunk: 49, query: sql });
      expect(Buffer.byteLength(item)).toBeLessThanOrEqual(256 * 1024);
    }
  });

  it('takes legacy us-east-1 names (uppercase, underscores, up to 255 characters) as literals', () => {
    const names = ['My_Old.Bucket', 'UPPER', `L${'_'.repeat(253)}Z`];
    expect(compactionSelect({ source: 't', day: '2026/11/29', buckets: names })).toContain(
      `bucket IN ('My_Old.Bucket', 'UPPER', 'L${'_'.repeat(253)}Z')`,
    );
  });

  it.each([
    ["a quote that would end the literal: x'); DROP TABLE t; --", "x'); DROP TABLE t; --"],
    ['a space', 'my bucket'],
    ['a backslash', 'a\\b'],
    ['a slash', 'a/b'],
    ['256 characters', 'b'.repeat(256)],
    ['2 characters', 'ab'],
  ])('refuses a name with %s, so no literal can break out of its quotes', (_, name) => {
    expect(() => compactionSelect({ source: 't', day: '2026/11/29', buckets: [name] })).toThrow(
      /is not an S3 bucket name/,
    );
  });

  it('refuses a day that is not yyyy/MM/dd', () => {
    expect(() => compactionSelect({ source: 't', day: '2026-11-29' })).toThrow(/must be yyyy\/MM\/dd/);
  });
});

describe('chunks of buckets, for any fleet', () => {
  const bucketName = fc
    .tuple(fc.integer({ min: 3, max: 63 }), fc.integer({ min: 0, max: 1e9 }))
    .map(([length, n]) => `b${String(n).padStart(length - 1, 'x')}`.slice(0, length));

  it('keep every bucket once, in order, within chunkSize and under the query text limit', () => {
    fc.assert(
      fc.property(
        fc.array(bucketName, { maxLength: 6000 }),
        fc.integer({ min: 1, max: 5000 }),
        (fleet, size) => {
          const chunks = chunkBuckets(fleet, size);
          expect(chunks.flat()).toEqual(fleet);
          for (const chunk of chunks) {
            expect(chunk.length).toBeGreaterThan(0);
            expect(chunk.length).toBeLessThanOrEqual(size);
            const sql = athenaUnload(
              {
                source: '"s3_access_logs"."access_logs_compaction_source"',
                day: '2026/11/29',
                buckets: chunk,
              },
              `s3://${'l'.repeat(63)}/_s3-access-logs/compaction-runs/${'r'.repeat(80)}/2026/11/29/chunk-00000/`,
            );
            expect(Buffer.byteLength(sql)).toBeLessThanOrEqual(ATHENA_MAX_QUERY_BYTES);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
