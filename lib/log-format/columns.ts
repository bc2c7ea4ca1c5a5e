/**
 * The columns of an S3 server access log record: AWS's names, order and types (the table in AWS's guide
 * "Using Amazon S3 server access logs to identify requests"), so queries written for AWS's table keep working.
 * Field N of a log line is column N; lines end early (older formats) or carry more fields (newer ones).
 *
 * No aws-cdk-lib here: the Lambda handlers and the CLI import this module.
 */

/** Glue/Athena type of a column. */
export type ColumnType = 'string' | 'bigint';

/** One column of the table, in line order. */
export interface Column {
  /** Column name in the Glue table (lower case, as Athena shows it). */
  readonly name: string;
  /** Glue type. */
  readonly type: ColumnType;
}

/** The 27 columns, in the order their fields appear on a log line. */
export const COLUMNS = [
  { name: 'bucketowner', type: 'string' },
  { name: 'bucket_name', type: 'string' },
  { name: 'requestdatetime', type: 'string' },
  { name: 'remoteip', type: 'string' },
  { name: 'requester', type: 'string' },
  { name: 'requestid', type: 'string' },
  { name: 'operation', type: 'string' },
  { name: 'key', type: 'string' },
  { name: 'request_uri', type: 'string' },
  { name: 'httpstatus', type: 'string' },
  { name: 'errorcode', type: 'string' },
  { name: 'bytessent', type: 'bigint' },
  { name: 'objectsize', type: 'bigint' },
  { name: 'totaltime', type: 'string' },
  { name: 'turnaroundtime', type: 'string' },
  { name: 'referrer', type: 'string' },
  { name: 'useragent', type: 'string' },
  { name: 'versionid', type: 'string' },
  { name: 'hostid', type: 'string' },
  { name: 'sigv', type: 'string' },
  { name: 'ciphersuite', type: 'string' },
  { name: 'authtype', type: 'string' },
  { name: 'endpoint', type: 'string' },
  { name: 'tlsversion', type: 'string' },
  { name: 'accesspointarn', type: 'string' },
  { name: 'aclrequired', type: 'string' },
  { name: 'sourceregion', type: 'string' },
] as const satisfies readonly Column[];

type ColumnList = typeof COLUMNS;

/** The name of one of the 27 columns. */
export type ColumnName = ColumnList[number]['name'];

/** The column names in line order. */
export const COLUMN_NAMES: readonly ColumnName[] = COLUMNS.map((c) => c.name);

/**
 * The fewest fields a line can have and still be a record: up to and including `versionid`. Every field after
 * it is optional on its own (each was added to the format later).
 */
export const MIN_FIELDS = 18;

/**
 * One log line read as the table reads it: `null` where the field is `-`, `"-"`, absent (a shorter, older
 * line), or, for the two `bigint` columns, not a whole number.
 */
export type LogRecord = {
  readonly [C in ColumnList[number] as C['name']]: C['type'] extends 'bigint' ? number | null : string | null;
};
