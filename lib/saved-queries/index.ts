/**
 * The saved queries: one SQL text each, run by Athena (the AccessLogTable construct saves them as named queries
 * in its workgroup) and by the CLI on DuckDB. No aws-cdk-lib imports: the CLI imports this module.
 *
 * The contract both sides keep:
 * - The SQL is Trino SQL (Athena engine v3). It uses only functions the CLI can provide on DuckDB as simple
 *   macros: `parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z')` (the one format used),
 *   `from_iso8601_timestamp(?)`, `count`, `count(DISTINCT ...)`, `sum`, `min`, `max`, `array_agg(DISTINCT ...)
 *   FILTER (WHERE ...)` and `array_sort`. No `approx_distinct` or other Trino-only function.
 * - `{{table}}` ({@link TABLE_PLACEHOLDER}) stands for the relation to read: a relation with the 27 log columns
 *   (lib/log-format) plus `bucket` (the source bucket) and `day` (the request's UTC day as `yyyy/MM/dd` text).
 *   Athena substitutes {@link athenaRelation}; the CLI a DuckDB view with the same columns.
 * - Parameters are positional `?` (Athena execution parameters; DuckDB prepared-statement parameters), listed
 *   in order in `parameters`. In Athena each value is a SQL literal: `'2024/01/15'`, with the quotes.
 *
 * Cost: every query takes a first and a last day and filters `day BETWEEN ? AND ?`. On the partitioned key
 * layout `day` is a projected partition column, so Athena lists and reads only those days' log objects (and,
 * where a query also takes a bucket, only that bucket's). Without that filter a query would read every log
 * object kept; the CLI reads what it is given, so for it the filter is only a filter.
 */
import { KeyFormat } from '../conventions';

/** The placeholder for the relation the queries read. */
export const TABLE_PLACEHOLDER = '{{table}}';

/** One positional parameter of a saved query. */
export interface SavedQueryParameter {
  /** Short name (snake_case), for prompts and documentation. */
  readonly name: string;
  /** What to pass, including its format. */
  readonly description: string;
  /** An example value (the text itself, without SQL quotes). */
  readonly example: string;
}

/** A saved query. */
export interface SavedQuery {
  /** Stable kebab-case name: the Athena named query's name and the CLI's query name. */
  readonly name: string;
  /** What the query answers. */
  readonly description: string;
  /** Trino SQL with {@link TABLE_PLACEHOLDER} and positional `?` parameters. */
  readonly sql: string;
  /** The parameters, in the order of their `?`. */
  readonly parameters: readonly SavedQueryParameter[];
  /**
   * The Athena table it is saved on: `raw` (the forensic questions about one object, requester or IP: the raw
   * table reads only the buckets and days asked for, and has today's logs), or `compacted` (the fleet-wide
   * questions: the daily Parquet table reads a few columns of each day). Either way the SQL reads only the raw
   * columns plus `bucket` and `day`, which both tables have, so the same text also runs on the raw table (for
   * today's logs, not compacted yet) and in the CLI.
   */
  readonly reads: SavedQueryTable;
}

/** Which Athena table a saved query is saved on. */
export type SavedQueryTable = 'raw' | 'compacted';

/** When a request was made, as a timestamp with time zone. */
const REQUEST_TIME = "parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z')";

const FIRST_DAY: SavedQueryParameter = {
  name: 'first_day',
  description:
    'First day to read (UTC), yyyy/MM/dd. Athena reads only the log objects of the days asked for.',
  example: '2024/01/15',
};
const LAST_DAY: SavedQueryParameter = {
  name: 'last_day',
  description: 'Last day to read (UTC, inclusive), yyyy/MM/dd.',
  example: '2024/01/16',
};
const BUCKET: SavedQueryParameter = {
  name: 'bucket',
  description: 'Name of the bucket the object is in (Athena then reads only that bucket’s logs).',
  example: 'amzn-s3-demo-bucket',
};
const KEY: SavedQueryParameter = {
  name: 'key',
  description: 'Object key as the log writes it: URL-encoded (a space is + or %20).',
  example: 'images/picture.jpg',
};
const FROM_TIME: SavedQueryParameter = {
  name: 'from_time',
  description: 'Start of the time window (inclusive), ISO 8601 with zone. The days must cover the window.',
  example: '2024-01-15T07:00:00Z',
};
const TO_TIME: SavedQueryParameter = {
  name: 'to_time',
  description: 'End of the time window (exclusive), ISO 8601 with zone.',
  example: '2024-01-15T08:00:00Z',
};

