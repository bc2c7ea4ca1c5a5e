import * as path from 'node:path';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { throwIfProblems } from '../construct-errors';
import { createDashboard } from './dashboard';
import { DEFAULT_LOOKBACK_DAYS, lookbackProblem } from './days';
import { handlerPolicy } from './grants';
import { METRIC_NAMES, METRIC_NAMESPACE, type MetricKey, namespaceProblem } from './metrics';
import { CONFIG_ENV, type WatchConfig } from './types';

/**
 * The compacted table and the compaction that fills it, as the watch needs them. A `LogCompaction` is one; any
 * object with these members will do.
 */
export interface CompactedTableSource {
  /** The compaction's state machine: the watch runs after each execution that succeeds. */
  readonly stateMachine: sfn.IStateMachine;
  /** Glue database of the compacted table. */
  readonly databaseName: string;
  /** The compacted table (partitioned by `day`, `yyyy/MM/dd`). */
  readonly tableName: string;
  /** The Athena workgroup the digest queries run in. */
  readonly workGroupName: string;
  /** Grants what querying the compacted table needs: the workgroup, the Glue table, its files, the results. */
  grantQuery(grantee: iam.IGrantable): iam.Grant;
}

/** Everything about a {@link Sigv2Watch} except the resources it reads. */
export interface Sigv2WatchOptions {
  /**
   * A requester is new when it made no SigV2 request in this many days before the digest's day (within what the
   * table holds). Whole days, 1 to 366.
   * @default 30
   */
  readonly lookbackDays?: number;

  /**
   * An email address subscribed to the digest topic (it must confirm the subscription).
   * @default - no subscription; subscribe to `topic` yourself
   */
  readonly digestEmail?: string;

  /**
   * The alarm goes off when at least this many new SigV2 requesters appear in a day.
   * @default 1
   */
  readonly newRequestersThreshold?: number;

  /**
   * How many days the dashboard's graphs show (the log retention is a good choice).
   * @default Duration.days(90)
   */
  readonly dashboardRange?: Duration;
}

/** Properties of a {@link Sigv2Watch}. */
export interface Sigv2WatchProps extends Sigv2WatchOptions {
  /** The compacted table and its compaction (a `LogCompaction`). */
  readonly compaction: CompactedTableSource;

  /**
   * CloudWatch namespace of the watch's metrics; the function may put metrics in this namespace only, and the
   * dashboard and alarm read it. Two watches in one account need two namespaces, or their numbers add up in one
   * series (`OrgSigv2Watch` uses `S3AccessLogs/Organization`).
   * @default 'S3AccessLogs'
   */
  readonly metricNamespace?: string;
}

const FUNCTION_TIMEOUT = Duration.minutes(5);
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
const ONE_DAY = Duration.days(1);

/**
 * Watches for SigV2 clients after each nightly compaction: a function computes the day's digest with Athena on
 * the compacted table (SigV2 requests, requesters, new and gone requesters, each requester's user agents,
 * source IPs, buckets, operations and auth type), publishes the day's metrics (namespace `S3AccessLogs` unless `metricNamespace` says otherwise), sends
 * the digest to an encrypted SNS topic and as an EventBridge event; a dashboard shows the numbers per day and
 * an alarm goes off on new SigV2 requesters. A day with no log records is reported as such, never as "no SigV2".
 */
export class Sigv2Watch extends Construct {
  /** The digest topic (KMS-encrypted); the alarm notifies it too. */
  public readonly topic: sns.Topic;
  /** The function that computes and sends the digest. */
  public readonly handler: lambda.Function;
  /** Starts the function after each successful compaction. */
  public readonly rule: events.Rule;
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** In alarm when new SigV2 requesters appeared. */
  public readonly newRequestersAlarm: cloudwatch.Alarm;
  /** The CloudWatch namespace of the watch's metrics. */
  public readonly metricNamespace: string;

