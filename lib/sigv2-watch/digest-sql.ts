/**
 * The SQL of the SigV2 digest: three small queries over the compacted table (one row per log record, partitioned
 * by `day`), run by Athena in the watch's Lambda function and by `s3-access-logs digest` on DuckDB. No aws-cdk-lib
 * import: the handler bundle and the CLI import this module.
 *
 * The queries rely only on the compacted table's contract columns: `day` (`yyyy/MM/dd`), `sigv`, `requester`,
 * `useragent`, `remoteip`, `bucket`, `operation`, `authtype` and `request_time` (a UTC timestamp). Every query
 * filters `day` with literal parameters, so Athena reads only the partitions of the days asked for. They use
 * only SQL that Trino and DuckDB read the same way (`count(*) FILTER`, `row_number() OVER`, `UNION ALL`), so
 * the local digest is the same as the deployed one.
 */
import { TABLE_PLACEHOLDER } from '../saved-queries';

/** How many values of each facet (user agents, source IPs, ...) the digest lists per requester. */
export const TOP_VALUES = 5;

/** The name of a facet in the digest: what each requester's SigV2 requests of the day are broken down by. */
export type FacetName = 'userAgents' | 'sourceIps' | 'buckets' | 'operations' | 'authTypes';

/** The facets, by name: the compacted table's column each one counts. */
export const FACETS: Readonly<Record<FacetName, string>> = {
  userAgents: 'useragent',
  sourceIps: 'remoteip',
  buckets: 'bucket',
  operations: 'operation',
  authTypes: 'authtype',
};

/** The days one digest reads, as `yyyy/MM/dd` (the `day` partition's format). */
export interface DigestDays {
  /** The day the digest describes. */
  readonly day: string;
  /** The first day of the lookback window (`lookbackDays` before `day`). */
  readonly firstDay: string;
}

/** One digest query: SQL with {@link TABLE_PLACEHOLDER} and positional `?`, and what to bind, in order. */
export interface DigestQuery {
  /** Stable name (results are matched by it). */
  readonly name: 'days' | 'requesters' | 'facets';
  /** Trino SQL, also valid DuckDB SQL. */
  readonly sql: string;
  /** The values of the `?` parameters, in order, as text (`yyyy/MM/dd`). */
  parameters(days: DigestDays): string[];
}

const SIGV2 = "sigv = 'SigV2'";

/**
 * Records and SigV2 requests per day of the window: the honest zero (a day the table holds no record of reads
 * as "no records", never as "no SigV2") and how much of the lookback window the table actually holds.
 * On Parquet, `count(*)` per partition costs almost nothing.
 */
const DAYS_QUERY: DigestQuery = {
  name: 'days',
  sql: `SELECT day,
  count(*) AS records,
  count(*) FILTER (WHERE ${SIGV2}) AS sigv2_requests
FROM ${TABLE_PLACEHOLDER}
WHERE day BETWEEN ? AND ?
GROUP BY day
ORDER BY day`,
  parameters: ({ firstDay, day }) => [firstDay, day],
};

/**
 * Every requester that signed with SigV2 on the day or in the lookback window: its requests on the day and
 * before, and when it was first and last seen in the window. New: requests on the day, none before.
 * Disappeared: requests before, none on the day.
 */
const REQUESTERS_QUERY: DigestQuery = {
  name: 'requesters',
  sql: `SELECT requester,
  count(*) FILTER (WHERE day = ?) AS requests,
  count(*) FILTER (WHERE day < ?) AS lookback_requests,
  min(request_time) AS first_seen,
  max(request_time) AS last_seen
FROM ${TABLE_PLACEHOLDER}
WHERE day BETWEEN ? AND ?
  AND ${SIGV2}
GROUP BY requester
ORDER BY requests DESC, lookback_requests DESC, requester`,
  parameters: ({ firstDay, day }) => [day, day, firstDay, day],
};

const facetSelect = (facet: FacetName): string =>
  `SELECT requester, '${facet}' AS facet, ${FACETS[facet]} AS value, count(*) AS requests
  FROM ${TABLE_PLACEHOLDER}
  WHERE day = ? AND ${SIGV2}
  GROUP BY requester, ${FACETS[facet]}`;

const FACET_NAMES = Object.keys(FACETS) as FacetName[];

/**
 * The day's SigV2 requests of each requester broken down by user agent, source IP, bucket, operation and auth
 * type (header or presigned URL): the {@link TOP_VALUES} most frequent values of each, and how many distinct
 * values there were. Long format (one row per value) because Athena returns arrays and maps as text that
 * cannot be split reliably (user agents contain commas).
 */
const FACETS_QUERY: DigestQuery = {
  name: 'facets',
  sql: `WITH counted AS (
  ${FACET_NAMES.map(facetSelect).join('\n  UNION ALL\n  ')}
), ranked AS (
  SELECT requester, facet, value, requests,
    row_number() OVER (PARTITION BY requester, facet ORDER BY requests DESC, value) AS position,
    count(*) OVER (PARTITION BY requester, facet) AS distinct_values
  FROM counted
)
SELECT requester, facet, value, requests, distinct_values
FROM ranked
WHERE position <= ${TOP_VALUES}
ORDER BY requester, facet, position`,
  parameters: ({ day }) => FACET_NAMES.map(() => day),
};

/** The three digest queries. */
export const DIGEST_QUERIES: readonly DigestQuery[] = [DAYS_QUERY, REQUESTERS_QUERY, FACETS_QUERY];

/** The query's SQL with `relation` in place of {@link TABLE_PLACEHOLDER}. */
export function digestSql(query: DigestQuery, relation: string): string {
  return query.sql.split(TABLE_PLACEHOLDER).join(relation);
}

/** A SQL string literal (Athena execution parameters are literals). */
export function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A query a reader can paste into Athena to see the day's SigV2 requests of one requester or all of them, with
 * the values written in (the digest message carries it).
 */
export function detailsSql(relation: string, day: string): string {
  return `SELECT request_time, requester, remoteip, useragent, bucket, operation, authtype, key, httpstatus
FROM ${relation}
WHERE day = ${sqlLiteral(day)}
  AND ${SIGV2}
ORDER BY requester, request_time`;
}
