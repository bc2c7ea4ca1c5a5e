/**
 * LogCompaction's IAM: the statements of the state machine's queries and of the handler, from named action
 * lists, and the cdk-nag acknowledgements for the wildcards that run-time names (and aws-cdk-lib) force.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { nagSpelling } from '../bucket-logging/grants';
import { DAILY_PREFIX, RUNS_PREFIX } from './plan';

/** What a compaction query needs of Athena, on the workgroup only. */
export const ATHENA_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:StopQueryExecution',
];
/** What Athena reads from the Glue Data Catalog for the source table. */
export const GLUE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable'];
/** What Athena does to write a query's files (UNLOAD, results) with the caller's permissions. */
export const S3_WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
/** The handler's work on the log bucket: copy from staging, write the plan, delete replaced files. */
export const HANDLER_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
/** What running the fleet-wide queries needs of Athena, on the workgroup only. */
export const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:GetWorkGroup',
  'athena:ListNamedQueries',
  'athena:GetNamedQuery',
  'athena:BatchGetNamedQuery',
];
/** What Athena reads from the Glue Data Catalog for the compacted table. */
export const GLUE_TABLE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables'];

/** Where the fleet-wide queries read and write. */
export interface TableGrantTargets {
  readonly logBucket: s3.IBucket;
  readonly resultsBucket: s3.IBucket;
  readonly workGroupName: string;
  readonly databaseName: string;
  readonly tableName: string;
}

/**
 * What querying the compacted table needs: Athena on the workgroup, Glue reads of the table, the compacted files
 * (not the raw logs) and the workgroup's results prefix.
 */
export function grantTableQuery(
  scope: Construct,
  grantee: iam.IGrantable,
  targets: TableGrantTargets,
): iam.Grant {
  const stack = Stack.of(scope);
  const grant = (actions: string[], resourceArns: string[]) =>
    iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
  return grant(ATHENA_QUERY_ACTIONS, [
    stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: targets.workGroupName }),
  ])
    .combine(
      grant(GLUE_TABLE_READ_ACTIONS, [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: targets.databaseName }),
        stack.formatArn({
          service: 'glue',
          resource: 'table',
          resourceName: `${targets.databaseName}/${targets.tableName}`,
        }),
      ]),
    )
    .combine(grant(['s3:GetObject'], [targets.logBucket.arnForObjects(`${DAILY_PREFIX}*`)]))
    .combine(
      grant(
        ['s3:ListBucket', 's3:GetBucketLocation'],
        [targets.logBucket.bucketArn, targets.resultsBucket.bucketArn],
      ),
    )
    .combine(
      grant(['s3:GetObject', ...S3_WRITE_ACTIONS], [targets.resultsBucket.arnForObjects('compaction/*')]),
    );
}

/** Where the state machine's queries read and write. */
export interface QueryGrantTargets {
  readonly logBucket: s3.IBucket;
  readonly resultsBucket: s3.IBucket;
  readonly workGroupName: string;
  readonly databaseName: string;
  readonly sourceTableName: string;
}

/** What the state machine's Athena queries need: this workgroup, the source table, the raw logs, staging. */
export function queryPolicy(scope: Construct, role: iam.IRole, targets: QueryGrantTargets): iam.Policy {
  const stack = Stack.of(scope);
  const bucket = targets.logBucket;
  const staging = bucket.arnForObjects(`${RUNS_PREFIX}*`);
  const results = targets.resultsBucket.arnForObjects('compaction/*');
  const glueArn = (resource: string, resourceName?: string) =>
    stack.formatArn({ service: 'glue', resource, resourceName });
  const policy = new iam.Policy(scope, 'QueryPolicy', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        actions: ATHENA_ACTIONS,
        resources: [
          stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: targets.workGroupName }),
        ],
      }),
      new iam.PolicyStatement({
        actions: GLUE_READ_ACTIONS,
        resources: [
          glueArn('catalog'),
          glueArn('database', targets.databaseName),
          glueArn('table', `${targets.databaseName}/${targets.sourceTableName}`),
        ],
      }),
      // Athena reads the raw logs (and the map reads the plan) with the caller's permissions.
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }),
      new iam.PolicyStatement({
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [bucket.bucketArn, targets.resultsBucket.bucketArn],
      }),
      new iam.PolicyStatement({ actions: S3_WRITE_ACTIONS, resources: [staging, results] }),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [results] }),
    ],
  });
  acknowledgeWildcards(scope, policy, [
    [
      bucket.arnForObjects('*'),
      'Athena reads every source bucket’s raw log objects, whose keys (bucket names, days) are only known at ' +
        'run time; read-only, on the log bucket alone.',
    ],
    [staging, 'UNLOAD writes files it names itself, under the compaction’s staging prefix only.'],
    [
      results,
      'Athena names each query’s result and metadata files; the grant covers the workgroup’s prefix.',
    ],
  ]);
  return policy;
}

/** The handler's policy: list the log bucket, work on the daily and run prefixes, write its own log group. */
export function handlerPolicy(
  scope: Construct,
  role: iam.IRole,
  logBucket: s3.IBucket,
  logGroup: logs.ILogGroup,
): iam.Policy {
  const objects = [logBucket.arnForObjects(`${DAILY_PREFIX}*`), logBucket.arnForObjects(`${RUNS_PREFIX}*`)];
  const streams = `${logGroup.logGroupArn}:*`;
  const policy = new iam.Policy(scope, 'HandlerPolicy', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({ actions: LOG_WRITE_ACTIONS, resources: [streams] }),
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [logBucket.bucketArn] }),
      new iam.PolicyStatement({ actions: HANDLER_OBJECT_ACTIONS, resources: objects }),
    ],
  });
  acknowledgeWildcards(scope, policy, [
    [streams, 'Lambda names its log streams at run time; the grant covers this one log group.'],
    ...objects.map((o): [string, string] => [
      o,
      'Run and day files are named at run time; the grant covers only the compaction’s two prefixes.',
    ]),
  ]);
  return policy;
}

/** The wildcards in the statements aws-cdk-lib writes for the state machine's own features. */
export function acknowledgeGeneratedGrants(
  scope: Construct,
  machine: sfn.StateMachine,
  handler: lambda.IFunction,
): void {
  const defaultPolicy = machine.role.node.findChild('DefaultPolicy') as iam.Policy;
  acknowledgeWildcards(scope, defaultPolicy, [
    [
      `${handler.functionArn}:*`,
      'LambdaInvoke grants the function and its versions (`:*`); the grant names this one function.',
    ],
    [
      '*',
      'X-Ray trace writes and Step Functions log delivery (logs:CreateLogDelivery and the like) accept only "*" ' +
        'as resource.',
    ],
  ]);
  const mapPolicy = machine.node.findChild('DistributedMapPolicy') as iam.Policy;
  const document = Stack.of(scope).resolve(mapPolicy.document.toJSON()) as {
    Statement: { Resource: unknown }[];
  };
  for (const statement of document.Statement) {
    for (const resource of [statement.Resource].flat()) {
      const spelled = nagSpelling(scope, resource as string);
      if (!spelled.includes('*')) continue;
      Validations.of(mapPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${spelled}]`,
        reason:
          'The distributed map starts and stops child executions that Step Functions names at run time; the ' +
          'grant covers this state machine’s executions only.',
      });
    }
  }
}

function acknowledgeWildcards(
  scope: Construct,
  policy: iam.Policy,
  grants: readonly (readonly [string, string])[],
): void {
  for (const [resource, reason] of grants) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagSpelling(scope, resource)}]`,
      reason,
    });
  }
}
