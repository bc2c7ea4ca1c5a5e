import * as path from 'node:path';
import { type CfnElement, CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DEFAULT_EXCLUDE_TAG_KEY, DEFAULT_PREFIX_TEMPLATE, KeyFormat, REPORTS_PREFIX } from '../conventions';
import {
  BUCKET_CONFIGURATION_ACTIONS,
  GLUE_TABLE_ACTIONS,
  LIST_BUCKETS_ACTIONS,
  LOG_WRITE_ACTIONS,
  REPORT_WRITE_ACTIONS,
  STATE_TABLE_ACTIONS,
} from './permissions';
import {
  type BucketLoggingConfig,
  CONFIG_ENV,
  type CountName,
  DEFAULT_CONCURRENCY,
  type GlueTableRef,
  REPORT_KEY_ATTRIBUTE,
} from './types';
import { validateBucketLoggingProps } from './validation';

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
}

/** Properties of a {@link BucketLogging}. */
export interface BucketLoggingProps extends BucketLoggingOptions {
  /** The Region's log bucket, which every source bucket logs into. Must be in the stack's Region. */
  readonly targetBucket: s3.IBucket;
}

/** Lambda keeps going this long at most; the handler stops taking buckets two minutes before. */
const HANDLER_TIMEOUT = Duration.minutes(15);
/** The handler's memory: with it comes CPU for 64 concurrent SDK calls (measured: ~220 MB RSS for 10,000). */
const HANDLER_MEMORY_MB = 1024;
/** CloudFormation allows a custom resource one hour; the Provider framework cannot wait longer. */
const DEPLOY_TIMEOUT = Duration.hours(1);
/** Between the Provider's isComplete calls while a run spans invocations. */
const QUERY_INTERVAL = Duration.seconds(10);
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * Turns on S3 server access logging for every bucket of the stack's Region, into one log bucket, and keeps it
 * on: a custom resource configures the existing buckets on deploy (and restores them on delete), an
 * EventBridge rule on CloudTrail's CreateBucket configures new ones within a minute, and a scheduled sweep
 * reconciles the whole Region. Previous configurations are kept in a DynamoDB table.
 */
export class BucketLogging extends Construct {
  /** Previous logging configurations and run progress (on-demand, point-in-time recovery, retained). */
  public readonly stateTable: dynamodb.Table;
  /** The function that does the work (isComplete, sweep, CreateBucket events). */
  public readonly handler: lambda.Function;
  /** The custom resource; its attributes are the counts of the last deploy run. */
  public readonly resource: CustomResource;
  /** Sends CloudTrail CreateBucket events to the handler. */
  public readonly createBucketRule: events.Rule;
  /** Starts the sweep. */
  public readonly sweepRule: events.Rule;

  constructor(scope: Construct, id: string, props: BucketLoggingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const options = {
      prefixTemplate: props.prefixTemplate ?? DEFAULT_PREFIX_TEMPLATE,
      include: props.include ?? [],
      exclude: props.exclude ?? [],
      excludeTagKey: props.excludeTagKey ?? DEFAULT_EXCLUDE_TAG_KEY,
      concurrency: props.concurrency ?? DEFAULT_CONCURRENCY,
    };
    validateBucketLoggingProps(options);

    this.stateTable = new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // The only record of what each bucket's logging was before this stack changed it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const config: BucketLoggingConfig = {
      region: stack.region,
      targetBucket: props.targetBucket.bucketName,
      prefixTemplate: options.prefixTemplate,
      keyFormat: props.keyFormat ?? KeyFormat.PARTITIONED,
      include: options.include,
      exclude: options.exclude,
      excludeTagKey: options.excludeTagKey,
      overwriteExisting: props.overwriteExisting ?? false,
      concurrency: options.concurrency,
      failOnErrors: props.failOnErrors ?? false,
      restoreOnDelete: props.restoreOnDelete ?? true,
      stateTableName: this.stateTable.tableName,
      glueTable: props.glueTable,
    };
    const configJson = stack.toJsonString(config);

