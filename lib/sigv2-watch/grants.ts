import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { nagSpelling } from '../bucket-logging/grants';
import { EVENT_ACTIONS, KEY_ACTIONS, LOG_WRITE_ACTIONS, METRIC_ACTIONS, TOPIC_ACTIONS } from './permissions';
import type { CompactedTableSource } from './sigv2-watch';

/** What the digest function's policy covers. */
export interface HandlerPolicyRefs {
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly compaction: CompactedTableSource;
  readonly topic: sns.ITopic;
  /** The only CloudWatch namespace the function may put metrics in. */
  readonly namespace: string;
}

/**
 * The digest function's permissions: querying the compacted table as the compaction grants it (the workgroup,
 * the Glue table, the compacted files, the query results), and one policy of its own for metrics in the
 * namespace, the topic and its key, the default event bus and its log group. Every wildcard is acknowledged
 * with the reason it cannot be narrower.
 */
export function handlerPolicy(scope: Construct, refs: HandlerPolicyRefs): iam.Policy {
  const stack = Stack.of(scope);
  const { compaction, topic } = refs;
  const query = compaction.grantQuery(refs.role);
  const queryWildcards = query.principalStatements.flatMap((s) => s.resources).filter((r) => r.includes('*'));
  for (const resource of new Set(queryWildcards)) {
    Validations.of(refs.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagSpelling(scope, resource)}]`,
      reason:
        'Granted by the compaction for querying its table: Athena reads the Parquet files and writes query ' +
        'results under names chosen at run time, each under its own prefix.',
    });
  }
  const logStreams = `${refs.logGroup.logGroupArn}:*`;
  const policy = new iam.Policy(scope, 'HandlerPolicy', {
    roles: [refs.role],
    statements: [
      new iam.PolicyStatement({
        actions: METRIC_ACTIONS,
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': refs.namespace } },
      }),
      new iam.PolicyStatement({ actions: TOPIC_ACTIONS, resources: [topic.topicArn] }),
      new iam.PolicyStatement({
        actions: KEY_ACTIONS,
        resources: [(topic.masterKey as kms.IKey).keyArn],
      }),
      new iam.PolicyStatement({
        actions: EVENT_ACTIONS,
        resources: [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
      }),
      new iam.PolicyStatement({ actions: LOG_WRITE_ACTIONS, resources: [logStreams] }),
    ],
  });
  const ack = (resource: string, reason: string) =>
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagSpelling(scope, resource)}]`,
      reason,
    });
  ack(
    '*',
    `cloudwatch:PutMetricData has no resource-level permissions; the cloudwatch:namespace condition limits it to ${refs.namespace}.`,
  );
  ack(
    logStreams,
    'Lambda names its log streams at run time; the grant covers the streams of this one log group.',
  );
  return policy;
}
