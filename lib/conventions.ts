/**
 * Names shared by the constructs, the Lambda handlers and the CLI. They are a contract with resources that
 * already exist in users' accounts (tags on buckets, prefixes in log buckets): changing one is a breaking change.
 *
 * This module must stay free of aws-cdk-lib imports: the bundled Lambda handlers import it.
 */

/** Tag key that marks the project's own buckets; bucket logging never configures a bucket that carries it. */
export const ROLE_TAG_KEY = 's3-access-logs:role';

/** `ROLE_TAG_KEY` value of a bucket that receives server access logs. */
export const LOG_TARGET_ROLE = 'log-target';

/** `ROLE_TAG_KEY` value of a bucket that holds Athena query results. */
export const ATHENA_RESULTS_ROLE = 'athena-results';

/** Default tag key that opts a bucket out of bucket logging (any value). */
export const DEFAULT_EXCLUDE_TAG_KEY = 's3-access-logs:exclude';

/**
 * Prefix of the log bucket reserved for the project's own objects. S3 bucket names cannot start with `_`, so no
 * source bucket's log prefix (`{bucket}/...`) can collide with it, and the Athena table never reads it.
 */
export const RESERVED_PREFIX = '_s3-access-logs/';

/** Where bucket logging writes one JSON report per run. */
export const REPORTS_PREFIX = `${RESERVED_PREFIX}reports/`;
