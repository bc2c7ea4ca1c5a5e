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

/**
 * How S3 names the log objects it delivers (the key layout; the Athena table reads the same layout).
 * - `partitioned`: `<prefix><account>/<region>/<source bucket>/YYYY/MM/DD/YYYY-MM-DD-hh-mm-ss-<unique>`
 *   (PartitionedPrefix with EventTime), so queries can be pruned by day.
 * - `simple`: `<prefix>YYYY-MM-DD-hh-mm-ss-<unique>` (SimplePrefix); no date folders.
 */
export enum KeyFormat {
  /** PartitionedPrefix with EventTime: date folders, so the table prunes by day. The default. */
  PARTITIONED = 'partitioned',
  /** SimplePrefix: no date folders; every query reads every log of the buckets it covers. */
  SIMPLE = 'simple',
}

/** The placeholder in a target prefix template that stands for the source bucket's name. */
export const BUCKET_PLACEHOLDER = '{bucket}';

/** Default target prefix template: each source bucket logs under its own name. */
export const DEFAULT_PREFIX_TEMPLATE = `${BUCKET_PLACEHOLDER}/`;

/** The TargetPrefix for one source bucket. */
export function targetPrefixFor(template: string, bucket: string): string {
  return template.split(BUCKET_PLACEHOLDER).join(bucket);
}

/**
 * Glue table parameter that lists the source buckets for partition projection (`enum`). Bucket logging keeps
 * it equal to the buckets that log into the Region's log bucket.
 */
export const BUCKET_PROJECTION_VALUES_PARAMETER = 'projection.bucket.values';

/**
 * The enum's value before bucket logging has run: a name no S3 bucket can have (names cannot start with `_`),
 * so the projected location matches no object.
 */
export const NO_BUCKETS_PLACEHOLDER = '_no_buckets_yet';