  private readonly props: Sigv2WatchProps;
  private readonly lookbackDays: number;
  private readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: Sigv2WatchProps) {
    super(scope, id);
    this.props = props;
    this.lookbackDays = props.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
    this.metricNamespace = props.metricNamespace ?? METRIC_NAMESPACE;
    this.validate();

    this.topic = this.createTopic();
    // No managed policy (AWSLambdaBasicExecutionRole allows every log group): each grant names its resource.
    this.role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.handler = this.createHandler();
    this.grantHandler();
    this.rule = this.createRule();
    this.newRequestersAlarm = this.createAlarm();
    this.dashboard = this.createDashboard();
  }

  /** One of the watch's daily metrics (Maximum over a day: a digest sent twice for a day counts once). */
  public metric(key: MetricKey, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName: METRIC_NAMES[key],
      period: ONE_DAY,
      statistic: cloudwatch.Stats.MAXIMUM,
      ...options,
    });
  }

  private validate(): void {
    const problems: string[] = [];
    const lookback = this.props.lookbackDays;
    if (lookback !== undefined && !Token.isUnresolved(lookback)) {
      const problem = lookbackProblem(lookback);
      if (problem !== undefined) problems.push(`lookbackDays ${problem}.`);
    }
    const threshold = this.props.newRequestersThreshold;
    if (
      threshold !== undefined &&
      !Token.isUnresolved(threshold) &&
      !(Number.isInteger(threshold) && threshold >= 1)
    ) {
      problems.push(`newRequestersThreshold must be a whole number of at least 1 (got ${threshold}).`);
    }
    const email = this.props.digestEmail;
    if (email !== undefined && !Token.isUnresolved(email) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      problems.push(`digestEmail must be an email address such as team@example.com (got '${email}').`);
    }
    const namespace = this.props.metricNamespace;
    if (namespace !== undefined && !Token.isUnresolved(namespace)) {
      const problem = namespaceProblem(namespace);
      if (problem !== undefined) problems.push(`metricNamespace ${problem}.`);
    }
    const range = this.props.dashboardRange;
    if (range !== undefined && !range.isUnresolved() && range.toSeconds() < ONE_DAY.toSeconds()) {
      problems.push(`dashboardRange must be at least 1 day (got ${range.toHumanString()}).`);
    }
    throwIfProblems(this, 'Sigv2Watch', problems);
  }

  private createTopic(): sns.Topic {
    // A customer managed key: CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key.
    // CloudWatch acts as its service principal, for alarms of this account only (aws:SourceAccount).
    const alarms = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const thisAccount = { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } };
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the SigV2 digest topic (s3-access-logs)',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [alarms],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: thisAccount,
      }),
    );
    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'SigV2 digest (s3-access-logs)',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [alarms],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: thisAccount,
      }),
    );
    if (this.props.digestEmail !== undefined) {
      topic.addSubscription(new subscriptions.EmailSubscription(this.props.digestEmail));
    }
    return topic;
  }

  private createHandler(): lambda.Function {
    const { compaction } = this.props;
    const config: WatchConfig = {
      databaseName: compaction.databaseName,
      tableName: compaction.tableName,
      workGroupName: compaction.workGroupName,
      lookbackDays: this.lookbackDays,
      topicArn: this.topic.topicArn,
      namespace: this.metricNamespace,
      eventBusName: 'default',
    };
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', { retention: LOG_RETENTION });
    return new lambda.Function(this, 'Handler', {
      description:
        'Sigv2Watch: the daily SigV2 digest (Athena on the compacted table), metrics, SNS, EventBridge',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(path.join(__dirname, 'handler.bundle')),
      handler: 'index.handler',
      timeout: FUNCTION_TIMEOUT,
      memorySize: 256,
      role: this.role,
      logGroup,
      environment: { [CONFIG_ENV]: Stack.of(this).toJsonString(config) },
    });
  }

  /** Querying the compacted table (granted by the compaction), and the rest of what the digest needs. */
  private grantHandler(): void {
    const policy = handlerPolicy(this, {
      role: this.role,
      logGroup: this.handler.logGroup,
      compaction: this.props.compaction,
      topic: this.topic,
      namespace: this.metricNamespace,
    });
    // The role holds the query grants (its default policy): the function waits for them and the policy.
    this.handler.node.addDependency(policy, this.role);
  }

  private createRule(): events.Rule {
    return new events.Rule(this, 'CompactionSucceededRule', {
      description: 'After each successful compaction, the SigV2 digest of the day it compacted',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['SUCCEEDED'],
          stateMachineArn: [this.props.compaction.stateMachine.stateMachineArn],
        },
      },
      targets: [
        new targets.LambdaFunction(this.handler, { retryAttempts: 2, maxEventAge: Duration.hours(6) }),
      ],
    });
  }

  /**
   * Any new SigV2 requester. Two daily periods, one breaching: the day's data point arrives the next morning
   * (timestamped with the day it describes), and stays in the alarm's view for that whole next day. Missing
   * data (no digest yet) is not breaching: a missing day is the Records graph's and the digest's to show.
   */
  private createAlarm(): cloudwatch.Alarm {
    const threshold = this.props.newRequestersThreshold ?? 1;
    const alarm = new cloudwatch.Alarm(this, 'NewRequestersAlarm', {
      alarmDescription:
        `At least ${threshold} new SigV2 requester(s) in a day (no SigV2 request in the previous ` +
        `${this.lookbackDays} days). The digest on the topic names them.`,
      metric: this.metric('newSigv2Requesters'),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cwActions.SnsAction(this.topic));
    return alarm;
  }

  private createDashboard(): cloudwatch.Dashboard {
    return createDashboard(this, 'Dashboard', {
      compaction: this.props.compaction,
      lookbackDays: this.lookbackDays,
      range: this.props.dashboardRange ?? Duration.days(90),
      metric: (key, options) => this.metric(key, options),
      alarm: this.newRequestersAlarm,
    });
  }
}
