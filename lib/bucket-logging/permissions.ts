/**
 * The IAM actions bucket logging's handler is granted, one named list per resource it needs. The construct
 * grants exactly these (tests assert the statements), and nothing on `*` that the API does not force.
 */

/** ListBuckets. S3 has no resource for it: IAM only accepts `*`. */
export const LIST_BUCKETS_ACTIONS = ['s3:ListAllMyBuckets'];

/**
 * Read and change a bucket's logging, read its tags (role and opt-out). On every bucket of the account, since
 * the handler does not know them in advance; limited to this account by `s3:ResourceAccount`.
 */
export const BUCKET_CONFIGURATION_ACTIONS = [
  's3:GetBucketLogging',
  's3:PutBucketLogging',
  's3:GetBucketTagging',
  // Only for a bucket listed without its Region (S3-compatible services); never assumed to be this Region's.
  's3:GetBucketLocation',
];

/** Write run reports, only under the log bucket's `_s3-access-logs/reports/`. */
export const REPORT_WRITE_ACTIONS = ['s3:PutObject'];

/** Item reads and writes on the state table (Scan: the records to restore on delete). */
export const STATE_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  'dynamodb:Scan',
];

/** Keep the Athena table's bucket list current: on that table, its database and the catalog only. */
export const GLUE_TABLE_ACTIONS = ['glue:GetTable', 'glue:UpdateTable'];

/** Write the function's own log group (created by the construct, so no logs:CreateLogGroup). */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
