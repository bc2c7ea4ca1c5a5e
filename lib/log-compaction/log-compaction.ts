import * as path from 'node:path';
import { Duration, type Size, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { throwIfProblems } from '../construct-errors';
import { DEFAULT_PREFIX_TEMPLATE, KeyFormat } from '../conventions';
import { renderSql, SAVED_QUERIES } from '../saved-queries';
import { acknowledgeGeneratedGrants, grantTableQuery, handlerPolicy, queryPolicy } from './grants';
import { bucketListing } from './plan';
import { compactedTableInput, sourceTableInput } from './tables';
import { CONFIG_ENV, type CompactionConfig } from './types';
import { compactionProblems, DEFAULTS, RUN_TIMEOUT } from './validation';

/** Everything about a {@link LogCompaction} except the resources it works on. */
export interface LogCompactionOptions {
  /**
   * Name of the compacted table (Parquet, one partition per day), in the raw table's database.
   * @default 'access_logs_daily'
   */
  readonly tableName?: string;

  /**
   * Name of the table the compaction reads the raw logs through: the raw table's layout with the source bucket
   * as an injected projection, so each query names its buckets and no list of every bucket is kept anywhere.
   * Not for people: its queries must list buckets.
   * @default 'access_logs_compaction_source'
   */
  readonly sourceTableName?: string;

  /**
   * Athena workgroup of the compaction and of the fleet-wide saved queries.
   * @default 's3-access-logs-compaction'
   */
  readonly workGroupName?: string;

  /**
   * A query of this workgroup that would scan more than this is cancelled. A compaction query reads one day of
   * the raw logs of up to `chunkSize` buckets, which can exceed the raw workgroup's cap on a large fleet; this
   * cap is a guard against a runaway query, not a budget. At least 10 MB.
   * @default Size.tebibytes(1)
   */
  readonly bytesScannedCutoffPerQuery?: Size;

  /**
   * When the nightly run starts (UTC). S3 delivers access logs on a best-effort basis, usually within a few
   * hours: the default leaves six hours after midnight UTC, and `lateDays` picks up what arrives later.
   * @default cron(0 6 * * ? *)
   */
  readonly schedule?: events.Schedule;

  /**
   * Days before yesterday that each nightly run compacts again, so that logs delivered late are included.
   * 0 to 30.
   * @default 2
   */
  readonly lateDays?: number;

  /**
   * Source buckets per Athena query. Each query lists its buckets in its text; chunks also close early to stay
   * under Athena's 262,144-byte query text. 1 to 5,000.
   * @default 1000
   */
  readonly chunkSize?: number;

  /**
   * Chunk queries running at the same time. Keep it well under the account's Athena DML concurrency quota
   * (20 to 200 depending on the Region), which other queries share. 1 to 40.
   * @default 4
   */
  readonly maxConcurrency?: number;

  /**
   * First day the compacted table's `day` projection covers: `yyyy/MM/dd` or `NOW-<n>DAYS`.
   * @default 'NOW-90DAYS'
   */
  readonly projectionStart?: string;
}

/** Properties of a {@link LogCompaction}. */
export interface LogCompactionProps extends LogCompactionOptions {
  /** The log bucket: the raw logs are read from it, the compacted files written to `_s3-access-logs/daily/`. */
  readonly logBucket: s3.IBucket;
  /** The Glue database of the raw table (it must exist); both tables of the compaction go into it. */
  readonly databaseName: string;
  /** Where the workgroup's query results go (under `compaction/`). */
  readonly resultsBucket: s3.IBucket;
  /**
   * The target prefix template bucket logging writes with. Must be the raw table's.
   * @default DEFAULT_PREFIX_TEMPLATE (`{bucket}/`)
   */
  readonly prefixTemplate?: string;
  /**
   * The key layout bucket logging writes. Only `partitioned` can be compacted by day.
   * @default KeyFormat.PARTITIONED
   */
  readonly keyFormat?: KeyFormat;
}

/** Days published at the same time (S3 copies and deletes; no Athena). */
const PUBLISH_CONCURRENCY = 8;
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
const ENGINE_VERSION = 'Athena engine version 3';
/** Publish and abandon only copy or delete the run's own files, so any failure of theirs may be retried. */
const HANDLER_RETRY: sfn.RetryProps = {
  errors: ['States.ALL'],
  interval: Duration.seconds(10),
  backoffRate: 2,
  maxAttempts: 4,
};

/**
 * Daily compaction of every source bucket's raw S3 access logs into one Parquet table partitioned by day, with
 * Athena as the engine: a Step Functions state machine, started every night by EventBridge, plans the run (a
 * Lambda function lists the source buckets and writes one UNLOAD query per day and chunk of buckets), runs the
 * queries with Athena's `startQueryExecution.sync` integration in a distributed map, then publishes the run's
 * files as the days' files. The fleet-wide saved queries are saved in its workgroup, over the compacted table.
 */
export class LogCompaction extends Construct {
  /** The state machine; start it by hand with `{"day": "2026-11-29"}` or `{"from": ..., "to": ...}`. */
  public readonly stateMachine: sfn.IStateMachine;
  /** Glue database of the compacted table (the raw table's). */
  public readonly databaseName: string;
  /** The compacted table. */
  public readonly tableName: string;
  /** The Athena workgroup of the compaction and of the fleet-wide saved queries. */
  public readonly workGroupName: string;
  /** The compacted Glue table. */
  public readonly table: glue.CfnTable;
  /** The source table the compaction reads through. */
  public readonly sourceTable: glue.CfnTable;
  /** The workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The Lambda function that plans and publishes runs. */
  public readonly handler: lambda.IFunction;
  /** The nightly rule. */
  public readonly scheduleRule: events.Rule;
  /** The fleet-wide saved queries over the compacted table, by name. */
  public readonly namedQueries: Readonly<Record<string, athena.CfnNamedQuery>>;

  private readonly settings: ReturnType<typeof settingsOf>;
  private readonly props: LogCompactionProps;

  constructor(scope: Construct, id: string, props: LogCompactionProps) {
    super(scope, id);
    this.props = props;
    this.settings = settingsOf(props);
    const problems = compactionProblems({
      ...this.settings,
      databaseName: props.databaseName,
      keyFormat: props.keyFormat ?? KeyFormat.PARTITIONED,
    });
    throwIfProblems(this, 'LogCompaction', problems);
    this.databaseName = props.databaseName;
    this.tableName = this.settings.tableName;
    this.workGroupName = this.settings.workGroupName;

    this.sourceTable = this.createSourceTable();
    this.table = this.createCompactedTable();
    this.workGroup = this.createWorkGroup();
    this.handler = this.createHandler();
    this.stateMachine = this.createStateMachine();
    this.scheduleRule = new events.Rule(this, 'Schedule', {
      description: 'Compacts yesterday’s S3 access logs (and the late days) into the Parquet table',
      schedule: this.settings.schedule,
      targets: [
        new targets.SfnStateMachine(this.stateMachine, { input: events.RuleTargetInput.fromObject({}) }),
      ],
    });
    this.namedQueries = this.createNamedQueries();
  }

  /** The raw logs as the raw table reads them, but with `bucket` injected: queries name their buckets. */
  private createSourceTable(): glue.CfnTable {
    const stack = Stack.of(this);
    return new glue.CfnTable(this, 'SourceTable', {
      catalogId: stack.account,
      databaseName: this.props.databaseName,
      tableInput: sourceTableInput({
        name: this.settings.sourceTableName,
        logBucketName: this.props.logBucket.bucketName,
        prefixTemplate: this.settings.prefixTemplate,
        account: stack.account,
        region: stack.region,
        projectionStart: this.settings.projectionStart,
      }),
    });
  }

  /** The compacted table: ZSTD Parquet under `_s3-access-logs/daily/<yyyy/MM/dd>/`, `day` projected. */
  private createCompactedTable(): glue.CfnTable {
    return new glue.CfnTable(this, 'Resource', {
      catalogId: Stack.of(this).account,
      databaseName: this.props.databaseName,
      tableInput: compactedTableInput({
        name: this.settings.tableName,
        logBucketName: this.props.logBucket.bucketName,
        projectionStart: this.settings.projectionStart,
      }),
    });
  }

  /**
   * Grants what running queries on the compacted table in the workgroup needs (the SigV2 reports, the saved
   * queries): Athena on the workgroup, Glue reads of the table, reading the compacted files (not the raw logs)
   * and reading and writing the workgroup's results. Wildcards on the files are the grantee's to acknowledge.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    return grantTableQuery(this, grantee, {
      logBucket: this.props.logBucket,
      resultsBucket: this.props.resultsBucket,
      workGroupName: this.workGroupName,
      databaseName: this.databaseName,
      tableName: this.tableName,
    });
  }

  private createWorkGroup(): athena.CfnWorkGroup {
    return new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.settings.workGroupName,
      description:
        'S3 access log compaction and fleet-wide queries over the compacted table (s3-access-logs)',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: ENGINE_VERSION },
        bytesScannedCutoffPerQuery: this.settings.bytesScannedCutoffPerQuery,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: this.props.resultsBucket.s3UrlForObject('compaction/'),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
  }

  private createHandler(): lambda.Function {
    const stack = Stack.of(this);
    const listing = bucketListing(this.settings.prefixTemplate, stack.account, stack.region);
    const config: CompactionConfig = {
      logBucketName: this.props.logBucket.bucketName,
      listPrefix: listing.prefix,
      nameSuffix: listing.suffix,
      source: `"${this.props.databaseName}"."${this.settings.sourceTableName}"`,
      chunkSize: this.settings.chunkSize,
      lateDays: this.settings.lateDays,
    };
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', { retention: LOG_RETENTION });
    const policy = handlerPolicy(this, role, this.props.logBucket, logGroup);
    const fn = new lambda.Function(this, 'Handler', {
      description:
        'LogCompaction: plans a run (source buckets, chunk queries) and publishes its Parquet files',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(path.join(__dirname, 'handler.bundle')),
      handler: 'index.handler',
      timeout: Duration.minutes(15),
      // A month's plan of 50,000 buckets is about 100 MB of query text.
      memorySize: 1024,
      role,
      logGroup,
      environment: { [CONFIG_ENV]: stack.toJsonString(config) },
    });
    fn.node.addDependency(policy);
    return fn;
  }

  /** Plan, compact the chunks, publish the days, clean up: each step's failure path is in its own method. */
  private createStateMachine(): sfn.StateMachine {
    const plan = this.invoke('Plan', {
      action: 'plan',
      input: sfn.JsonPath.objectAt('$'),
      executionName: sfn.JsonPath.executionName,
      startTime: sfn.JsonPath.executionStartTime,
    });
    const compact = this.compactChunks();
    const publishDays = this.publishDays();
    const succeeded = new sfn.Pass(this, 'Compacted', {
      parameters: {
        'day.$': '$.day',
        'days.$': '$.days',
        'run.$': '$.run',
        'buckets.$': '$.buckets',
        'skippedPrefixes.$': '$.skippedPrefixes',
        'skipped.$': '$.skipped',
        'queries.$': '$.queries',
      },
    });
    // Staged files left by a failed cleanup are harmless (no table reads them) and expire with the retention.
    const afterSuccess = this.cleanup('Cleanup');
    afterSuccess.addCatch(succeeded, { resultPath: sfn.JsonPath.DISCARD });

    const definition = plan.next(compact).next(publishDays).next(afterSuccess).next(succeeded);
    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', { retention: LOG_RETENTION });
    const machine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Compacts S3 access logs into the daily Parquet table with Athena',
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL },
      timeout: RUN_TIMEOUT,
    });
    queryPolicy(this, machine.role, {
      logBucket: this.props.logBucket,
      resultsBucket: this.props.resultsBucket,
      workGroupName: this.workGroupName,
      databaseName: this.databaseName,
      sourceTableName: this.settings.sourceTableName,
    });
    acknowledgeGeneratedGrants(this, machine, this.handler);
    return machine;
  }

  /** A step that calls the handler with `payload`. */
  private invoke(id: string, payload: Record<string, unknown>, resultPath?: string): tasks.LambdaInvoke {
    return new tasks.LambdaInvoke(this, id, {
      lambdaFunction: this.handler,
      payload: sfn.TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      resultPath,
    });
  }

  /** The handler's cleanup of the run's staged files. */
  private cleanup(id: string): tasks.LambdaInvoke {
    return this.invoke(id, { action: 'cleanup', run: sfn.JsonPath.stringAt('$.run') }, sfn.JsonPath.DISCARD);
  }

  /** One UNLOAD per chunk of the plan; a failed one cleans up and fails the run. */
  private compactChunks(): sfn.DistributedMap {
    const query = new sfn.CustomState(this, 'Unload', {
      stateJson: {
        Type: 'Task',
        Resource: `arn:${Stack.of(this).partition}:states:::athena:startQueryExecution.sync`,
        Parameters: {
          'QueryString.$': '$.query',
          WorkGroup: this.workGroup.ref,
          QueryExecutionContext: { Database: this.props.databaseName },
        },
        ResultPath: null,
      },
    });
    // Only a query Athena refused to start (throttled, or its API failed) is retried: a failed UNLOAD may have written files, and a second one
    // into the same prefix would fail. A failed run leaves the published days as they were.
    query.addRetry({
      errors: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
      interval: Duration.seconds(30),
      backoffRate: 2,
      maxAttempts: 6,
    });
    const compact = new sfn.DistributedMap(this, 'CompactChunks', {
      itemReader: new sfn.S3JsonItemReader({
        bucketNamePath: sfn.JsonPath.stringAt('$.itemsBucket'),
        key: sfn.JsonPath.stringAt('$.itemsKey'),
      }),
      maxConcurrency: this.settings.maxConcurrency,
      toleratedFailurePercentage: 0,
      resultPath: sfn.JsonPath.DISCARD,
      mapExecutionType: sfn.StateMachineType.STANDARD,
    });
    compact.itemProcessor(query);
    const failed = new sfn.Fail(this, 'Failed', {
      cause: 'A compaction query failed; the days it covered still hold their previous files',
      causePath: undefined,
    });
    const afterFailure = this.cleanup('CleanupAfterFailure');
    afterFailure.addCatch(failed, { resultPath: sfn.JsonPath.DISCARD });
    compact.addCatch(afterFailure.next(failed), { resultPath: '$.error' });
    return compact;
  }

  /** One handler invocation per day, so a long backfill never runs into the Lambda timeout. */
  private publishDays(): sfn.Map {
    const publishDays = new sfn.Map(this, 'Publish', {
      itemsPath: '$.days',
      itemSelector: { 'run.$': '$.run', 'day.$': '$$.Map.Item.Value' },
      maxConcurrency: PUBLISH_CONCURRENCY,
      resultPath: sfn.JsonPath.DISCARD,
    });
    const publish = this.invoke('PublishDay', {
      action: 'publish',
      run: sfn.JsonPath.stringAt('$.run'),
      days: sfn.JsonPath.array(sfn.JsonPath.stringAt('$.day')),
    });
    publishDays.itemProcessor(publish);
    publish.addRetry(HANDLER_RETRY);

    // A Publish that failed after its retries may have left a day half copied (the other runs' files deleted,
    // some of this run's copied): the run's files of such a day are deleted (none, then; the next run compacts
    // it again), its staged files too, and the execution fails. A day never reached keeps its previous copy.
    const publishFailed = new sfn.Fail(this, 'PublishFailed', {
      cause:
        'Publishing failed: a day this run had partly published holds no file until the next run compacts it ' +
        'again; the other days hold one whole copy',
    });
    const abandon = this.invoke(
      'AbandonRun',
      {
        action: 'abandon',
        run: sfn.JsonPath.stringAt('$.run'),
        days: sfn.JsonPath.listAt('$.days'),
      },
      sfn.JsonPath.DISCARD,
    );
    abandon.addRetry(HANDLER_RETRY);
    abandon.addCatch(publishFailed, { resultPath: sfn.JsonPath.DISCARD });
    publishDays.addCatch(abandon.next(publishFailed), { resultPath: '$.error' });
    return publishDays;
  }

  private createNamedQueries(): Record<string, athena.CfnNamedQuery> {
    const relation = `"${this.databaseName}"."${this.tableName}"`;
    const named: Record<string, athena.CfnNamedQuery> = {};
    for (const query of SAVED_QUERIES.filter((q) => q.reads === 'compacted')) {
      const parameters = query.parameters
        .map((p, i) => `${i + 1}. ${p.name} (e.g. '${p.example}')`)
        .join(' ');
      const resource = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: `${query.description} Parameters: ${parameters}`.slice(0, 1024),
        database: this.databaseName,
        workGroup: this.workGroup.ref,
        queryString: renderSql(query, relation),
      });
      resource.addResourceDependency(this.table);
      named[query.name] = resource;
    }
    return named;
  }
}

/** The props with their defaults. */
function settingsOf(props: LogCompactionProps) {
  return {
    tableName: props.tableName ?? DEFAULTS.tableName,
    sourceTableName: props.sourceTableName ?? DEFAULTS.sourceTableName,
    workGroupName: props.workGroupName ?? DEFAULTS.workGroupName,
    prefixTemplate: props.prefixTemplate ?? DEFAULT_PREFIX_TEMPLATE,
    bytesScannedCutoffPerQuery: (
      props.bytesScannedCutoffPerQuery ?? DEFAULTS.bytesScannedCutoffPerQuery
    ).toBytes(),
    schedule: props.schedule ?? DEFAULTS.schedule,
    lateDays: props.lateDays ?? DEFAULTS.lateDays,
    chunkSize: props.chunkSize ?? DEFAULTS.chunkSize,
    maxConcurrency: props.maxConcurrency ?? DEFAULTS.maxConcurrency,
    projectionStart: props.projectionStart ?? DEFAULTS.projectionStart,
  };
}
