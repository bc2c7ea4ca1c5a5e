/**
 * The compacted table's columns and the SQL that turns raw log records into its rows. Athena runs it (engine
 * v3, Trino SQL) every night; the tests and `bench:compaction` run the same text on DuckDB with
 * {@link LOCAL_ENGINE_MACROS}. No aws-cdk-lib imports: the compaction's Lambda handler bundles this module.
 *
 * The raw relation the SQL reads has the 27 columns of lib/log-format with the raw table's types and NULLs,
 * plus `bucket` (the source bucket) and `day` (`yyyy/MM/dd`, the UTC day of the request): in Athena the
 * compaction's source table (the raw table's layout, `bucket` an injected projection); locally any relation
 * with those columns.
 */
import { COLUMNS, type ColumnName } from '../log-format';

/** Glue/Athena type of a compacted column. */
export type CompactedColumnType = 'string' | 'bigint' | 'int' | 'timestamp';

/** One column of the compacted table. */
export interface CompactedColumn {
  /** Column name (lower case, as Athena shows it). */
  readonly name: string;
  /** Glue type. */
  readonly type: CompactedColumnType;
  /** What it holds. */
  readonly comment: string;
}

/** Raw text columns that the compacted table holds as numbers ("numbers as numbers"). */
const NUMERIC_TEXT: Partial<
  Record<ColumnName, { readonly type: 'int' | 'bigint'; readonly digits: number }>
> = {
  // 9 digits always fit an int, 18 a bigint: a longer run of digits is not a number the table can hold.
  httpstatus: { type: 'int', digits: 9 },
  totaltime: { type: 'bigint', digits: 18 },
  turnaroundtime: { type: 'bigint', digits: 18 },
};

/** The source bucket: the raw table's `bucket` partition, an ordinary column here. */
export const BUCKET_COLUMN = 'bucket';
/** The request time parsed from `requestdatetime`, UTC. */
export const REQUEST_TIME_COLUMN = 'request_time';
/** The partition column: the request's UTC day, `yyyy/MM/dd`. Not stored in the files (it is the folder). */
export const DAY_COLUMN = 'day';

/**
 * The compacted table's columns, in file order: the 27 raw columns (raw names, raw NULLs; three of them typed
 * as numbers), then `bucket` and `request_time`. The partition column `day` is not part of the files.
 */
export const COMPACTED_COLUMNS: readonly CompactedColumn[] = [
  ...COLUMNS.map((c) => ({
    name: c.name,
    type: NUMERIC_TEXT[c.name]?.type ?? c.type,
    comment:
      NUMERIC_TEXT[c.name] !== undefined
        ? 'As in the raw table, as a number (NULL where the raw text is NULL or not a whole number)'
        : 'As in the raw table',
  })),
  { name: BUCKET_COLUMN, type: 'string', comment: 'Source bucket (the raw table’s bucket partition)' },
  {
    name: REQUEST_TIME_COLUMN,
    type: 'timestamp',
    comment: 'requestdatetime as a UTC timestamp (NULL where it cannot be read)',
  },
];

/** Columns of the compacted rows by which each day's files are sorted, so row-group statistics prune them. */
export const SORT_COLUMNS = ['sigv', BUCKET_COLUMN, REQUEST_TIME_COLUMN] as const;

/** Parquet compression of the compacted files, in the table and in the writing SQL. */
export const PARQUET_COMPRESSION = 'ZSTD';

/** Athena's longest query text, in bytes (service quota, not adjustable). */
export const ATHENA_MAX_QUERY_BYTES = 262_144;

/**
 * The longest chunk query the plan writes: under Athena's limit, and small enough that the distributed map's item
 * that carries it (JSON, with the day and chunk number) stays under Step Functions' 256 KiB payload.
 */
export const MAX_CHUNK_QUERY_BYTES = 240_000;

/** The longest bucket name: legacy us-east-1 buckets (created before 2018-03-01) have up to 255 characters. */
export const MAX_BUCKET_NAME_CHARS = 255;

/**
 * An S3 bucket name, today's (3 to 63 of `a-z 0-9 . -`) or a legacy us-east-1 one (created before 2018-03-01:
 * also uppercase letters and underscores, up to 255 characters). Such buckets still deliver logs, so the
 * compaction reads them. No quote, space, slash or backslash can appear in one, so a SQL literal is safe.
 */
const BUCKET_NAME = /^[A-Za-z0-9._-]{3,255}$/;
const DAY = /^\d{4}\/\d{2}\/\d{2}$/;

/**
 * Whether `name` can be an S3 bucket's name, legacy us-east-1 names included (so a prefix that is not one is not
 * compacted as one, and nothing else reaches a SQL literal).
 */
export function isBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

/** The expression of one compacted column, over the raw relation's columns. */
function columnExpression(column: CompactedColumn): string {
  if (column.name === REQUEST_TIME_COLUMN) {
    // try(): a requestdatetime that is not in S3's format is NULL here, as a non-number is, not a failed run.
    return `CAST(try(parse_datetime(requestdatetime, '${REQUEST_TIME_FORMAT}')) AT TIME ZONE 'UTC' AS timestamp) AS ${column.name}`;
  }
  const numeric = NUMERIC_TEXT[column.name as ColumnName];
  if (numeric !== undefined) {
    // Not try_cast: Trino and DuckDB disagree on text such as '12.5' or '1e3'; digits only reads the same in both.
    const sqlType = numeric.type === 'int' ? 'integer' : 'bigint';
    return `CASE WHEN regexp_like(${column.name}, '^[0-9]{1,${numeric.digits}}$') THEN CAST(${column.name} AS ${sqlType}) END AS ${column.name}`;
  }
  return column.name;
}

