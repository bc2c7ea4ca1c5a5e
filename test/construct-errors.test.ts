import { Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  AccessLogBucket,
  AccessLogTable,
  BucketLogging,
  CentralDelivery,
  CentralLake,
  LogCompaction,
  OrganizationAssetBucket,
  OrganizationRollout,
  Sigv2Watch,
} from '../lib';
import { propsError } from '../lib/construct-errors';
import { testApp } from './util/app';

const ORG = 'o-a1b2c3d4e5';

/** A construct with one bad prop in a stack named `Owner`, under a parent construct, so the path has depth. */
function inStack(build: (scope: Construct, stack: Stack) => void): () => void {
  return () => {
    const stack = new Stack(testApp(), 'Owner', { env: { account: '111122223333', region: 'us-east-1' } });
    build(stack, stack);
  };
}

function logs(stack: Stack): s3.IBucket {
  return s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs');
}

function compaction(stack: Stack): LogCompaction {
  return new LogCompaction(stack, 'Compaction', {
    logBucket: s3.Bucket.fromBucketName(stack, 'CompactionLogs', 'my-logs'),
    resultsBucket: s3.Bucket.fromBucketName(stack, 'Results', 'my-results'),
    databaseName: 's3_access_logs',
  });
}

describe('a construct given a prop it cannot build with', () => {
  // Each case: the construct's class, how to build it with one bad prop, and the prop the message names.
  it.each<[string, (scope: Construct, stack: Stack) => void, string]>([
    ['AccessLogBucket', (s) => new AccessLogBucket(s, 'Bad', { retention: Duration.days(0) }), 'retention'],
    [
      'AccessLogTable',
      (s, stack) => new AccessLogTable(s, 'Bad', { logBucket: logs(stack), tableName: 'Bad-Name' }),
      'tableName',
    ],
    [
      'BucketLogging',
      (s, stack) => new BucketLogging(s, 'Bad', { targetBucket: logs(stack), concurrency: 0 }),
      'concurrency',
    ],
    [
      'LogCompaction',
      (s, stack) =>
        new LogCompaction(s, 'Bad', {
          logBucket: logs(stack),
          resultsBucket: s3.Bucket.fromBucketName(stack, 'Results', 'my-results'),
          databaseName: 's3_access_logs',
          lateDays: 99,
        }),
      'lateDays',
    ],
    [
      'Sigv2Watch',
      (s, stack) => new Sigv2Watch(s, 'Bad', { compaction: compaction(stack), lookbackDays: 0 }),
      'lookbackDays',
    ],
    [
      'CentralLake',
      (s) => new CentralLake(s, 'Bad', { organizationId: ORG, bucketName: 'Central_Logs' }),
      'bucketName',
    ],
    [
      'CentralDelivery',
      (s, stack) =>
        new CentralDelivery(s, 'Bad', {
          target: { bucketName: 'central', region: 'eu-west-1', account: 'log-archive' },
          stateMachine: sfn.StateMachine.fromStateMachineName(stack, 'Machine', 'compaction'),
          logBucket: logs(stack),
          dailyPrefix: '_s3-access-logs/daily/',
        }),
      'target.account',
    ],
    [
      'OrganizationAssetBucket',
      (s) => new OrganizationAssetBucket(s, 'Bad', { organizationId: 'org-1' }),
      'organizationId',
    ],
    [
      'OrganizationRollout',
      (s) =>
        new OrganizationRollout(s, 'Bad', {
          organizationId: ORG,
          targetOrganizationalUnitIds: ['r-ab12'],
          regions: [],
          memberStack: {},
        }),
      'regions',
    ],
  ])('%s names its class and path first, then the prop', (name, build, prop) => {
    expect(inStack(build)).toThrow(new RegExp(`^${name} Owner/Bad: .*${prop.replace('.', '\\.')}`));
  });
});

describe('propsError', () => {
  it('ends each problem as a sentence, so that several read apart', () => {
    const stack = new Stack(testApp(), 'Owner');
    expect(propsError(stack, 'Thing', ['a must be 1 (got 0)', 'b must be 2.']).message).toBe(
      'Thing Owner: a must be 1 (got 0). b must be 2.',
    );
    expect(propsError(stack, 'Thing', 'c must be 3 (got 4)').message).toBe(
      'Thing Owner: c must be 3 (got 4).',
    );
  });

  it('joins several problems into one message after the path', () => {
    const stack = new Stack(testApp(), 'Owner');
    expect(propsError(stack, 'Thing', ['a must be 1.', 'b must be 2.']).message).toBe(
      'Thing Owner: a must be 1. b must be 2.',
    );
  });
});
