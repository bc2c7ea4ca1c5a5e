import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessLogBucket, type AccessLogBucketProps } from './access-log-bucket';
import { BucketLogging, type BucketLoggingOptions } from './bucket-logging';

/** Properties of an {@link AccessLogsStack}. */
export interface AccessLogsStackProps extends StackProps {
  /**
   * The Region's log bucket.
   * @default - an AccessLogBucket with its defaults
   */
  readonly logBucket?: AccessLogBucketProps;

  /**
   * Turn on server access logging for every bucket of the Region, into the log bucket (BucketLogging).
   * @default true
   */
  readonly enableBucketLogging?: boolean;

  /**
   * BucketLogging settings.
   * @default - BucketLogging's defaults
   */
  readonly bucketLogging?: BucketLoggingOptions;
}

/**
 * Everything the project deploys in one Region: the log bucket that receives the server access logs of every
 * bucket of the Region, and the optional parts that plug into it.
 */
export class AccessLogsStack extends Stack {
  /** The Region's log bucket. */
  public readonly logBucket: AccessLogBucket;
  /** Logging for every bucket of the Region; undefined when `enableBucketLogging` is false. */
  public readonly bucketLogging?: BucketLogging;

  constructor(scope: Construct, id: string, props: AccessLogsStackProps = {}) {
    super(scope, id, { terminationProtection: true, ...props });
    this.logBucket = new AccessLogBucket(this, 'LogBucket', props.logBucket);
    if (props.enableBucketLogging ?? true) {
      this.bucketLogging = new BucketLogging(this, 'BucketLogging', {
        ...props.bucketLogging,
        targetBucket: this.logBucket.bucket,
      });
    }
  }
}
