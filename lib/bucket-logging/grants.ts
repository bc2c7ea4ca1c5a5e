/**
 * The handler's IAM statements (from the named action lists in permissions.ts) and the cdk-nag acknowledgements
 * for the wildcards that the APIs, or the Provider framework, force.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { REPORTS_PREFIX } from '../conventions';
import {
  BUCKET_CONFIGURATION_ACTIONS,
  GLUE_TABLE_ACTIONS,
  LIST_BUCKETS_ACTIONS,
  REPORT_WRITE_ACTIONS,
  STATE_TABLE_ACTIONS,
} from './permissions';
import type { BucketLoggingProps } from './props';

/** The handler's policy: exactly the statements its operations need. */
export function handlerPolicy(
  scope: Construct,
  role: iam.Role,
  props: BucketLoggingProps,
  stateTable: dynamodb.ITable,
): iam.Policy {
  const stack = Stack.of(scope);
  const bucketsArn = `arn:${stack.partition}:s3:::*`;
  const reportsArn = props.targetBucket.arnForObjects(`${REPORTS_PREFIX}*`);
  const statements = [
    new iam.PolicyStatement({ actions: LIST_BUCKETS_ACTIONS, resources: ['*'] }),
    new iam.PolicyStatement({
      actions: BUCKET_CONFIGURATION_ACTIONS,
      resources: [bucketsArn],
      conditions: { StringEquals: { 's3:ResourceAccount': stack.account } },
    }),
    new iam.PolicyStatement({
      actions: REPORT_WRITE_ACTIONS,
      resources: [reportsArn],
    }),
    new iam.PolicyStatement({ actions: STATE_TABLE_ACTIONS, resources: [stateTable.tableArn] }),
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
  const policy = new iam.Policy(scope, 'HandlerPolicy', { roles: [role], statements });
  const ack = (resource: string, reason: string) =>
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagSpelling(scope, resource)}]`,
      reason,
    });
  ack('*', 's3:ListAllMyBuckets (ListBuckets) has no resource-level permissions: IAM only accepts "*".');
  ack(
    bucketsArn,
    'Logging is configured on every bucket of the account, which are not known at deploy time (new ones appear ' +
      'every day); s3:ResourceAccount limits the grant to this account.',
  );
  ack(
    reportsArn,
    'Run reports have one object per run, named by time; the grant covers only the reports prefix of the log bucket.',
  );
  return policy;
}

/** The Provider framework's findings: its policies are written by aws-cdk-lib, not configurable here. */
export function acknowledgeProviderFindings(
  provider: cr.Provider,
  frameworkRoles: iam.Role[],
  userFunctions: lambda.Function[],
): void {
  const invokeGrant = (scope: Construct, fn: lambda.IFunction) =>
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagSpelling(fn, `${fn.functionArn}:*`)}]`,
      reason:
        'The Provider framework grants lambda:InvokeFunction on the function and its versions (`:*`); the ' +
        'grant names this one function.',
    });
  for (const role of frameworkRoles) for (const fn of userFunctions) invokeGrant(role, fn);
  for (const id of ['framework-isComplete', 'framework-onTimeout'])
    invokeGrant(provider, provider.node.findChild(id) as lambda.IFunction);
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

/**
 * A resource as cdk-nag spells it in finding ids (`Ref X` as `<X>`, `Fn::GetAtt [X, Y]` as `<X.Y>`, joins
 * concatenated), so that an acknowledgement names exactly the grant it accepts.
 */
export function nagSpelling(scope: Construct, value: string): string {
  const render = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return `<${o.Ref}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in o) {
      const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
    return JSON.stringify(v);
  };
  return render(Stack.of(scope).resolve(value));
}
