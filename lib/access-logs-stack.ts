import { type Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessLogBucket, type AccessLogBucketProps } from './access-log-bucket';
import { AccessLogTable, type AccessLogTableOptions } from './access-log-table';

/** Properties of an {@link AccessLogsStack}. */
export interface AccessLogsStackProps extends StackProps {
  /**
   * The Region's log bucket.
   * @default - an AccessLogBucket with its defaults
   */
  readonly logBucket?: AccessLogBucketProps;

  /**
   * Create the Athena table over the log bucket, its workgroup and the saved queries.
   * @default true
   */
  readonly athena?: boolean;

  /**
   * Settings of the Athena table and workgroup (with `athena`).
   * @default - AccessLogTable's defaults, except that the day projection starts as far back as the log bucket
   * keeps logs (`NOW-<retention>DAYS`)
   */
  readonly accessLogTable?: AccessLogTableOptions;
}

/**
 * Everything the project deploys in one Region: the log bucket that receives the server access logs of every
 * bucket of the Region, and the optional parts that plug into it.
 */
export class AccessLogsStack extends Stack {
  /** The Region's log bucket. */
  public readonly logBucket: AccessLogBucket;
  /** The Athena table, workgroup and saved queries, unless `athena` is false. */
  public readonly accessLogTable?: AccessLogTable;

  constructor(scope: Construct, id: string, props: AccessLogsStackProps = {}) {
    super(scope, id, { terminationProtection: true, ...props });
    this.logBucket = new AccessLogBucket(this, 'LogBucket', props.logBucket);
    if (props.athena ?? true) {
      this.accessLogTable = new AccessLogTable(this, 'AccessLogTable', {
        projectionStart: retentionStart(props.logBucket?.retention),
        ...props.accessLogTable,
        logBucket: this.logBucket.bucket,
      });
    }
  }
}

/** The day projection's start that covers every log the bucket keeps; none (the table's default) for a token. */
function retentionStart(retention: Duration | undefined): string | undefined {
  if (retention === undefined) return undefined;
  if (retention.isUnresolved()) return undefined;
  return `NOW-${Math.ceil(retention.toHours() / 24)}DAYS`;
}
