import { createHash } from 'node:crypto';
import { type Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessLogBucket, type AccessLogBucketProps } from './access-log-bucket';
import { AccessLogTable, type AccessLogTableOptions } from './access-log-table';
import { BucketLogging, type BucketLoggingOptions } from './bucket-logging';
import { CentralDelivery, type CentralLakeTarget } from './central-lake/central-delivery';
import { propsError, throwIfProblems } from './construct-errors';
import { KeyFormat } from './conventions';
import { LogCompaction, type LogCompactionOptions } from './log-compaction';
import { DAILY_PREFIX } from './log-compaction/plan';
import { Sigv2Watch, type Sigv2WatchOptions } from './sigv2-watch';

/**
 * Properties of an {@link AccessLogsStack}. Each part of the stack has one settings prop named after its
 * construct (`bucketLogging`, `accessLogTable`, `logCompaction`, `sigv2Watch`) and one switch named after the
 * settings with `Enabled` (`bucketLoggingEnabled`, ...), as aws-cdk names its feature switches
 * (`eventBridgeEnabled`, `tracingEnabled`).
 */
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
  readonly bucketLoggingEnabled?: boolean;

  /**
   * BucketLogging settings (with `bucketLoggingEnabled`). Its `prefixTemplate` and `keyFormat` (the key layout)
   * also tell the Athena table where to read.
   * @default - BucketLogging's defaults
   */
  readonly bucketLogging?: BucketLoggingOptions;

  /**
   * Create the Athena table over the log bucket, its workgroup and the saved queries (AccessLogTable).
   * @default true
   */
  readonly accessLogTableEnabled?: boolean;

  /**
   * Settings of the Athena table and workgroup (with `accessLogTableEnabled`). Leave `prefixTemplate` and
   * `keyFormat` unset (they come from `bucketLogging`), or set them to the same values.
   * @default - AccessLogTable's defaults, except that the day projection starts as far back as the log bucket
   * keeps logs (`NOW-<retention>DAYS`)
   */
  readonly accessLogTable?: AccessLogTableOptions;

  /**
   * Compact every bucket's logs daily into a Parquet table with Athena (LogCompaction), for fleet-wide queries.
   * Needs the Athena table and the partitioned key layout.
   * @default true when `accessLogTableEnabled` is on and the key layout is partitioned
   */
  readonly logCompactionEnabled?: boolean;

  /**
   * LogCompaction settings (with `logCompactionEnabled`).
   * @default - LogCompaction's defaults, except that the day projection starts as far back as the log bucket
   * keeps logs
   */
  readonly logCompaction?: LogCompactionOptions;

  /**
   * The organization's central bucket (CentralLake): each successful compaction run also copies its days there,
   * under `daily/<day>/<account>/<region>/`. Needs the compaction.
   * @default - nothing is delivered
   */
  readonly centralLake?: CentralLakeTarget;

  /**
   * Watch for SigV2 clients after each compaction (Sigv2Watch): a daily digest on an SNS topic and EventBridge,
   * metrics, a dashboard and an alarm on new SigV2 requesters. Needs the compaction.
   * @default true when the compaction is on
   */
  readonly sigv2WatchEnabled?: boolean;

  /**
   * Sigv2Watch settings (with `sigv2WatchEnabled`): `lookbackDays`, `digestEmail`, ...
   * @default - Sigv2Watch's defaults, except that the dashboard shows as many days as the log bucket keeps
   */
  readonly sigv2Watch?: Sigv2WatchOptions;
}

/** The props of 0.x releases before the switches were named alike, with their new names. */
const RENAMED_PROPS: Readonly<Record<string, string>> = {
  athena: 'accessLogTableEnabled',
  enableBucketLogging: 'bucketLoggingEnabled',
  compaction: 'logCompactionEnabled',
  sigv2WatchOptions: 'sigv2Watch',
};

/**
 * Everything the project deploys in one Region: the log bucket that receives the server access logs of every
 * bucket of the Region, bucket logging that points every bucket at it, and the Athena table that reads it.
 */
export class AccessLogsStack extends Stack {
  /** The Region's log bucket. */
  public readonly logBucket: AccessLogBucket;
  /** The Athena table, workgroup and saved queries, unless `accessLogTableEnabled` is false. */
  public readonly accessLogTable?: AccessLogTable;
  /** The daily Parquet compaction, unless it is off (`logCompactionEnabled`). */
  public readonly logCompaction?: LogCompaction;
  /** The delivery of compacted days to the central bucket, with `centralLake`. */
  public readonly centralDelivery?: CentralDelivery;
  /** The SigV2 watch, unless `sigv2WatchEnabled` is false or there is no compaction. */
  public readonly sigv2Watch?: Sigv2Watch;
  /** Logging for every bucket of the Region; undefined when `bucketLoggingEnabled` is false. */
  public readonly bucketLogging?: BucketLogging;

