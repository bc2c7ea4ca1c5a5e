import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { abandon, cleanup, plan, publish } from '../../lib/log-compaction/handler/run';
import { DAILY_PREFIX, type PlanItem, RUNS_PREFIX } from '../../lib/log-compaction/plan';
import type { CompactionConfig } from '../../lib/log-compaction/types';
import { FsStore } from './fs-store';
import { loadRaw, openLocalEngine, type RawRow, readCompacted, tempDir } from './local-engine';
import { expectedRow, generatedRows, multiset } from './records';

/*
 * The compaction's steps end to end on the local disk: plan (list the source buckets, write the chunk queries),
 * run every chunk's SELECT on DuckDB into the staging prefix its UNLOAD names, publish, clean up; then read the
 * published day as the compacted table would.
 */

const CONFIG: CompactionConfig = {
  logBucketName: 'logs',
  listPrefix: '',
  nameSuffix: '',
  source: '"s3_access_logs"."access_logs_compaction_source"',
  chunkSize: 2,
  lateDays: 2,
};
const START = '2026-11-30T06:00:00.123Z';

describe('a compaction run', () => {
  let db: DuckDBConnection;
  let tmp: ReturnType<typeof tempDir>;
  // One source bucket has a legacy us-east-1 name (created before 2018-03-01): uppercase, underscores.
  const LEGACY = 'Legacy_Bucket.Before_2018';
  const rows: RawRow[] = generatedRows(11, 5, 3, 300).map((r) =>
    r.bucket === 'bucket-0.example-11' ? { ...r, bucket: LEGACY } : r,
  );
  const days = ['2026/11/27', '2026/11/28', '2026/11/29'];

  beforeAll(async () => {
    db = await openLocalEngine();
    tmp = tempDir();
    await db.run('CREATE SCHEMA s3_access_logs');
    await loadRaw(db, 's3_access_logs.access_logs_compaction_source', rows, tmp.dir);
  });
  afterAll(() => tmp.remove());

  /** A log bucket whose top level holds each source bucket's folder (what S3 delivered), and ours. */
  function logBucket(name: string): FsStore {
    const store = new FsStore(path.join(tmp.dir, name));
    for (const bucket of new Set(rows.map((r) => r.bucket))) {
      fs.mkdirSync(store.file(`${bucket}/111122223333/us-east-1/${bucket}/2026/11/29`), { recursive: true });
      fs.writeFileSync(store.file(`${bucket}/111122223333/us-east-1/${bucket}/2026/11/29/log`), '');
    }
    fs.mkdirSync(store.file('_s3-access-logs/reports'), { recursive: true });
    fs.writeFileSync(store.file('_s3-access-logs/reports/r.json'), '{}');
    fs.mkdirSync(store.file("someone's notes"), { recursive: true });
    fs.writeFileSync(store.file("someone's notes/todo.txt"), '');
    return store;
  }

  /** What the distributed map does: every chunk query, as Athena would run it (here: its SELECT on DuckDB). */
  async function runQueries(store: FsStore, itemsKey: string): Promise<PlanItem[]> {
    const items = JSON.parse(fs.readFileSync(store.file(itemsKey), 'utf8')) as PlanItem[];
    for (const item of items) {
      const m =
        /^UNLOAD \(\n([\s\S]*)\n\)\nTO 's3:\/\/logs\/([^']+)'\nWITH \(format = 'PARQUET', compression = 'ZSTD'\)$/.exec(
          item.query,
        );
      if (m === null) throw new Error(`not an UNLOAD of the expected shape: ${item.query.slice(0, 200)}`);
      const file = store.file(`${m[2]}part-0.parquet`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await db.run(`COPY (${m[1]}) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    }
    return items;
  }

  async function compactOnce(store: FsStore, executionName: string, input = {}) {
    const planned = await plan({ action: 'plan', input, executionName, startTime: START }, CONFIG, store);
    const items = await runQueries(store, planned.itemsKey);
    const published = await publish({ action: 'publish', run: planned.run, days: planned.days }, store);
    await cleanup({ action: 'cleanup', run: planned.run }, store);
    return { planned, items, published };
  }

  async function publishedRows(store: FsStore) {
    const files = (await store.listKeys(DAILY_PREFIX)).map((k) => store.file(k));
    return readCompacted(db, files);
  }

  it('compacts yesterday and the two late days, every bucket in chunks, record for record', async () => {
    const store = logBucket('nightly');
    const { planned, items, published } = await compactOnce(store, 'nightly-1');
    expect(planned.days).toEqual(days);
    expect(planned.buckets).toBe(5);
    expect(items.some((i) => i.query.includes(`'${LEGACY}'`))).toBe(true);
    expect(planned).toMatchObject({ skippedPrefixes: 1, skipped: ["someone's notes/"] });
    expect(items).toHaveLength(3 * 3); // 3 days x ceil(5 / 2) chunks
    expect(published).toEqual({ days, day: '2026/11/29' });
    expect(multiset(await publishedRows(store))).toEqual(multiset(rows.map(expectedRow)));
  });

  it('leaves exactly one copy of each record when a day is compacted again', async () => {
    const store = logBucket('again');
    await compactOnce(store, 'run-1');
    const first = await store.listKeys(DAILY_PREFIX);
    await compactOnce(store, 'run-2');
    await compactOnce(store, 'run-3', { day: '2026-11-28' });
    expect(multiset(await publishedRows(store))).toEqual(multiset(rows.map(expectedRow)));
    const last = await store.listKeys(DAILY_PREFIX);
    expect(last.filter((k) => first.includes(k))).toEqual([]);
    expect(last.filter((k) => k.includes('/2026/11/28/')).every((k) => k.includes('/run-3.'))).toBe(true);
  });

  it('publishes again after a failure halfway without a second copy (the step is retried)', async () => {
    const store = logBucket('retry');
    await compactOnce(store, 'old');
    const planned = await plan(
      { action: 'plan', input: {}, executionName: 'new', startTime: START },
      CONFIG,
      store,
    );
    await runQueries(store, planned.itemsKey);
    const failing = Object.create(store) as FsStore;
    let copies = 0;
    failing.copy = async (from, to) => {
      if (++copies === 4) throw new Error('SlowDown');
      return store.copy(from, to);
    };
    await expect(publish({ action: 'publish', run: 'new', days: planned.days }, failing)).rejects.toThrow(
      'SlowDown',
    );
    await publish({ action: 'publish', run: 'new', days: planned.days }, store);
    expect(multiset(await publishedRows(store))).toEqual(multiset(rows.map(expectedRow)));
  });

  /** The day's published rows, per day, as a multiset, to compare with all of its records or none. */
  async function dayRows(store: FsStore, day: string) {
    const files = (await store.listKeys(`${DAILY_PREFIX}${day}/`)).map((k) => store.file(k));
    return multiset(await readCompacted(db, files));
  }
  const allOf = (day: string) => multiset(rows.filter((r) => r.day === day).map(expectedRow));
  const noRows = multiset([]);

  it('after a Publish that finally failed halfway, leaves each day whole or empty, and no run files', async () => {
    const store = logBucket('abandoned');
    await compactOnce(store, 'old');
    const planned = await plan(
      { action: 'plan', input: {}, executionName: 'new', startTime: START },
      CONFIG,
      store,
    );
    await runQueries(store, planned.itemsKey);
    // Each day has 3 chunks: the first day is published, the second stops after one copy, the third is not reached.
    const failing = Object.create(store) as FsStore;
    let copies = 0;
    failing.copy = async (from, to) => {
      if (++copies === 5) throw new Error('SlowDown');
      return store.copy(from, to);
    };
    await expect(publish({ action: 'publish', run: 'new', days: planned.days }, failing)).rejects.toThrow(
      'SlowDown',
    );
    // Half a day is what the catch must not leave: the second day now holds some of its records only.
    expect(await dayRows(store, days[1])).not.toEqual(allOf(days[1]));
    expect(await dayRows(store, days[1])).not.toEqual(noRows);

    const result = await abandon({ action: 'abandon', run: planned.run, days: planned.days }, store);

    expect(result).toEqual({ emptied: [days[1]] });
    expect(await dayRows(store, days[0])).toEqual(allOf(days[0]));
    expect(await dayRows(store, days[1])).toEqual(noRows);
    expect(await dayRows(store, days[2])).toEqual(allOf(days[2]));
    const live = await store.listKeys(DAILY_PREFIX);
    expect(live.filter((k) => k.includes(`/${days[0]}/`)).every((k) => k.includes('/new.'))).toBe(true);
    expect(live.filter((k) => k.includes(`/${days[2]}/`)).every((k) => k.includes('/old.'))).toBe(true);
    expect(await store.listKeys(RUNS_PREFIX)).toEqual([]);

    // The next run compacts the emptied day again.
    await compactOnce(store, 'next');
    expect(multiset(await publishedRows(store))).toEqual(multiset(rows.map(expectedRow)));
  });

  it('abandons a run that published nothing without touching the days, and can be repeated', async () => {
    const store = logBucket('abandoned-early');
    await compactOnce(store, 'old');
    const before = await store.listKeys(DAILY_PREFIX);
    const planned = await plan(
      { action: 'plan', input: {}, executionName: 'new', startTime: START },
      CONFIG,
      store,
    );
    await runQueries(store, planned.itemsKey);
    await abandon({ action: 'abandon', run: planned.run, days: planned.days }, store);
    await abandon({ action: 'abandon', run: planned.run, days: planned.days }, store);
    expect(await store.listKeys(DAILY_PREFIX)).toEqual(before);
    expect(await store.listKeys(RUNS_PREFIX)).toEqual([]);
  });

  it('writes an empty partition for a day without logs, replacing what it held', async () => {
    const store = logBucket('empty');
    await store.put(`${DAILY_PREFIX}2026/11/01/stale-chunk-00000-x.parquet`, 'old');
    const { items } = await compactOnce(store, 'empty-day', { day: '2026-11-01' });
    expect(items.length).toBeGreaterThan(0);
    const keys = await store.listKeys(`${DAILY_PREFIX}2026/11/01/`);
    expect(keys.some((k) => k.includes('stale'))).toBe(false);
    expect(
      await readCompacted(
        db,
        keys.map((k) => store.file(k)),
      ),
    ).toEqual([]);
  });

  it('leaves no run files behind and never touches the raw logs or reports', async () => {
    const store = logBucket('clean');
    const before = (await store.listKeys('')).filter((k) => !k.startsWith(DAILY_PREFIX));
    await compactOnce(store, 'tidy');
    expect(await store.listKeys(RUNS_PREFIX)).toEqual([]);
    expect((await store.listKeys('')).filter((k) => !k.startsWith(DAILY_PREFIX))).toEqual(before);
    expect(store.deletes.every((k) => k.startsWith(RUNS_PREFIX) || k.startsWith(DAILY_PREFIX))).toBe(true);
  });

  it('plans nothing to run, and publishes empty days, when no bucket delivered logs', async () => {
    const store = new FsStore(path.join(tmp.dir, 'nobody'));
    const planned = await plan(
      { action: 'plan', input: {}, executionName: 'n', startTime: START },
      CONFIG,
      store,
    );
    expect(planned).toMatchObject({ buckets: 0, queries: 0, days });
    expect(JSON.parse(fs.readFileSync(store.file(planned.itemsKey), 'utf8'))).toEqual([]);
  });
});