/** What one compaction query covers. */
export interface CompactionChunk {
  /** The raw relation to read (Athena: `"db"."table"`; locally a table or view name). */
  readonly source: string;
  /** The day, `yyyy/MM/dd`. */
  readonly day: string;
  /**
   * The source buckets to read, listed as literals: the Athena source table's `bucket` is an injected
   * projection, which needs them. Undefined reads every bucket (locally only: Athena requires the list).
   */
  readonly buckets?: readonly string[];
}

/**
 * The SELECT that turns one day's raw records of some buckets into compacted rows, sorted by
 * {@link SORT_COLUMNS} (SigV2 rows sit together, so a SigV2 query reads few row groups).
 */
export function compactionSelect(chunk: CompactionChunk): string {
  if (!DAY.test(chunk.day)) throw new Error(`day '${chunk.day}' must be yyyy/MM/dd, e.g. 2026/11/29`);
  const conditions = [`${DAY_COLUMN} = '${chunk.day}'`];
  if (chunk.buckets !== undefined) {
    if (chunk.buckets.length === 0) throw new Error('a compaction chunk must list at least one bucket');
    const bad = chunk.buckets.find((b) => !isBucketName(b));
    if (bad !== undefined) throw new Error(`'${bad}' is not an S3 bucket name; it cannot be compacted`);
    conditions.push(`${BUCKET_COLUMN} IN (${chunk.buckets.map((b) => `'${b}'`).join(', ')})`);
  }
  return [
    `SELECT ${COMPACTED_COLUMNS.map(columnExpression).join(',\n  ')}`,
    `FROM ${chunk.source}`,
    `WHERE ${conditions.join('\n  AND ')}`,
    `ORDER BY ${SORT_COLUMNS.map((c) => `${c} NULLS LAST`).join(', ')}`,
  ].join('\n');
}

/**
 * Athena's statement for one chunk: UNLOAD writes the rows as ZSTD Parquet under a fresh prefix (UNLOAD fails on
 * a prefix that holds objects, so a retried chunk never adds a second copy), which the run then publishes.
 */
export function athenaUnload(chunk: CompactionChunk, location: string): string {
  if (!/^s3:\/\/[^']+\/$/.test(location)) {
    throw new Error(`UNLOAD location '${location}' must be an s3:// URL ending in '/'`);
  }
  const sql = `UNLOAD (\n${compactionSelect(chunk)}\n)\nTO '${location}'\nWITH (format = 'PARQUET', compression = '${PARQUET_COMPRESSION}')`;
  const bytes = Buffer.byteLength(sql, 'utf8');
  if (bytes > ATHENA_MAX_QUERY_BYTES) {
    throw new Error(
      `The compaction query for ${chunk.buckets?.length ?? 0} buckets is ${bytes} bytes, over Athena's ` +
        `${ATHENA_MAX_QUERY_BYTES}: lower chunkSize.`,
    );
  }
  return sql;
}

/**
 * The buckets in chunks of at most `chunkSize`, each small enough that its UNLOAD stays under
 * {@link MAX_CHUNK_QUERY_BYTES} (a chunk closes early when its names would not fit). Order is kept; empty input gives no chunk.
 */
export function chunkBuckets(buckets: readonly string[], chunkSize: number): string[][] {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new Error(`chunkSize must be a whole number of buckets, at least 1 (got ${chunkSize})`);
  }
  // What the statement takes apart from the names: measured on a one-bucket chunk, plus a margin for the
  // location and day, which vary per run.
  const fixed = Buffer.byteLength(
    athenaUnload({ source: '"d"."t"', day: '2000/01/01', buckets: ['abc'] }, 's3://b/'),
    'utf8',
  );
  const budget = MAX_CHUNK_QUERY_BYTES - fixed - 2_048;
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const bucket of buckets) {
    const size = Buffer.byteLength(bucket, 'utf8') + 4; // 'name', plus the separator
    if (current.length > 0 && (current.length >= chunkSize || bytes + size > budget)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(bucket);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The one time format the compaction parses: S3's `requestdatetime`. */
export const REQUEST_TIME_FORMAT = 'dd/MMM/yyyy:HH:mm:ss Z';

/**
 * The Trino functions the SQL uses, as DuckDB macros, for a session whose time zone is UTC as Athena's is.
 * `parse_datetime` reads {@link REQUEST_TIME_FORMAT} only (DuckDB's strptime needs a constant format) and, like
 * the CLI's, yields a timestamp with time zone; it is not volatile, so `try()` accepts it. `try` and
 * `AT TIME ZONE` exist in both engines.
 */
export const LOCAL_ENGINE_MACROS: readonly string[] = [
  "CREATE MACRO parse_datetime(s, f) AS CAST(strptime(s, '%d/%b/%Y:%H:%M:%S %z') AS TIMESTAMPTZ)",
  'CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)',
];
