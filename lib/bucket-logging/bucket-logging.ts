import * as path from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { throwIfProblems } from '../construct-errors';
import { DEFAULT_EXCLUDE_TAG_KEY, DEFAULT_PREFIX_TEMPLATE, KeyFormat } from '../conventions';
import { acknowledgeProviderFindings, handlerPolicy, nagSpelling } from './grants';
import { LOG_WRITE_ACTIONS } from './permissions';
import type { BucketLoggingProps } from './props';
import {
  type BucketLoggingConfig,
  type BucketLoggingResourceProperties,
  CONFIG_ENV,
  type CountName,
  DEFAULT_CONCURRENCY,
  REPORT_KEY_ATTRIBUTE,
} from './types';
import {
  bucketLoggingProblems,
  tableRevisionProblem,
  targetBucketProblem,
  type ValidatedProps,
} from './validation';

export type { BucketLoggingOptions, BucketLoggingProps } from './props';

/** Lambda keeps going this long at most; the handler stops taking buckets two minutes before. */
const HANDLER_TIMEOUT = Duration.minutes(15);
/** The handler's memory: with it comes CPU for 64 concurrent SDK calls (the benchmark peaks at ~270 MB RSS for 10,000). */
const HANDLER_MEMORY_MB = 1024;
/** CloudFormation allows a custom resource one hour; the Provider framework cannot wait longer. */
const DEPLOY_TIMEOUT = Duration.hours(1);
/** Between the Provider's isComplete calls while a run spans invocations. */
const QUERY_INTERVAL = Duration.seconds(10);
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
/**
 * Lambda's JSON log format: each line the handler writes (one JSON object) is filed at the level of the
 * console method that wrote it (warnings at WARN, errors at ERROR), so they can be filtered.
 */
