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

/**
 * Why a target prefix template cannot be used because it writes into {@link RESERVED_PREFIX}, or undefined when
 * it does not. The one statement of the rule: bucket logging, the table and the compaction all check it.
 */
export function reservedPrefixProblem(template: string): string | undefined {
  if (!template.startsWith(RESERVED_PREFIX)) return undefined;
  return (
    `prefixTemplate '${template}' must not start with ${RESERVED_PREFIX}: that prefix of the log bucket is ` +
    'reserved for the project’s own objects (run reports, compacted days). Use the default or another prefix.'
  );
}

/** The longest general purpose bucket name S3 allows today. */
export const BUCKET_NAME_MAX_LENGTH = 63;

/**
 * Why `name` is not a valid general purpose S3 bucket name, or undefined when it is; the reason reads after
 * "it" (`it must be 3 to 63 characters long`). The one statement of the naming rules for the constructs.
 * Rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > BUCKET_NAME_MAX_LENGTH) {
    return `must be 3 to ${BUCKET_NAME_MAX_LENGTH} characters long (got ${name.length})`;
  }
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return 'may contain only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit';
  }
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `must not start with the reserved prefix '${prefix}'`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `must not end with the reserved suffix '${suffix}'`;
  }
  return undefined;
}
