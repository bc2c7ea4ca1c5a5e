import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { renderSql, SAVED_QUERIES } from '../../lib/saved-queries';
import { compactTo, loadRaw, openLocalEngine, readCompacted, tempDir } from '../log-compaction/local-engine';
import { generatedRows, peerRows } from '../log-compaction/records';

/*
 * The fleet-wide saved queries read the compacted table in Athena and the raw relation in the CLI (and in Athena
 * for today's logs). Run on DuckDB over the same records, raw and compacted by the production SQL, they must
 * give the same rows.
 */

const FLEET = SAVED_QUERIES.filter((q) => q.reads === 'compacted');

describe('the fleet-wide saved queries on the compacted table', () => {
  let db: DuckDBConnection;
  let tmp: ReturnType<typeof tempDir>;
  const rows = [...generatedRows(3, 6, 3, 500), ...peerRows()];
  const days = [...new Set(rows.map((r) => r.day))].sort();

  beforeAll(async () => {
    db = await openLocalEngine();
    tmp = tempDir();
    await loadRaw(db, 'raw', rows, tmp.dir);
    const files: string[] = [];
    for (const day of days) {
      const file = path.join(tmp.dir, 'daily', day, 'part-0.parquet');
      await compactTo(db, { source: 'raw', day }, file);
      files.push(file);
    }
    expect((await readCompacted(db, files)).length).toBe(rows.length);
    const list = files.map((f) => `'${f}'`).join(', ');
    await db.run(
      `CREATE VIEW compacted AS SELECT * EXCLUDE (filename), regexp_extract(filename, '(\\d{4}/\\d{2}/\\d{2})/[^/]+$', 1) AS day FROM read_parquet([${list}], filename = true)`,
    );
  });
  afterAll(() => tmp.remove());

  async function run(sql: string, params: string[]) {
    const prepared = await db.prepare(sql);
    params.forEach((p, i) => {
      prepared.bindVarchar(i + 1, p);
    });
    const result = await prepared.runAndReadAll();
    // Rows as sorted JSON texts: ties in ORDER BY may come in either order.
    return result
      .getRowObjectsJS()
      .map((row) => JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)))
      .sort();
  }

  it('are the four fleet-wide reports', () => {
    expect(FLEET.map((q) => q.name).sort()).toEqual([
      'requests-by-signature-version',
      'sigv2-by-bucket',
      'sigv2-per-day',
      'sigv2-requesters',
    ]);
    expect(fs.existsSync(tmp.dir)).toBe(true);
  });

  it.each(FLEET.map((q) => [q.name, q] as const))('%s gives the raw table’s rows', async (_name, query) => {
    const params = [days[0], days[days.length - 1]];
    const raw = await run(renderSql(query, 'raw'), params);
    const compacted = await run(renderSql(query, 'compacted'), params);
    expect(raw.length).toBeGreaterThan(0);
    expect(compacted).toEqual(raw);
  });
});