const DAYS = 'day BETWEEN ? AND ?';
const TIME_WINDOW = `${REQUEST_TIME} >= from_iso8601_timestamp(?)\n  AND ${REQUEST_TIME} < from_iso8601_timestamp(?)`;
/** Deletions by a client, by a batch (Multi-Object Delete) and by lifecycle expiration. */
const DELETIONS = "(operation LIKE '%DELETE%' OR operation LIKE 'S3.EXPIRE.%')";

/** Every saved query, in the order the README lists them. */
export const SAVED_QUERIES: readonly SavedQuery[] = [
  {
    name: 'deleted-object',
    description: 'Every log record of the deletion of one object (client, batch and lifecycle deletions).',
    sql: `SELECT *
FROM ${TABLE_PLACEHOLDER}
WHERE ${DAYS}
  AND bucket = ?
  AND key = ?
  AND ${DELETIONS}`,
    parameters: [FIRST_DAY, LAST_DAY, BUCKET, KEY],
    reads: 'raw',
  },
  {
    name: 'who-deleted-object',
    description: 'Who deleted one object and when: time, operation, source IP, requester and user agent.',
    sql: `SELECT requestdatetime, operation, remoteip, requester, useragent, httpstatus, versionid
FROM ${TABLE_PLACEHOLDER}
WHERE ${DAYS}
  AND bucket = ?
  AND key = ?
  AND ${DELETIONS}
ORDER BY ${REQUEST_TIME}`,
    parameters: [FIRST_DAY, LAST_DAY, BUCKET, KEY],
    reads: 'raw',
  },
  {
    name: 'requester-operations',
    description:
      'Every operation of one requester (an IAM user or role ARN), across all buckets, oldest first.',
    sql: `SELECT *
FROM ${TABLE_PLACEHOLDER}
WHERE ${DAYS}
  AND requester = ?
ORDER BY ${REQUEST_TIME}`,
    parameters: [
      FIRST_DAY,
      LAST_DAY,
      {
        name: 'requester',
        description: 'The requester as the log writes it: an IAM ARN, or a canonical user ID.',
        example: 'arn:aws:iam::111122223333:user/alice',
      },
    ],
    reads: 'raw',
  },
  {
    name: 'object-operations-in-time-window',
    description: 'Every operation on one object within a time window, oldest first.',
    sql: `SELECT *
FROM ${TABLE_PLACEHOLDER}
WHERE ${DAYS}
  AND bucket = ?
  AND key = ?
  AND ${TIME_WINDOW}
ORDER BY ${REQUEST_TIME}`,
    parameters: [FIRST_DAY, LAST_DAY, BUCKET, KEY, FROM_TIME, TO_TIME],
    reads: 'raw',
  },
  {
    name: 'bytes-by-ip-in-time-window',
    description:
      'Requests from one IP address within a time window and the bytes S3 sent back (bytessent: response ' +
      'bytes, excluding HTTP overhead), by operation.',
    sql: `SELECT remoteip, operation, count(*) AS requests, sum(bytessent) AS bytes_sent
FROM ${TABLE_PLACEHOLDER}
WHERE ${DAYS}
  AND remoteip = ?
  AND ${TIME_WINDOW}
GROUP BY remoteip, operation
ORDER BY bytes_sent DESC, requests DESC`,
    parameters: [
      FIRST_DAY,
      LAST_DAY,
      { name: 'remote_ip', description: 'The client IP address (IPv4 or IPv6).', example: '192.0.2.3' },
      FROM_TIME,
      TO_TIME,
    ],
    reads: 'raw',
  },
  {
    name: 'requests-by-signature-version',
    description:
      'Requests per requester and signature version (sigv NULL: unauthenticated; requester NULL: anonymous).',
    sql: `SELECT requester, sigv, count(*) AS requests
FROM ${TABLE_PLACEHOLDER}
WHERE ${DAYS}
GROUP BY requester, sigv
ORDER BY requests DESC`,
    parameters: [FIRST_DAY, LAST_DAY],
    reads: 'compacted',
  },
  {
    name: 'sigv2-requesters',
    description:
      'Every requester still signing with Signature Version 2: request count, user agents, source IPs, ' +
      'buckets, first and last seen.',
    sql: `SELECT requester,
  count(*) AS requests,
  array_sort(array_agg(DISTINCT useragent) FILTER (WHERE useragent IS NOT NULL)) AS user_agents,
  array_sort(array_agg(DISTINCT remoteip) FILTER (WHERE remoteip IS NOT NULL)) AS source_ips,
  array_sort(array_agg(DISTINCT bucket_name) FILTER (WHERE bucket_name IS NOT NULL)) AS buckets,
  min(${REQUEST_TIME}) AS first_seen,
  max(${REQUEST_TIME}) AS last_seen
FROM ${TABLE_PLACEHOLDER}
WHERE ${DAYS}
  AND sigv = 'SigV2'
GROUP BY requester
ORDER BY requests DESC`,
    parameters: [FIRST_DAY, LAST_DAY],
    reads: 'compacted',
  },
  {
    name: 'sigv2-by-bucket',
    description:
      'Signature Version 2 requests per bucket: requests, distinct requesters and source IPs, first and last seen.',
    sql: `SELECT bucket_name,
  count(*) AS requests,
  count(DISTINCT requester) AS requesters,
  count(DISTINCT remoteip) AS source_ips,
  min(${REQUEST_TIME}) AS first_seen,
  max(${REQUEST_TIME}) AS last_seen
FROM ${TABLE_PLACEHOLDER}
WHERE ${DAYS}
  AND sigv = 'SigV2'
GROUP BY bucket_name
ORDER BY requests DESC`,
    parameters: [FIRST_DAY, LAST_DAY],
    reads: 'compacted',
  },
  {
    name: 'sigv2-per-day',
    description:
      'Signature Version 2 requests per day, with distinct requesters and buckets: is the count falling?',
    sql: `SELECT day,
  count(*) AS requests,
  count(DISTINCT requester) AS requesters,
  count(DISTINCT bucket_name) AS buckets
FROM ${TABLE_PLACEHOLDER}
WHERE ${DAYS}
  AND sigv = 'SigV2'
GROUP BY day
ORDER BY day`,
    parameters: [FIRST_DAY, LAST_DAY],
    reads: 'compacted',
  },
];

