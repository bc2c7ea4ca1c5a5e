import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { nagSpelling } from '../bucket-logging/grants';
import { RESERVED_PREFIX } from '../conventions';
import { METRIC_NAMESPACE } from './metrics';
import {
  ATHENA_ACTIONS,
  COMPACTED_LIST_ACTIONS,
  COMPACTED_READ_ACTIONS,
  EVENT_ACTIONS,
  GLUE_READ_ACTIONS,
  LOG_WRITE_ACTIONS,
  METRIC_ACTIONS,
  RESULTS_OBJECT_ACTIONS,
} from './permissions';
import type { CompactedTableSource } from './sigv2-watch';

/** What the digest function's policy covers. */
export interface HandlerPolicyRefs {
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly compaction: CompactedTableSource;
  readonly logBucket: s3.IBucket;
  readonly resultsBucket: s3.IBucket;
  readonly topic: sns.ITopic;
}

/**
 * The digest function's one policy: Athena on the workgroup, Glue reads of the compacted table, the compacted
 * files and query results, metrics in the namespace, the topic and its key, the default event bus, its own
 * log group. Every wildcard is acknowledged with the reason it cannot be narrower.
 */
export function handlerPolicy(scope: Construct, refs: HandlerPolicyRefs): iam.Policy {
  const stack = Stack.of(scope);
  const { compaction, logBucket, resultsBucket, topic } = refs;
  const compactedObjects = logBucket.arnForObjects(`${RESERVED_PREFIX}*`);
  const resultObjects = resultsBucket.arnForObjects('*');
  const logStreams = `${refs.logGroup.logGroupArn}:*`;
  const policy = new iam.Policy(scope, 'HandlerPolicy', {
    roles: [refs.role],
    statements: [
      new iam.PolicyStatement({
        actions: ATHENA_ACTIONS,
        resources: [
          stack.formatArn({
            service: 'athena',
            resource: 'workgroup',
            resourceName: compaction.workGroupName,
          }),
        ],
      }),
      new iam.PolicyStatement({
        actions: GLUE_READ_ACTIONS,
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: compaction.databaseName }),
          stack.formatArn({
            service: 'glue',
            resource: 'table',
            resourceName: `${compaction.databaseName}/${compaction.tableName}`,
          }),
        ],
      }),
      new iam.PolicyStatement({ actions: COMPACTED_READ_ACTIONS, resources: [compactedObjects] }),
      new iam.PolicyStatement({
        actions: COMPACTED_LIST_ACTIONS,
        resources: [logBucket.bucketArn, resultsBucket.bucketArn],
      }),
      new iam.PolicyStatement({ actions: RESULTS_OBJECT_ACTIONS, resources: [resultObjects] }),
      new iam.PolicyStatement({
        actions: METRIC_ACTIONS,
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
      }),
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
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
    'cloudwatch:PutMetricData has no resource-level permissions; the cloudwatch:namespace condition limits it to S3AccessLogs.',
  );
  ack(
    compactedObjects,
    'Athena reads the compacted Parquet files (one object per file, named at run time) under the reserved prefix only.',
  );
  ack(
    resultObjects,
    'Athena writes and reads query results named by query id, in the dedicated results bucket.',
  );
  ack(
    logStreams,
    'Lambda names its log streams at run time; the grant covers the streams of this one log group.',
  );
  return policy;
}
