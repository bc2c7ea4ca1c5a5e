import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { compactionSelect, LOCAL_ENGINE_MACROS } from '../../lib/log-compaction/sql';
import { COLUMNS, parseLineWithRegex } from '../../lib/log-format';

/**
 * The compacted table in DuckDB, made as the deployed one is: log lines read by the raw parser into a raw
 * relation (the 27 columns, `bucket`, `day`), each day compacted by the compaction's own SQL into a ZSTD Parquet
 * file under `<day>/`, and the table read back from the files with `day` taken from the folder.
 */
export const TABLE = 'access_logs_daily';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The UTC day S3 files a record under (EventTime partitioning), `yyyy/MM/dd`. */
export function partitionOf(requestdatetime: string): string {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(requestdatetime);
  if (m === null) throw new Error(`unexpected request time ${requestdatetime}`);
  const month = String(MONTHS.indexOf(m[2] as string) + 1).padStart(2, '0');
  const utc = new Date(`${m[3]}-${month}-${m[1]}T${m[4]}${m[5]}:${m[6]}`);
  return utc.toISOString().slice(0, 10).replaceAll('-', '/');
}

export interface CompactedTable {
  readonly connection: DuckDBConnection;
  /** Closes the connection and removes the Parquet files. */
  close(): void;
}

export async function openCompactedTable(text: string): Promise<CompactedTable> {
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  for (const macro of LOCAL_ENGINE_MACROS) await connection.run(macro);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigv2-watch-'));

  const rows = text
    .split('\n')
    .filter((l) => l !== '')
    // Lines that are not records are left out (the scenario has none; peer fixtures have one).
    .flatMap((line) => {
      const record = parseLineWithRegex(line);
      if (record === null) return [];
      return [{ ...record, bucket: record.bucket_name, day: partitionOf(record.requestdatetime ?? '') }];
    });
  const file = path.join(dir, 'raw.jsonl');
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  const columns = [
    ...COLUMNS.map((c) => `'${c.name}': '${c.type === 'bigint' ? 'BIGINT' : 'VARCHAR'}'`),
    "'bucket': 'VARCHAR'",
    "'day': 'VARCHAR'",
  ];
  await connection.run(
    `CREATE TABLE raw AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${columns.join(', ')}})`,
  );

  const days = [...new Set(rows.map((r) => r.day))];
  for (const day of days) {
    const target = path.join(dir, 'compacted', day, 'part-0.parquet');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await connection.run(
      `COPY (${compactionSelect({ source: 'raw', day })}) TO '${target}' (FORMAT parquet, COMPRESSION zstd)`,
    );
  }
  await connection.run(
    `CREATE VIEW ${TABLE} AS SELECT *, regexp_extract(filename, '(\\d{4}/\\d{2}/\\d{2})/[^/]+$', 1) AS day ` +
      `FROM read_parquet('${path.join(dir, 'compacted', '*', '*', '*', '*.parquet')}', filename = true)`,
  );
  return {
    connection,
    close: () => {
      connection.closeSync();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
