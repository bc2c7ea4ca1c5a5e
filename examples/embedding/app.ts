#!/usr/bin/env node
// A platform team's CDK app that embeds s3-access-logs: whole AccessLogsStacks for two accounts and Regions, the
// constructs one by one inside the team's own stack in a Stage (log bucket, bucket logging, Athena table, nightly
// compaction and the SigV2 watch), and an AccessLogsStack that logs into an existing bucket.
import { App, Duration, Stack, type StackProps, Stage, type StageProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import {
  AccessLogBucket,
  AccessLogsStack,
  AccessLogTable,
  BucketLogging,
  KeyFormat,
  LogCompaction,
  Sigv2Watch,
} from 's3-access-logs';

/** The team's own stack: the constructs sit beside its other resources. */
class AuditStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const logs = new AccessLogBucket(this, 'AccessLogs', {
      // Two log buckets in one account and Region need different names: bucket names are global.
      bucketName: `audit-access-logs-${this.account}-${this.region}`,
      retention: Duration.days(365),
    });
    // An Athena table over that bucket, with names of its own (the defaults would collide with an
    // AccessLogsStack in the same account and Region).
    const table = new AccessLogTable(this, 'AccessLogTable', {
      logBucket: logs.bucket,
      databaseName: 'audit_access_logs',
      workGroupName: 'audit-access-logs',
      keyFormat: KeyFormat.PARTITIONED,
    });
    // Only the team's own buckets log here; the table's bucket list is kept current.
    new BucketLogging(this, 'BucketLogging', {
      targetBucket: logs.bucket,
      include: ['audit-*', 'payments-*'],
      glueTable: { databaseName: table.databaseName, tableName: table.tableName },
    });
    // Every night, yesterday's logs of all those buckets into one Parquet table in the same database.
    const compaction = new LogCompaction(this, 'LogCompaction', {
      logBucket: logs.bucket,
      databaseName: table.databaseName,
      resultsBucket: table.resultsBucket,
      workGroupName: 'audit-access-logs-compaction',
      keyFormat: KeyFormat.PARTITIONED,
    });
    // Its tables live in the table's database, which CloudFormation must create first.
    compaction.node.addDependency(table.table);
    // After each compaction: who still signs with SigV2, by email, with metrics, a dashboard and an alarm.
    new Sigv2Watch(this, 'Sigv2Watch', {
      compaction,
      digestEmail: 'audit-team@example.com',
      metricNamespace: 'AuditAccessLogs',
    });
    const auditors = new iam.Role(this, 'Auditors', { assumedBy: new iam.AccountRootPrincipal() });
    logs.grantRead(auditors);
    table.grantQuery(auditors);
  }
}

/** A deployment stage of the team's pipeline, with its own account and Region. */
class Production extends Stage {
  constructor(scope: Construct, id: string, props: StageProps) {
    super(scope, id, props);
    new AuditStack(this, 'Audit');
  }
}

const app = new App();

// One AccessLogsStack per account and Region: the default names carry both, so these never collide.
new AccessLogsStack(app, 'AccessLogs-111111111111-us-east-1', {
  env: { account: '111111111111', region: 'us-east-1' },
});
new AccessLogsStack(app, 'AccessLogs-222222222222-eu-west-1', {
  env: { account: '222222222222', region: 'eu-west-1' },
});

// Logs go into a bucket the team already has (same account and Region). Its policy is left as it is: synth
// warns that it must allow logging.s3.amazonaws.com to put objects.
new AccessLogsStack(app, 'AccessLogs-111111111111-eu-west-1', {
  env: { account: '111111111111', region: 'eu-west-1' },
  logBucket: { existingBucketName: 'corp-central-logs-eu-west-1' },
});

new Production(app, 'Production', { env: { account: '333333333333', region: 'eu-central-1' } });