  constructor(scope: Construct, id: string, props: AccessLogsStackProps = {}) {
    super(scope, id, { terminationProtection: true, ...props });
    refuseRenamedProps(this, props);
    throwIfProblems(this, 'AccessLogsStack', partProblems(props));
    const layout = keyLayout(this, props);
    this.logBucket = new AccessLogBucket(this, 'LogBucket', props.logBucket);
    this.accessLogTable = this.createAccessLogTable(props, layout);
    this.logCompaction = this.createLogCompaction(props, layout, this.accessLogTable);
    this.centralDelivery = this.createCentralDelivery(props, this.logCompaction);
    this.sigv2Watch = this.createSigv2Watch(props, this.logCompaction);
    this.bucketLogging = this.createBucketLogging(props, layout, this.accessLogTable);
    throwIfProblems(this, 'AccessLogsStack', unusedSettingsProblems(props, this));
  }

  /** The Athena table, workgroup and saved queries over the log bucket, unless turned off. */
  private createAccessLogTable(props: AccessLogsStackProps, layout: KeyLayout): AccessLogTable | undefined {
    if (!(props.accessLogTableEnabled ?? true)) return undefined;
    return new AccessLogTable(this, 'AccessLogTable', {
      ...props.accessLogTable,
      // After the spread: an options object that holds `projectionStart: undefined` (the app's, when the key
      // is not set) must not undo the default.
      projectionStart: props.accessLogTable?.projectionStart ?? retentionStart(props.logBucket?.retention),
      ...layout,
      logBucket: this.logBucket.bucket,
    });
  }

