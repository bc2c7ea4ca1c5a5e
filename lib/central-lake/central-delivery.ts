import * as path from 'node:path';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { bucketNamePropProblem } from '../access-log-bucket/validation';
import { nagSpelling } from '../bucket-logging/grants';
import { throwIfProblems } from '../construct-errors';
import { DAILY_PREFIX } from '../log-compaction/plan';
import { accountIdProblem } from '../organization-rollout/organization-ids';
import { regionProblem } from '../prop-rules';
import { DELIVERY_CONFIG_ENV, type DeliveryConfig } from './delivery-types';
import { CENTRAL_DATA_PREFIX, DELIVERY_ROLE_PATH } from './layout';

/** Where a member delivers: the organization's central bucket. */
export interface CentralLakeTarget {
  /** The central bucket's name. */
  readonly bucketName: string;
  /** The central bucket's Region. */
  readonly region: string;
  /** The central bucket's account: every call states it, so a bucket of that name elsewhere is refused. */
  readonly account: string;
}

/** Properties of a {@link CentralDelivery}. */
export interface CentralDeliveryProps {
  /** The central bucket. */
  readonly target: CentralLakeTarget;
  /** The compaction's state machine: each successful run delivers the days it compacted. */
  readonly stateMachine: sfn.IStateMachine;
  /** The log bucket that holds the compacted days. */
  readonly logBucket: s3.IBucket;
  /** Where the compacted table keeps a day (`<prefix><yyyy/MM/dd>/`). */
  readonly dailyPrefix: string;
}

/**
 * In a member account: after each successful compaction run, copies the days it (re)compacted into the central
 * bucket under `daily/<day>/<this account>/<this Region>/`, replacing what was there. Only the small Parquet
 * days cross accounts and Regions, never raw logs.
 */
export class CentralDelivery extends Construct {
  /** The function that copies. */
  public readonly handler: lambda.Function;
  /** The rule on the compaction's successful runs. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: CentralDeliveryProps) {
    super(scope, id);
    throwIfProblems(this, 'CentralDelivery', deliveryProblems(props));
    this.handler = this.createHandler(props);
    this.rule = new events.Rule(this, 'OnCompacted', {
      description: 'Delivers each compacted day to the organization’s central bucket',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED'], stateMachineArn: [props.stateMachine.stateMachineArn] },
      },
      targets: [new targets.LambdaFunction(this.handler, { retryAttempts: 4 })],
    });
  }

  private createHandler(props: CentralDeliveryProps): lambda.Function {
    const stack = Stack.of(this);
    const config: DeliveryConfig = {
      logBucketName: props.logBucket.bucketName,
      dailyPrefix: props.dailyPrefix,
      centralBucketName: props.target.bucketName,
      centralRegion: props.target.region,
      centralAccount: props.target.account,
    };
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      // The central bucket admits member writes from roles under this path only.
      path: DELIVERY_ROLE_PATH,
    });
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', { retention: logs.RetentionDays.ONE_YEAR });
    const policy = this.createHandlerPolicy(role, logGroup, props);
    const fn = new lambda.Function(this, 'Handler', {
      description: 'CentralDelivery: copies each compacted day to the organization’s central bucket',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(path.join(__dirname, 'handler.bundle')),
      handler: 'index.handler',
      timeout: Duration.minutes(5),
      memorySize: 256,
      role,
      logGroup,
      environment: { [DELIVERY_CONFIG_ENV]: stack.toJsonString(config) },
    });
    fn.node.addDependency(policy);
    return fn;
  }

  /**
   * Reads the compacted days of the log bucket, writes under the central bucket's data prefix (whose policy
   * narrows it to this account's own prefix), and writes its own log group.
   */
  private createHandlerPolicy(
    role: iam.Role,
    logGroup: logs.LogGroup,
    props: CentralDeliveryProps,
  ): iam.Policy {
    const centralArn = `arn:${Stack.of(this).partition}:s3:::${props.target.bucketName}`;
    const sourceObjects = props.logBucket.arnForObjects(`${props.dailyPrefix}*`);
    const centralObjects = `${centralArn}/${CENTRAL_DATA_PREFIX}*`;
    const policy = new iam.Policy(this, 'HandlerPolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroup.logGroupArn}:*`],
        }),
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [props.logBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': `${props.dailyPrefix}*` } },
        }),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [sourceObjects] }),
        // The central bucket's policy narrows these to this account's own prefix.
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [centralArn],
          conditions: { StringLike: { 's3:prefix': `${CENTRAL_DATA_PREFIX}*` } },
        }),
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:DeleteObject'],
          resources: [centralObjects],
        }),
      ],
    });
    for (const [resource, reason] of [
      [
        `${logGroup.logGroupArn}:*`,
        'Lambda names its log streams at run time; the grant covers this one log group.',
      ],
      [sourceObjects, 'Compacted files are named at run time; the grant covers only the compacted days.'],
      [
        centralObjects,
        'Delivered files are named at run time; the central bucket policy limits each account to its own prefix.',
      ],
    ] as const) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagSpelling(this, resource)}]`,
        reason,
      });
    }
    return policy;
  }
}

/**
 * Every problem with the props. Each would otherwise surface only at deploy or at the first delivery: a central
 * bucket that cannot exist, a Region with no endpoint, a grant on the whole log bucket (`dailyPrefix` '').
 */
function deliveryProblems(props: CentralDeliveryProps): Array<string | undefined> {
  const prefix = props.dailyPrefix;
  return [
    bucketNamePropProblem('target.bucketName', props.target.bucketName),
    regionProblem('target.region', props.target.region),
    accountIdProblem('target.account', props.target.account),
    Token.isUnresolved(prefix) || (prefix.endsWith('/') && !prefix.startsWith('/'))
      ? undefined
      : `dailyPrefix '${prefix}' must end with '/' and not start with '/': the days are folders under it ` +
        `(<prefix>yyyy/MM/dd/), and the grants cover nothing else of the log bucket. Use ${DAILY_PREFIX}.`,
  ];
}
