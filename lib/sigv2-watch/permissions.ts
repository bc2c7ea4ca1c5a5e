/**
 * The IAM actions the watch's function is granted, one named list per resource. The construct grants exactly
 * these (tests assert the statements).
 */

/** Run the digest queries and read their results: on the workgroup only. */
export const ATHENA_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
];

/** What Athena reads from the Data Catalog on the caller's behalf: the catalog, the database, the table. */
export const GLUE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable'];

/** Athena reads the compacted files with the caller's permissions: under the log bucket's reserved prefix. */
export const COMPACTED_READ_ACTIONS = ['s3:GetObject'];
export const COMPACTED_LIST_ACTIONS = ['s3:ListBucket', 's3:GetBucketLocation'];

/** PutMetricData has no resource: IAM accepts only `*`, limited here by the `cloudwatch:namespace` condition. */
export const METRIC_ACTIONS = ['cloudwatch:PutMetricData'];

/** The digest event, on the one event bus. */
export const EVENT_ACTIONS = ['events:PutEvents'];

/** Write the function's own log group (created by the construct, so no logs:CreateLogGroup). */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