/** The query's SQL with `relation` in place of {@link TABLE_PLACEHOLDER}. */
export function renderSql(query: SavedQuery, relation: string): string {
  return query.sql.split(TABLE_PLACEHOLDER).join(relation);
}

/** Where an Athena table lives, as the saved queries need it. */
export interface AthenaTableRef {
  /** Glue database name. */
  readonly databaseName: string;
  /** Glue table name. */
  readonly tableName: string;
  /** The key layout the table reads. */
  readonly keyFormat: KeyFormat;
}

/**
 * The relation Athena substitutes for {@link TABLE_PLACEHOLDER}. On the partitioned layout it is the table, whose
 * `day` partition column prunes. The simple layout has no date in its keys, so the table has no `day` column:
 * the relation derives `day` from each record's time, the same queries run, and every day is read.
 */
export function athenaRelation(table: AthenaTableRef): string {
  const name = `"${table.databaseName}"."${table.tableName}"`;
  switch (table.keyFormat) {
    case KeyFormat.PARTITIONED:
      return name;
    case KeyFormat.SIMPLE:
      return `(SELECT *, format_datetime(${REQUEST_TIME} AT TIME ZONE 'UTC', 'yyyy/MM/dd') AS day FROM ${name})`;
    default: {
      const unknown: never = table.keyFormat;
      throw new Error(`Unknown key format: ${String(unknown)}`);
    }
  }
}
