import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type CompactionChunk, compactionSelect, LOCAL_ENGINE_MACROS } from '../../lib/log-compaction/sql';
import { COLUMNS, type LogRecord } from '../../lib/log-format';

/** One raw record as the compaction's source table yields it: the record, its bucket and day partitions. */
export interface RawRow {
  readonly record: LogRecord;
  readonly bucket: string;
  readonly day: string;
}

/** A compacted row as plain JSON (times as ISO 8601 UTC, numbers as numbers). */
export type CompactedRow = Record<string, string | number | null>;

/** An in-memory DuckDB set up as Athena's session is: UTC, with the Trino functions the SQL uses. */
export async function openLocalEngine(): Promise<DuckDBConnection> {
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  for (const macro of LOCAL_ENGINE_MACROS) await connection.run(macro);
  return connection;
}

/** A temporary folder, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compaction-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Loads raw rows into table `name` (the 27 columns with the raw table's types, `bucket`, `day`). */
export async function loadRaw(
  connection: DuckDBConnection,
  name: string,
  rows: readonly RawRow[],
  dir: string,
) {
  const file = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(
    file,
    rows.map((r) => JSON.stringify({ ...r.record, bucket: r.bucket, day: r.day })).join('\n'),
  );
  const columns = [
    ...COLUMNS.map((c) => `'${c.name}': '${c.type === 'bigint' ? 'BIGINT' : 'VARCHAR'}'`),
    "'bucket': 'VARCHAR'",
    "'day': 'VARCHAR'",
  ];
  await connection.run(
    `CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${columns.join(', ')}})`,
  );
}

/** Runs the production SELECT of `chunk` into a ZSTD Parquet file, as Athena's UNLOAD writes it. */
export async function compactTo(connection: DuckDBConnection, chunk: CompactionChunk, file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await connection.run(`COPY (${compactionSelect(chunk)}) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
}

/** Every row of the Parquet files matched by `glob`, with `day` taken from the folder (as the table does). */
export async function readCompacted(
  connection: DuckDBConnection,
  files: readonly string[],
): Promise<CompactedRow[]> {
  if (files.length === 0) return [];
  const list = files.map((f) => `'${f}'`).join(', ');
  const reader = await connection.runAndReadAll(
    `SELECT * EXCLUDE (filename), regexp_extract(filename, '(\\d{4}/\\d{2}/\\d{2})/[^/]+$', 1) AS day FROM read_parquet([${list}], filename = true)`,
  );
  return reader.getRowObjectsJS().map((row) => {
    const out: CompactedRow = {};
    for (const [k, v] of Object.entries(row)) {
      out[k] =
        v === null || v === undefined
          ? null
          : typeof v === 'bigint'
            ? Number(v)
            : v instanceof Date
              ? v.toISOString()
              : (v as string | number);
    }
    return out;
  });
}