  /** The compaction over the table's database and the log bucket; none without the table or when turned off. */
  private createLogCompaction(
    props: AccessLogsStackProps,
    layout: KeyLayout,
    table: AccessLogTable | undefined,
  ): LogCompaction | undefined {
    if (table === undefined) {
      if (props.logCompactionEnabled === true) {
        throw propsError(
          this,
          'AccessLogsStack',
          `logCompactionEnabled needs the Athena table (the compaction reads ` +
            'and writes Athena tables): remove accessLogTableEnabled: false, or set logCompactionEnabled to false.',
        );
      }
      return undefined;
    }
    const partitioned = (layout.keyFormat ?? KeyFormat.PARTITIONED) === KeyFormat.PARTITIONED;
    if (!(props.logCompactionEnabled ?? partitioned)) return undefined;
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

  /** The delivery of each compacted day to the organization's central bucket, with `centralLake`. */
  private createCentralDelivery(
    props: AccessLogsStackProps,
    compaction: LogCompaction | undefined,
  ): CentralDelivery | undefined {
    if (props.centralLake === undefined) return undefined;
    if (compaction === undefined) {
      throw propsError(
        this,
        'AccessLogsStack',
        'centralLake needs the daily compaction (it delivers the compacted days): leave accessLogTableEnabled ' +
          'and logCompactionEnabled on.',
      );
    }
    return new CentralDelivery(this, 'CentralDelivery', {
      target: props.centralLake,
      stateMachine: compaction.stateMachine,
      logBucket: this.logBucket.bucket,
      dailyPrefix: DAILY_PREFIX,
    });
  }

  /** The SigV2 watch on the compacted table, after each compaction; none without the compaction. */
  private createSigv2Watch(
    props: AccessLogsStackProps,
    compaction: LogCompaction | undefined,
  ): Sigv2Watch | undefined {
    if (!(props.sigv2WatchEnabled ?? true)) return undefined;
    if (compaction === undefined) {
      if (props.sigv2WatchEnabled === true) {
        throw propsError(
          this,
          'AccessLogsStack',
          'sigv2WatchEnabled needs the compaction (it reads the compacted table): turn logCompactionEnabled on, ' +
            'with accessLogTableEnabled and the partitioned key layout, or set sigv2WatchEnabled to false.',
        );
      }
      return undefined;
    }
    const retention = props.logBucket?.retention;
    return new Sigv2Watch(this, 'Sigv2Watch', {
      dashboardRange: retention !== undefined && !retention.isUnresolved() ? retention : undefined,
      ...props.sigv2Watch,
      compaction,
    });
  }

  /** Logging for every bucket of the Region into the log bucket, keeping the table's bucket list; unless off. */
  private createBucketLogging(
    props: AccessLogsStackProps,
    layout: KeyLayout,
    table: AccessLogTable | undefined,
  ): BucketLogging | undefined {
    if (!(props.bucketLoggingEnabled ?? true)) return undefined;
    const bucketLogging = new BucketLogging(this, 'BucketLogging', {
      ...props.bucketLogging,
      ...layout,
      targetBucket: this.logBucket.bucket,
      glueTable: table ? { databaseName: table.databaseName, tableName: table.tableName } : undefined,
      // A deploy that changes the table rewrites its parameters, bucket list included: a new revision runs
      // bucket logging again in that deploy (after the table, below), which puts the list back at once.
      tableRevision: table ? tableRevision(this, table) : undefined,
    });
    if (table) {
      bucketLogging.resource.node.addDependency(table.table);
      // The results bucket carries the role tag that keeps bucket logging away from it: a run that listed it
      // while CloudFormation was still creating it (tags not yet applied) would configure it.
      bucketLogging.resource.node.addDependency(table.resultsBucket);
    }
    return bucketLogging;
  }
}

/** Where bucket logging writes and the table reads. */
type KeyLayout = Pick<BucketLoggingOptions, 'prefixTemplate' | 'keyFormat'>;

/**
 * Refuses a prop of the earlier 0.x names, which TypeScript catches but JavaScript would let pass, silently
 * turning nothing off.
 */
function refuseRenamedProps(stack: Stack, props: AccessLogsStackProps): void {
  for (const [old, renamed] of Object.entries(RENAMED_PROPS)) {
    if (Object.hasOwn(props, old)) {
      throw propsError(
        stack,
        'AccessLogsStack',
        `prop ${old} was renamed to ${renamed}: write ${renamed} instead.`,
      );
    }
  }
  // sigv2Watch was the switch and is now the settings: a boolean here is the old switch.
  const watch: unknown = props.sigv2Watch;
  if (typeof watch === 'boolean') {
    throw propsError(
      stack,
      'AccessLogsStack',
      `sigv2Watch holds the watch's settings now; the switch was renamed ` +
        `to sigv2WatchEnabled: write sigv2WatchEnabled: ${watch}.`,
    );
  }
}

/** Each part's switch and the settings prop beside it (the CDK app maps its context keys by the same pairs). */
export const PARTS = [
  ['accessLogTableEnabled', 'accessLogTable'],
  ['bucketLoggingEnabled', 'bucketLogging'],
  ['logCompactionEnabled', 'logCompaction'],
  ['sigv2WatchEnabled', 'sigv2Watch'],
] as const;

/**
 * Switches and settings that TypeScript types but JavaScript (or a JSON-fed app) can get wrong: a switch that is
 * not a boolean (`'false'` would turn a part on), settings that are not an object (`logCompaction: false` would
 * turn nothing off). Settings of a part that ends up off are {@link unusedSettingsProblems}.
 */
function partProblems(props: AccessLogsStackProps): string[] {
  const problems: string[] = [];
  for (const [switchName, settingsName] of PARTS) {
    const on: unknown = props[switchName];
    const settings: unknown = props[settingsName];
    if (on !== undefined && typeof on !== 'boolean') {
      problems.push(`${switchName} must be true or false (got ${JSON.stringify(on)}).`);
    }
    if (
      settings !== undefined &&
      (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    ) {
      problems.push(
        `${settingsName} holds the part's settings (an object), not ${JSON.stringify(settings)}: ` +
          `to turn the part off, write ${switchName}: false.`,
      );
    }
  }
  return problems;
}

/**
 * Settings of a part that is off, by its own switch or because a part it needs is off (the watch needs the
 * compaction, which needs the table): they would be ignored without a word, so they are refused, as the CDK
 * app refuses their context keys. Settings objects whose values are all unset (what the app passes) are none.
 */
function unusedSettingsProblems(props: AccessLogsStackProps, stack: AccessLogsStack): string[] {
  const built: Record<(typeof PARTS)[number][1], unknown> = {
    accessLogTable: stack.accessLogTable,
    bucketLogging: stack.bucketLogging,
    logCompaction: stack.logCompaction,
    sigv2Watch: stack.sigv2Watch,
  };
  return PARTS.filter(([, settingsName]) => {
    const settings: unknown = props[settingsName];
    const given =
      typeof settings === 'object' &&
      settings !== null &&
      Object.values(settings).some((v) => v !== undefined);
    return given && built[settingsName] === undefined;
  }).map(
    ([switchName, settingsName]) =>
      `${settingsName} is set, but that part is off (${switchName} is false, or a part it needs is off): ` +
      `remove ${settingsName}, or turn the part on.`,
  );
}

/**
 * The key layout, set once for both sides: bucket logging writes it, the table reads it. A table setting that
 * disagrees with bucket logging's would read nothing, so it is an error.
 */
function keyLayout(stack: Stack, props: AccessLogsStackProps): KeyLayout {
  const logging = props.bucketLogging ?? {};
  const table = props.accessLogTable ?? {};
  for (const key of ['prefixTemplate', 'keyFormat'] as const) {
    if (table[key] !== undefined && logging[key] !== undefined && table[key] !== logging[key]) {
      throw propsError(
        stack,
        'AccessLogsStack',
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

/** A digest of the table's definition: it changes whenever a deploy rewrites the table's parameters. */
function tableRevision(stack: Stack, table: AccessLogTable): string {
  return createHash('sha256')
    .update(JSON.stringify(stack.resolve(table.table.tableInput)))
    .digest('hex')
    .slice(0, 16);
}
