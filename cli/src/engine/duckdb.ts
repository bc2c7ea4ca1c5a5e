import type { DuckDBConnection } from '@duckdb/node-api';
import { COLUMNS } from 's3-access-logs/log-format';
import type { SavedQuery } from 's3-access-logs/saved-queries';
import { renderSql } from 's3-access-logs/saved-queries';

/**
 * The local engine for the saved queries: DuckDB, with the few Trino functions the queries use provided as
 * macros, over the records of a scan (written as CSV by the scanner, read by DuckDB in parallel). The SQL text
 * is the one Athena runs; only the relation behind `{{table}}` differs.
 */

/** The relation the queries read locally. */
export const RELATION = 'access_logs';

/** Joda-style formats `parse_datetime` understands locally, and their strptime equivalents. */
export const PARSE_DATETIME_FORMATS: Readonly<Record<string, string>> = {
  'dd/MMM/yyyy:HH:mm:ss Z': '%d/%b/%Y:%H:%M:%S %z',
  'yyyy-MM-dd:HH:mm:ss': '%Y-%m-%d:%H:%M:%S',
  'yyyy-MM-dd HH:mm:ss': '%Y-%m-%d %H:%M:%S',
  "yyyy-MM-dd'T'HH:mm:ss": '%Y-%m-%dT%H:%M:%S',
  'yyyy-MM-dd': '%Y-%m-%d',
};

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Trino's functions as DuckDB macros. The session time zone is UTC, as Athena's is, so a format without a zone
 * reads as UTC. DuckDB's strptime needs a constant format, hence one branch per supported format.
 */
export const TRINO_MACROS: readonly string[] = [
  `CREATE MACRO parse_datetime(s, f) AS CASE f ${Object.entries(PARSE_DATETIME_FORMATS)
    .map(([joda, strp]) => `WHEN ${quote(joda)} THEN CAST(strptime(s, ${quote(strp)}) AS TIMESTAMPTZ)`)
    .join(
      ' ',
    )} ELSE error('parse_datetime: the format ' || f || ' is not supported by the local engine') END`,
  'CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
];

/** Longest CSV record DuckDB accepts (a record holds one log line's fields; S3 lines are far shorter). */
const MAX_LINE_BYTES = 64 << 20;

/**
 * The relation over a CSV file of records (as `parse --format csv` writes it): the 27 columns, plus the two
 * partition columns of the Athena table: `bucket` (the source bucket, which is `bucket_name` on every line)
 * and `day` (the request's UTC day, `yyyy/MM/dd`; NULL when the request time cannot be read).
 */
export function relationSql(csvPath: string): string {
  const columns = COLUMNS.map(
    (c) => `${quote(c.name)}: ${quote(c.type === 'bigint' ? 'BIGINT' : 'VARCHAR')}`,
  );
  const read =
    `read_csv(${quote(csvPath)}, header = true, auto_detect = false, columns = {${columns.join(', ')}}, ` +
    `delim = ',', quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = false, ` +
    `max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${2 * MAX_LINE_BYTES})`;
  return (
    `CREATE VIEW ${RELATION} AS SELECT *, bucket_name AS bucket, ` +
    `strftime(try_strptime(requestdatetime, '%d/%b/%Y:%H:%M:%S %z'), '%Y/%m/%d') AS day FROM ${read}`
  );
}

/** An in-memory DuckDB with the macros and the relation over `csvPath`. */
export async function openEngine(csvPath: string): Promise<DuckDBConnection> {
  // Loaded on use: only `query` needs DuckDB. (require, not import(): tsx runs import() as ESM, which needs
  // file extensions on relative paths; compiled CommonJS turns both into require.)
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  for (const macro of TRINO_MACROS) await connection.run(macro);
  await connection.run(relationSql(csvPath));
  return connection;
}

/** A result value as plain JSON: text, number, boolean, null, arrays; times as ISO 8601 UTC. */
export type Cell = string | number | boolean | null | Cell[];

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(value)) return value.map(toCell);
  return String(value);
}

export interface QueryRows {
  readonly columns: string[];
  readonly rows: AsyncIterable<Cell[]>;
}

/** Runs a saved query with its `?` parameters bound as text, streaming the rows. */
export async function runSavedQuery(
  connection: DuckDBConnection,
  query: SavedQuery,
  parameters: readonly string[],
): Promise<QueryRows> {
  const prepared = await connection.prepare(renderSql(query, RELATION));
  parameters.forEach((value, i) => {
    prepared.bindVarchar(i + 1, value);
  });
  const result = await prepared.stream();
  async function* rows(): AsyncIterable<Cell[]> {
    for await (const batch of result.yieldRowsJs()) {
      for (const row of batch) yield row.map(toCell);
    }
  }
  return { columns: result.deduplicatedColumnNames(), rows: rows() };
}

/** What the relation holds, for saying what a query that found nothing read. */
export interface RelationSummary {
  /** `yyyy/MM/dd`, or null when no record has a readable request time. */
  readonly firstDay: string | null;
  readonly lastDay: string | null;
  readonly bucketCount: number;
  /** The first few buckets, in name order. */
  readonly buckets: string[];
}

const BUCKETS_NAMED = 5;

export async function readSummary(connection: DuckDBConnection): Promise<RelationSummary> {
  const reader = await connection.runAndReadAll(
    `SELECT min(day), max(day), count(DISTINCT bucket), ` +
      `list_sort(list(DISTINCT bucket))[1:${BUCKETS_NAMED}] FROM ${RELATION}`,
  );
  const [firstDay, lastDay, bucketCount, buckets] = reader.getRowsJS()[0];
  return {
    firstDay: firstDay === null ? null : String(firstDay),
    lastDay: lastDay === null ? null : String(lastDay),
    bucketCount: Number(bucketCount),
    buckets: Array.isArray(buckets) ? buckets.map(String) : [],
  };
}