const JSON_LOGS = {
  loggingFormat: lambda.LoggingFormat.JSON,
  applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
  systemLogLevelV2: lambda.SystemLogLevel.INFO,
} as const;

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
  /** Every policy the functions need; the custom resource (the first caller) waits for them. */
  private readonly policies: iam.Policy[] = [];

  constructor(scope: Construct, id: string, props: BucketLoggingProps) {
    super(scope, id);
    const settings = this.validate(props);
    this.stateTable = this.createStateTable();
    const configJson = Stack.of(this).toJsonString(this.handlerConfig(props, settings));
    const code = lambda.Code.fromAsset(path.join(__dirname, 'handler.bundle'));
    const onEvent = this.createOnEventFunction(code);
    this.handler = this.createHandler(code, configJson, props);
    const provider = this.createProvider(onEvent, this.handler);
    this.resource = this.createResource(provider, configJson, props);
    this.createBucketRule = this.createCreateBucketRule();
    this.sweepRule = this.createSweepRule(props.sweepSchedule);
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

  /** The props with their defaults, once checked; every problem is reported at once, with this path. */
  private validate(props: BucketLoggingProps): ValidatedProps {
    const settings = {
      prefixTemplate: props.prefixTemplate ?? DEFAULT_PREFIX_TEMPLATE,
      include: props.include ?? [],
      exclude: props.exclude ?? [],
      excludeTagKey: props.excludeTagKey ?? DEFAULT_EXCLUDE_TAG_KEY,
      concurrency: props.concurrency ?? DEFAULT_CONCURRENCY,
    };
    throwIfProblems(this, 'BucketLogging', [
      targetBucketProblem(props.targetBucket),
      ...bucketLoggingProblems(settings),
      tableRevisionProblem(props.tableRevision),
    ]);
    return settings;
  }

  private createStateTable(): dynamodb.Table {
    return new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The only record of what each bucket's logging was before this stack changed it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Everything the handler needs, in the type it parses (types.ts). */
  private handlerConfig(props: BucketLoggingProps, settings: ValidatedProps): BucketLoggingConfig {
    return {
      region: Stack.of(this).region,
      targetBucket: props.targetBucket.bucketName,
      prefixTemplate: settings.prefixTemplate,
      keyFormat: props.keyFormat ?? KeyFormat.PARTITIONED,
      include: settings.include,
      exclude: settings.exclude,
      excludeTagKey: settings.excludeTagKey,
      overwriteExisting: props.overwriteExisting ?? false,
      concurrency: settings.concurrency,
      failOnErrors: props.failOnErrors ?? false,
      restoreOnDelete: props.restoreOnDelete ?? true,
      stateTableName: this.stateTable.tableName,
      glueTable: props.glueTable,
    };
  }

  /** The custom resource's onEvent: it only names the resource, so it needs no permission beyond its logs. */
  private createOnEventFunction(code: lambda.Code): lambda.Function {
    const role = this.functionRole('OnEventRole');
    return new lambda.Function(this, 'OnEventFunction', {
      description: 'BucketLogging custom resource: names the resource; the work happens in isComplete',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code,
      handler: 'index.onEvent',
      timeout: Duration.minutes(1),
      memorySize: 256,
      role,
      logGroup: this.logGroup('OnEventLogs', role),
      ...JSON_LOGS,
    });
  }

  /** The function that does the work, with its configuration in the environment and its own policy. */
  private createHandler(code: lambda.Code, configJson: string, props: BucketLoggingProps): lambda.Function {
    const role = this.functionRole('HandlerRole');
    const handler = new lambda.Function(this, 'Handler', {
      description: 'BucketLogging: enables S3 server access logging (deploy, sweep, CreateBucket events)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code,
      handler: 'index.handler',
      timeout: HANDLER_TIMEOUT,
      memorySize: HANDLER_MEMORY_MB,
      role,
      logGroup: this.logGroup('HandlerLogs', role),
      environment: { [CONFIG_ENV]: configJson },
      ...JSON_LOGS,
    });
    this.policies.push(handlerPolicy(this, role, props, this.stateTable));
    return handler;
  }

  /** The Provider framework, with roles of its own so that they carry no managed policy. */
  private createProvider(onEvent: lambda.Function, isComplete: lambda.Function): cr.Provider {
    // The framework's own roles, so that they carry no managed policy and write only their own log group.
    const frameworkOnEventRole = this.functionRole('ProviderOnEventRole');
    const frameworkCompleteRole = this.functionRole('ProviderCompleteRole');
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
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
    acknowledgeProviderFindings(
      provider,
      [frameworkOnEventRole, frameworkCompleteRole],
      [onEvent, isComplete],
    );
    return provider;
  }

  /** The deploy's run: the custom resource, after every policy and the log bucket. */
  private createResource(
    provider: cr.Provider,
    configJson: string,
    props: BucketLoggingProps,
  ): CustomResource {
    const properties: Omit<BucketLoggingResourceProperties, 'ServiceToken'> = {
      Config: configJson,
      TableRevision: props.tableRevision,
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::S3BucketLogging',
      properties,
    });
    // Policies are resources of their own, which the functions do not wait for: the first run must.
    resource.node.addDependency(...this.policies);
    // S3 delivers logs only once the log bucket's policy (or ACL, on the bucket itself) allows it: logging
    // starts after it, and on delete the restore ends before it goes. A bucket imported by name adds nothing.
    resource.node.addDependency(props.targetBucket);
    return resource;
  }

  /** New buckets, from CloudTrail's CreateBucket, within a minute. */
  private createCreateBucketRule(): events.Rule {
    return new events.Rule(this, 'CreateBucketRule', {
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
  }

  /** The scheduled sweep over every bucket of the Region. */
  private createSweepRule(schedule: events.Schedule | undefined): events.Rule {
    return new events.Rule(this, 'SweepRule', {
      description: 'Reconciles S3 server access logging on every bucket of the Region',
      schedule: schedule ?? events.Schedule.rate(Duration.days(1)),
      // A failed sweep is not retried: the next one starts where it stopped.
      targets: [new targets.LambdaFunction(this.handler, { retryAttempts: 0 })],
    });
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
    this.policies.push(policy);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagSpelling(this, `${group.logGroupArn}:*`)}]`,
      reason: 'Lambda names its log streams at run time; the grant covers the streams of this one log group.',
    });
    return group;
  }
}
