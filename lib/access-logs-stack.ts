import { createHash } from 'node:crypto';
import { type Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessLogBucket, type AccessLogBucketProps } from './access-log-bucket';
import { AccessLogTable, type AccessLogTableOptions } from './access-log-table';
import { BucketLogging, type BucketLoggingOptions } from './bucket-logging';
import { CentralDelivery, type CentralLakeTarget } from './central-lake/central-delivery';
import { KeyFormat } from './conventions';
import { LogCompaction, type LogCompactionOptions } from './log-compaction';
import { DAILY_PREFIX } from './log-compaction/plan';
import { Sigv2Watch, type Sigv2WatchOptions } from './sigv2-watch';

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
   * BucketLogging settings. Its `prefixTemplate` and `keyFormat` (the key layout) also tell the Athena table
   * where to read.
   * @default - BucketLogging's defaults
   */
  readonly bucketLogging?: BucketLoggingOptions;

  /**
   * Create the Athena table over the log bucket, its workgroup and the saved queries.
   * @default true
   */
  readonly athena?: boolean;

  /**
   * Settings of the Athena table and workgroup (with `athena`). Leave `prefixTemplate` and `keyFormat` unset
   * (they come from `bucketLogging`), or set them to the same values.
   * @default - AccessLogTable's defaults, except that the day projection starts as far back as the log bucket
   * keeps logs (`NOW-<retention>DAYS`)
   */
  readonly accessLogTable?: AccessLogTableOptions;

  /**
   * Compact every bucket's logs daily into a Parquet table with Athena (LogCompaction), for fleet-wide queries.
   * Needs `athena` and the partitioned key layout.
   * @default true when `athena` is on and the key layout is partitioned
   */
  readonly compaction?: boolean;

  /**
   * LogCompaction settings (with `compaction`).
   * @default - LogCompaction's defaults, except that the day projection starts as far back as the log bucket
   * keeps logs
   */
  readonly logCompaction?: LogCompactionOptions;

  /**
   * The organization's central bucket (CentralLake): each successful compaction run also copies its days there,
   * under `daily/<day>/<account>/<region>/`. Needs `compaction`.
   * @default - nothing is delivered
   */
  readonly centralLake?: CentralLakeTarget;

  /**
   * Watch for SigV2 clients after each compaction (Sigv2Watch): a daily digest on an SNS topic and EventBridge,
   * metrics, a dashboard and an alarm on new SigV2 requesters. Needs the compaction.
   * @default true when the compaction is on
   */
  readonly sigv2Watch?: boolean;

  /**
   * Sigv2Watch settings (with `sigv2Watch`): `lookbackDays`, `digestEmail`, ...
   * @default - Sigv2Watch's defaults, except that the dashboard shows as many days as the log bucket keeps
   */
  readonly sigv2WatchOptions?: Sigv2WatchOptions;
}

/**
 * Everything the project deploys in one Region: the log bucket that receives the server access logs of every
 * bucket of the Region, bucket logging that points every bucket at it, and the Athena table that reads it.
 */
export class AccessLogsStack extends Stack {
  /** The Region's log bucket. */
  public readonly logBucket: AccessLogBucket;
  /** The Athena table, workgroup and saved queries, unless `athena` is false. */
  public readonly accessLogTable?: AccessLogTable;
  /** The daily Parquet compaction, unless `compaction` is off. */
  public readonly logCompaction?: LogCompaction;
  /** The delivery of compacted days to the central bucket, with `centralLake`. */
  public readonly centralDelivery?: CentralDelivery;
  /** The SigV2 watch, unless `sigv2Watch` is false or there is no compaction. */
  public readonly sigv2Watch?: Sigv2Watch;
  /** Logging for every bucket of the Region; undefined when `enableBucketLogging` is false. */
  public readonly bucketLogging?: BucketLogging;

