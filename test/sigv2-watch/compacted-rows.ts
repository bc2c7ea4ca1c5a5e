import type { DuckDBConnection } from '@duckdb/node-api';
import { COLUMNS, parseLineWithRegex } from '../../lib/log-format';

/**
 * The compacted table's contract columns (docs: compacted-contract), in DuckDB, from log lines read by the raw
 * parser: the 27 raw columns, `bucket`, `request_time` (UTC) and `day` (`yyyy/MM/dd`). A stand-in until the
 * compaction's own SQL produces the rows.
 */
export const TABLE = 'access_logs_daily';

const MONTHS: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

/** `29/Nov/2026:01:00:00 +0000` as an ISO instant (the scenario writes +0000 only). */
function requestTime(text: string): string {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) \+0000$/.exec(text);
  if (m === null) throw new Error(`unexpected request time ${text}`);
  return `${m[3]}-${MONTHS[m[2] as string]}-${m[1]} ${m[4]}`;
}

export async function openCompactedTable(text: string): Promise<DuckDBConnection> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const columns = COLUMNS.map((c) => `${c.name} ${c.type === 'bigint' ? 'BIGINT' : 'VARCHAR'}`);
  await connection.run(
    `CREATE TABLE ${TABLE} (${columns.join(', ')}, bucket VARCHAR, request_time TIMESTAMP, day VARCHAR)`,
  );
  const placeholders = [...COLUMNS, 'bucket', 'request_time', 'day'].map(() => '?').join(', ');
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const record = parseLineWithRegex(line);
    if (record === null) throw new Error(`not a log line: ${line}`);
    const time = requestTime(record.requestdatetime ?? '');
    const values = COLUMNS.map((c) => record[c.name]);
    await connection.run(`INSERT INTO ${TABLE} VALUES (${placeholders})`, [
      ...values,
      record.bucket_name,
      time,
      time.slice(0, 10).replaceAll('-', '/'),
    ]);
  }
  return connection;
}
