import type * as events from 'aws-cdk-lib/aws-events';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { KeyFormat } from '../conventions';
import type { GlueTableRef } from './types';

/** BucketLogging settings that do not depend on the log bucket (AccessLogsStack takes these). */
export interface BucketLoggingOptions {
  /**
   * TargetPrefix of each source bucket; `{bucket}` stands for its name and is required (the Athena table finds
   * each bucket's logs under it). Must not start with `_s3-access-logs/` (reserved for run reports).
   * @default '{bucket}/'
   */
  readonly prefixTemplate?: string;
  /**
   * How S3 names log objects: `partitioned` (PartitionedPrefix with EventTime: date folders the table can prune
   * by) or `simple` (SimplePrefix).
   * @default KeyFormat.PARTITIONED
   */
  readonly keyFormat?: KeyFormat;
  /**
   * Only buckets matching one of these: names, prefixes (`team-a-*`) or globs (`*`, `?`).
   * @default - every bucket of the Region
   */
  readonly include?: string[];
  /**
   * Buckets matching one of these are left alone: names, prefixes (`team-a-*`) or globs.
   * @default - none
   */
  readonly exclude?: string[];
  /**
   * A bucket carrying this tag (any value) is left alone.
   * @default 's3-access-logs:exclude'
   */
  readonly excludeTagKey?: string;
  /**
   * Re-point buckets that already log somewhere else. Off, they are left as they are and reported as kept.
   * @default false
   */
  readonly overwriteExisting?: boolean;
  /**
   * Buckets worked on at the same time (1 to 256).
   * @default 64
   */
  readonly concurrency?: number;
  /**
   * Fail the deployment when a bucket could not be configured (buckets deleted during the run excepted).
   * Off, failures are reported (report, logs, the `failed` attribute) and the deployment succeeds.
   * @default false
   */
  readonly failOnErrors?: boolean;
  /**
   * When the sweep reconciles every bucket of the Region again (covers buckets CloudTrail did not report,
   * turns logging back on where it was turned off, resumes a run that did not finish).
   * @default events.Schedule.rate(Duration.days(1))
   */
  readonly sweepSchedule?: events.Schedule;
  /**
   * On delete, give every bucket whose logging still points at the log bucket the configuration it had before.
   * @default true
   */
  readonly restoreOnDelete?: boolean;
  /**
   * The Athena table whose partition-projection bucket list (`projection.bucket.values`) is kept equal to the
   * buckets that log into the log bucket.
   * @default - no table is updated
   */
  readonly glueTable?: GlueTableRef;
  /**
   * A value that changes whenever `glueTable`'s definition changes (AccessLogsStack passes a hash of the table
   * input). A deployment that changes the table rewrites its parameters, bucket list included, back to the
   * placeholder; a new revision makes that deployment run bucket logging again (an Update of its custom
   * resource, after the table), which puts the list back at once instead of at the next sweep.
   * @default - a table change is repaired by the next sweep
   */
  readonly tableRevision?: string;
}

/** Properties of a {@link BucketLogging}. */
export interface BucketLoggingProps extends BucketLoggingOptions {
  /** The Region's log bucket, which every source bucket logs into. Must be in the stack's Region. */
  readonly targetBucket: s3.IBucket;
}
