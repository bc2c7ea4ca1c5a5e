/**
 * The organization-wide queries over the central table, one SQL text each: Athena runs them (saved as named
 * queries in the central workgroup) and the tests run the same text on DuckDB over a folder laid out like the
 * central bucket. No aws-cdk-lib import.
 *
 * - `{{central}}` ({@link CENTRAL_PLACEHOLDER}) stands for a relation with the compacted columns, `day`, and the
 *   hidden `"$path"` of each row's object (Athena's pseudo-column; locally a view column of the same name).
 *   {@link orgRelation} adds `account` and `region` read from that path, which the bucket policy makes
 *   authoritative: an account can only write under its own id.
 * - Parameters are positional `?`, listed in order. Every query bounds `day`, the only partition, so Athena
 *   lists and reads only those days of every account.
 */
import { COMPACTED_COLUMNS, DAY_COLUMN } from '../log-compaction/sql';
import { ACCOUNT_FROM_PATH, REGION_FROM_PATH } from './layout';

/** The placeholder for the central table. */
export const CENTRAL_PLACEHOLDER = '{{central}}';

/** One positional parameter. */
export interface OrgQueryParameter {
  /** Short name (snake_case). */
  readonly name: string;
  /** What to pass. */
  readonly description: string;
  /** An example value, without SQL quotes. */
  readonly example: string;
}

/** A fleet-wide saved query. */
export interface OrgQuery {
  /** Stable kebab-case name (the Athena named query's name). */
  readonly name: string;
  /** What it answers. */
  readonly description: string;
  /** Trino SQL with `{{central}}` for the central table and positional `?`. */
  readonly sql: string;
  /** The parameters, in the order of their `?`. */
  readonly parameters: readonly OrgQueryParameter[];
}

/** The central relation with `account` and `region` taken from each object's key. */
export function orgRelation(table: string): string {
  return (
    `(SELECT t.*, regexp_extract("$path", '${ACCOUNT_FROM_PATH}', 1) AS account, ` +
    `regexp_extract("$path", '${REGION_FROM_PATH}', 1) AS region FROM ${table} t)`
  );
}

const FIRST_DAY: OrgQueryParameter = {
  name: 'first_day',
  description: 'First day to read (UTC), yyyy/MM/dd.',
  example: '2026/11/01',
};
const LAST_DAY: OrgQueryParameter = {
  name: 'last_day',
  description: 'Last day to read (UTC, inclusive), yyyy/MM/dd.',
  example: '2026/11/29',
};
const DAY: OrgQueryParameter = {
  name: 'day',
  description: 'The day of the digest (UTC), yyyy/MM/dd.',
  example: '2026/11/29',
};

const SIGV2 = "sigv = 'SigV2'";
const LOGS = `${CENTRAL_PLACEHOLDER} logs`;

/** The fleet-wide saved queries, in the order the workgroup lists them. */
export const ORG_QUERIES: readonly OrgQuery[] = [
  {
    name: 'org-sigv2-by-account',
    description: 'Per account and Region: SigV2 requests, all requests, and distinct SigV2 requesters.',
    sql: [
      'SELECT account, region,',
      `  count(*) FILTER (WHERE ${SIGV2}) AS sigv2_requests,`,
      '  count(*) AS requests,',
      `  count(DISTINCT requester) FILTER (WHERE ${SIGV2}) AS sigv2_requesters`,
      `FROM ${LOGS}`,
      'WHERE day BETWEEN ? AND ?',
      'GROUP BY account, region',
      'ORDER BY sigv2_requests DESC, account, region',
    ].join('\n'),
    parameters: [FIRST_DAY, LAST_DAY],
  },
  {
    name: 'org-sigv2-requesters',
    description:
      'Every SigV2 requester of the organization, with its account: requests, buckets, first and last seen.',
    sql: [
      'SELECT account, requester,',
      '  count(*) AS requests,',
      '  count(DISTINCT bucket) AS buckets,',
      '  array_sort(array_agg(DISTINCT region)) AS regions,',
      '  min(request_time) AS first_seen,',
      '  max(request_time) AS last_seen',
      `FROM ${LOGS}`,
      `WHERE day BETWEEN ? AND ? AND ${SIGV2}`,
      'GROUP BY account, requester',
      'ORDER BY requests DESC, account, requester',
    ].join('\n'),
    parameters: [FIRST_DAY, LAST_DAY],
  },
  {
    name: 'org-sigv2-digest',
    description:
      'The daily digest: SigV2 requesters of one day with their account, flagged new when that account saw ' +
      'them sign SigV2 on none of the days before (within the look-back).',
    sql: [
      'WITH today AS (',
      '  SELECT account, requester, count(*) AS requests, array_sort(array_agg(DISTINCT bucket)) AS buckets',
      `  FROM ${LOGS}`,
      `  WHERE day = ? AND ${SIGV2}`,
      '  GROUP BY account, requester',
      '), before AS (',
      '  SELECT DISTINCT account, requester',
      `  FROM ${LOGS}`,
      `  WHERE day BETWEEN ? AND ? AND ${SIGV2}`,
      ')',
      'SELECT today.account, today.requester, today.requests, today.buckets,',
      '  before.account IS NULL AS new_requester',
      'FROM today LEFT JOIN before',
      '  ON before.account = today.account AND before.requester IS NOT DISTINCT FROM today.requester',
      'ORDER BY new_requester DESC, today.requests DESC, today.account, today.requester',
    ].join('\n'),
    parameters: [
      DAY,
      {
        name: 'lookback_first_day',
        description: 'First day of the look-back, yyyy/MM/dd.',
        example: '2026/10/30',
      },
      { name: 'lookback_last_day', description: 'The day before `day`, yyyy/MM/dd.', example: '2026/11/28' },
    ],
  },
];

/** The query's text for one engine: the central relation put in, with account and Region. */
export function renderOrgQuery(query: OrgQuery, table: string): string {
  return query.sql.split(CENTRAL_PLACEHOLDER).join(orgRelation(table));
}

/**
 * The SELECT of the organization watch's view: the central table's columns and `day`, with `requester` read as
 * `<account> <requester>` (`-` for an anonymous one), so a digest written for one account names the account of
 * each requester, and "new" means new in that account.
 */
export function orgWatchViewSql(table: string): string {
  const columns = COMPACTED_COLUMNS.map((c) =>
    c.name === 'requester'
      ? `concat(regexp_extract("$path", '${ACCOUNT_FROM_PATH}', 1), ' ', coalesce(requester, '-')) AS requester`
      : `"${c.name}"`,
  );
  return `SELECT ${[...columns, `"${DAY_COLUMN}"`].join(', ')} FROM ${table}`;
}
