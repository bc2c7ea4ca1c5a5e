import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessLogBucket, type AccessLogBucketProps } from './access-log-bucket';

/** Properties of an {@link AccessLogsStack}. */
export interface AccessLogsStackProps extends StackProps {
  /**
   * The Region's log bucket.
   * @default - an AccessLogBucket with its defaults
   */
  readonly logBucket?: AccessLogBucketProps;
}

/**
 * Everything the project deploys in one Region: the log bucket that receives the server access logs of every
 * bucket of the Region, and the optional parts that plug into it.
 */
export class AccessLogsStack extends Stack {
  /** The Region's log bucket. */
  public readonly logBucket: AccessLogBucket;

  constructor(scope: Construct, id: string, props: AccessLogsStackProps = {}) {
    super(scope, id, { terminationProtection: true, ...props });
    this.logBucket = new AccessLogBucket(this, 'LogBucket', props.logBucket);
  }
}