  constructor(scope: Construct, id: string, props: AccessLogsStackProps = {}) {
    super(scope, id, { terminationProtection: true, ...props });
    const layout = keyLayout(props);
    this.logBucket = new AccessLogBucket(this, 'LogBucket', props.logBucket);

    if (props.athena ?? true) {
      this.accessLogTable = new AccessLogTable(this, 'AccessLogTable', {
        ...props.accessLogTable,
        // After the spread: an options object that holds `projectionStart: undefined` (the app's, when the key
        // is not set) must not undo the default.
        projectionStart: props.accessLogTable?.projectionStart ?? retentionStart(props.logBucket?.retention),
        ...layout,
        logBucket: this.logBucket.bucket,
      });
      this.logCompaction = this.compaction(props, layout, this.accessLogTable);
    }
    if (props.centralLake !== undefined) {
      if (this.logCompaction === undefined) {
        throw new Error(
          'centralLake needs the daily compaction (it delivers the compacted days): leave athena and compaction on.',
        );
      }
      this.centralDelivery = new CentralDelivery(this, 'CentralDelivery', {
        target: props.centralLake,
        stateMachine: this.logCompaction.stateMachine,
        logBucket: this.logBucket.bucket,
        dailyPrefix: DAILY_PREFIX,
      });
    }
    this.sigv2Watch = this.watch(props, this.logCompaction, this.accessLogTable);

    if (props.enableBucketLogging ?? true) {
      const table = this.accessLogTable;
      this.bucketLogging = new BucketLogging(this, 'BucketLogging', {
        ...props.bucketLogging,
        ...layout,
        targetBucket: this.logBucket.bucket,
        glueTable: table ? { databaseName: table.databaseName, tableName: table.tableName } : undefined,
        // A deploy that changes the table rewrites its parameters, bucket list included: a new revision runs
        // bucket logging again in that deploy (after the table, below), which puts the list back at once.
        tableRevision: table
          ? createHash('sha256')
              .update(JSON.stringify(this.resolve(table.table.tableInput)))
              .digest('hex')
              .slice(0, 16)
          : undefined,
      });
      if (table) {
        this.bucketLogging.resource.node.addDependency(table.table);
        // The results bucket carries the role tag that keeps bucket logging away from it: a run that listed it
        // while CloudFormation was still creating it (tags not yet applied) would configure it.
        this.bucketLogging.resource.node.addDependency(table.resultsBucket);
      }
    }
  }

  /** The compaction over the table's database and the log bucket, unless turned off. */
  private compaction(
    props: AccessLogsStackProps,
    layout: Pick<BucketLoggingOptions, 'prefixTemplate' | 'keyFormat'>,
    table: AccessLogTable,
  ): LogCompaction | undefined {
    const partitioned = (layout.keyFormat ?? KeyFormat.PARTITIONED) === KeyFormat.PARTITIONED;
    if (!(props.compaction ?? partitioned)) return undefined;
    const compaction = new LogCompaction(this, 'LogCompaction', {
      ...props.logCompaction,
      projectionStart: props.logCompaction?.projectionStart ?? retentionStart(props.logBucket?.retention),
      ...layout,
      logBucket: this.logBucket.bucket,
      databaseName: table.databaseName,
      resultsBucket: table.resultsBucket,
    });
    // Both of its tables live in the raw table's database, which CloudFormation must create first.
    compaction.node.addDependency(table.table);
    return compaction;
  }

  /** The SigV2 watch on the compacted table, after each compaction; none without the compaction. */
  private watch(
    props: AccessLogsStackProps,
    compaction: LogCompaction | undefined,
    table: AccessLogTable | undefined,
  ): Sigv2Watch | undefined {
    if (!(props.sigv2Watch ?? true)) return undefined;
    if (compaction === undefined || table === undefined) {
      if (props.sigv2Watch === true) {
        throw new Error(
          'sigv2Watch needs the compaction (it reads the compacted table): turn compaction on, with athena and ' +
            'the partitioned key layout, or set sigv2Watch to false.',
        );
      }
      return undefined;
    }
    const retention = props.logBucket?.retention;
    return new Sigv2Watch(this, 'Sigv2Watch', {
      dashboardRange: retention !== undefined && !retention.isUnresolved() ? retention : undefined,
      ...props.sigv2WatchOptions,
      compaction,
    });
  }
}

/**
 * The key layout, set once for both sides: bucket logging writes it, the table reads it. A table setting that
 * disagrees with bucket logging's would read nothing, so it is an error.
 */
function keyLayout(props: AccessLogsStackProps): Pick<BucketLoggingOptions, 'prefixTemplate' | 'keyFormat'> {
  const logging = props.bucketLogging ?? {};
  const table = props.accessLogTable ?? {};
  for (const key of ['prefixTemplate', 'keyFormat'] as const) {
    if (table[key] !== undefined && logging[key] !== undefined && table[key] !== logging[key]) {
      throw new Error(
        `accessLogTable.${key} (${table[key]}) differs from bucketLogging.${key} (${logging[key]}): the table ` +
          `would read where no log is written. Set ${key} in bucketLogging only.`,
      );
    }
  }
  return {
    prefixTemplate: logging.prefixTemplate ?? table.prefixTemplate,
    keyFormat: logging.keyFormat ?? table.keyFormat,
  };
}

/** The day projection's start that covers every log the bucket keeps; none (the table's default) for a token. */
function retentionStart(retention: Duration | undefined): string | undefined {
  if (retention === undefined) return undefined;
  if (retention.isUnresolved()) return undefined;
  return `NOW-${Math.ceil(retention.toHours() / 24)}DAYS`;
}