    const code = lambda.Code.fromAsset(path.join(__dirname, 'handler.bundle'));
    const onEventRole = this.functionRole('OnEventRole');
    const onEvent = new lambda.Function(this, 'OnEventFunction', {
      description: 'BucketLogging custom resource: names the resource; the work happens in isComplete',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code,
      handler: 'index.onEvent',
      timeout: Duration.minutes(1),
      memorySize: 256,
      role: onEventRole,
      logGroup: this.logGroup('OnEventLogs', onEventRole),
    });

    const handlerRole = this.functionRole('HandlerRole');
    this.handler = new lambda.Function(this, 'Handler', {
      description: 'BucketLogging: enables S3 server access logging (deploy, sweep, CreateBucket events)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code,
      handler: 'index.handler',
      timeout: HANDLER_TIMEOUT,
      memorySize: HANDLER_MEMORY_MB,
      role: handlerRole,
      logGroup: this.logGroup('HandlerLogs', handlerRole),
      environment: { [CONFIG_ENV]: configJson },
    });
    this.grantHandler(handlerRole, props);

    // The framework's own roles, so that they carry no managed policy and write only their own log group.
    const frameworkOnEventRole = this.functionRole('ProviderOnEventRole');
    const frameworkCompleteRole = this.functionRole('ProviderCompleteRole');
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: this.handler,
      queryInterval: QUERY_INTERVAL,
      totalTimeout: DEPLOY_TIMEOUT,
      frameworkOnEventRole,
      frameworkCompleteAndTimeoutRole: frameworkCompleteRole,
      logGroup: this.logGroup('ProviderLogs', frameworkOnEventRole, frameworkCompleteRole),
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: new logs.LogGroup(this, 'WaiterLogs', { retention: LOG_RETENTION }),
        level: sfn.LogLevel.ALL,
      },
    });
    this.acknowledgeProviderFindings(
      provider,
      [frameworkOnEventRole, frameworkCompleteRole],
      [onEvent, this.handler],
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::S3BucketLogging',
      properties: { Config: configJson },
    });

    this.createBucketRule = new events.Rule(this, 'CreateBucketRule', {
      description: 'New S3 buckets (CloudTrail CreateBucket) get server access logging',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['s3.amazonaws.com'],
          eventName: ['CreateBucket'],
          // A failed CreateBucket is recorded too, with an errorCode; there is no bucket to configure.
          errorCode: [{ exists: false }],
        },
      },
      targets: [
        new targets.LambdaFunction(this.handler, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
      ],
    });
    this.sweepRule = new events.Rule(this, 'SweepRule', {
      description: 'Reconciles S3 server access logging on every bucket of the Region',
      schedule: props.sweepSchedule ?? events.Schedule.rate(Duration.days(1)),
      // A failed sweep is not retried: the next one starts where it stopped.
      targets: [new targets.LambdaFunction(this.handler, { retryAttempts: 0 })],
    });
    // Created after the first run, deleted before the restore: no sweep or event races the deploy's own runs.
    this.createBucketRule.node.addDependency(this.resource);
    this.sweepRule.node.addDependency(this.resource);
  }

  /** A count of the last deploy run (configured, alreadyConfigured, keptExisting, excluded, failed, ...). */
  public count(name: CountName): string {
    return this.resource.getAttString(name);
  }

  /** S3 key (in the log bucket) of the last deploy run's JSON report. */
  public get reportKey(): string {
    return this.resource.getAttString(REPORT_KEY_ATTRIBUTE);
  }

  private functionRole(id: string): iam.Role {
    // No managed policy (AWSLambdaBasicExecutionRole allows every log group): log writes are granted per group.
    return new iam.Role(this, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  }

  /** A log group the roles may write to, and nothing else of CloudWatch Logs. */
  private logGroup(id: string, ...roles: iam.Role[]): logs.LogGroup {
    const group = new logs.LogGroup(this, id, { retention: LOG_RETENTION });
    const policy = new iam.Policy(this, `${id}Policy`, {
      roles,
      statements: [
        new iam.PolicyStatement({ actions: LOG_WRITE_ACTIONS, resources: [`${group.logGroupArn}:*`] }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(group)}.Arn>:*]`,
      reason: 'Lambda names its log streams at run time; the grant covers the streams of this one log group.',
    });
    return group;
  }

  private grantHandler(role: iam.Role, props: BucketLoggingProps): void {
    const stack = Stack.of(this);
    const statements = [
      new iam.PolicyStatement({ actions: LIST_BUCKETS_ACTIONS, resources: ['*'] }),
      new iam.PolicyStatement({
        actions: BUCKET_CONFIGURATION_ACTIONS,
        resources: [`arn:${stack.partition}:s3:::*`],
        conditions: { StringEquals: { 's3:ResourceAccount': stack.account } },
      }),
      new iam.PolicyStatement({
        actions: REPORT_WRITE_ACTIONS,
        resources: [props.targetBucket.arnForObjects(`${REPORTS_PREFIX}*`)],
      }),
      new iam.PolicyStatement({ actions: STATE_TABLE_ACTIONS, resources: [this.stateTable.tableArn] }),
    ];
    if (props.glueTable) {
      const { databaseName, tableName } = props.glueTable;
      const glueArn = (resource: string, resourceName?: string) =>
        stack.formatArn({ service: 'glue', resource, resourceName });
      statements.push(
        new iam.PolicyStatement({
          actions: GLUE_TABLE_ACTIONS,
          resources: [
            glueArn('catalog'),
            glueArn('database', databaseName),
            glueArn('table', `${databaseName}/${tableName}`),
          ],
        }),
      );
    }
    const policy = new iam.Policy(this, 'HandlerPolicy', { roles: [role], statements });
    const ack = (finding: string, reason: string) =>
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    ack(
      'Resource::*',
      's3:ListAllMyBuckets (ListBuckets) has no resource-level permissions: IAM only accepts "*".',
    );
    ack(
      'Resource::arn:<AWS::Partition>:s3:::*',
      'Logging is configured on every bucket of the account, which are not known at deploy time (new ones appear ' +
        'every day); s3:ResourceAccount limits the grant to this account.',
    );
    ack(
      `Resource::${reportsArnFinding(props.targetBucket)}`,
      'Run reports have one object per run, named by time; the grant covers only the reports prefix of the log bucket.',
    );
  }

  /** The Provider framework's findings: its policies are written by aws-cdk-lib, not configurable here. */
  private acknowledgeProviderFindings(
    provider: cr.Provider,
    frameworkRoles: iam.Role[],
    userFunctions: lambda.Function[],
  ): void {
    const invokeGrant = (scope: Construct, fn: Construct) =>
      Validations.of(scope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn)}.Arn>:*]`,
        reason:
          'The Provider framework grants lambda:InvokeFunction on the function and its versions (`:*`); the ' +
          'grant names this one function.',
      });
    for (const role of frameworkRoles) for (const fn of userFunctions) invokeGrant(role, fn);
    for (const id of ['framework-isComplete', 'framework-onTimeout'])
      invokeGrant(provider, provider.node.findChild(id));
    const waiter = provider.node.findChild('waiter-state-machine');
    Validations.of(waiter).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery (logs:CreateLogDelivery, logs:DescribeResourcePolicies and the like) only ' +
        'accepts "*" as resource; the waiter state machine logs to its own log group.',
    });
    Validations.of(waiter).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        "The Provider framework's waiter state machine offers no X-Ray setting; it only polls isComplete, and " +
        'its executions are logged (level ALL).',
    });
  }
}

/**
 * The reports grant as cdk-nag prints it: `<LogicalId.Arn>/...` for a bucket of this app, the literal ARN for
 * an imported one.
 */
function reportsArnFinding(bucket: s3.IBucket): string {
  const child = bucket.node.defaultChild;
  const arn = child ? `<${logicalIdOf(bucket)}.Arn>` : Stack.of(bucket).resolve(bucket.bucketArn);
  return `${typeof arn === 'string' ? arn : JSON.stringify(arn)}/${REPORTS_PREFIX}*`;
}

/** The logical id of a construct's CloudFormation resource, as cdk-nag prints it in findings. */
function logicalIdOf(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
