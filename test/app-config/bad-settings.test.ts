import { AccessLogsStack } from '../../lib/access-logs-stack';
import { explainFailure, readAppConfig } from '../../lib/app-config';
import { testApp } from '../util/app';

/** Builds the stacks as bin/app.ts does and returns what the user would read, or undefined if it synthesizes. */
function failure(settings: Record<string, unknown>) {
  const context: Record<string, unknown> = { regions: 'us-east-1', ...settings };
  try {
    const config = readAppConfig((key) => context[key]);
    const app = testApp();
    for (const region of config.regions) {
      new AccessLogsStack(app, `S3AccessLogs-${region}`, {
        env: { account: '111122223333', region },
        ...config.stackProps(region, '111122223333'),
      });
    }
    return undefined;
  } catch (err) {
    return explainFailure(err, context);
  }
}

describe('a bad setting, caught by the app or by a construct', () => {
  // Each case: the settings, then the start of the line the user reads (key and value as typed).
  it.each<[Record<string, unknown>, string]>([
    [
      { retention: '0' },
      'Context retention=0: AccessLogBucket S3AccessLogs-us-east-1/LogBucket: retention must be at least 1 day',
    ],
    [{ retention: 'ninety' }, 'Context retention must be a whole number of days (got "ninety")'],
    [{ transitionToInfrequentAccessAfter: '10' }, 'Context transitionToInfrequentAccessAfter=10: '],
    [{ transitionToInfrequentAccessAfter: '100' }, 'Context transitionToInfrequentAccessAfter=100: '],
    [
      { bucketName: 'MyLogs' },
      "Context bucketName=MyLogs: AccessLogBucket S3AccessLogs-us-east-1/LogBucket: bucketName 'MyLogs' is not a valid S3 bucket name",
    ],
    [
      { existingBucketName: 'Corp_Logs' },
      'Context existingBucketName=Corp_Logs: AccessLogBucket S3AccessLogs-us-east-1/LogBucket: existingBucketName ',
    ],
    [{ existingBucketName: 'corp-logs', bucketName: 'x-logs' }, 'Context existingBucketName=corp-logs: '],
    [{ deliveryMode: 'email' }, 'Context deliveryMode must be one of BucketPolicy, Acl (got "email")'],
    [{ versioned: 'yes' }, 'Context versioned must be true or false (got "yes")'],
    [
      { concurrency: '0' },
      'Context concurrency=0: BucketLogging S3AccessLogs-us-east-1/BucketLogging: concurrency must be a whole number from 1 to 256',
    ],
    [{ concurrency: '1000' }, 'Context concurrency=1000: '],
    [
      { prefixTemplate: 'logs/' },
      "Context prefixTemplate=logs/: BucketLogging S3AccessLogs-us-east-1/BucketLogging: prefixTemplate 'logs/' must contain {bucket}",
    ],
    [{ prefixTemplate: '/{bucket}' }, 'Context prefixTemplate=/{bucket}: '],
    [{ keyFormat: 'simple', prefixTemplate: '{bucket}' }, 'Context prefixTemplate={bucket}: '],
    [{ include: 'a b' }, 'Context include="a b": '],
    [{ excludeTagKey: 'aws:x' }, 'Context excludeTagKey=aws:x: '],
    [{ sweepSchedule: 'rate(2 day)' }, "Context sweepSchedule 'rate(2 day)' must use the plural unit"],
    [{ bytesScannedCutoffPerQuery: '5MiB' }, 'Context bytesScannedCutoffPerQuery=5MiB: '],
    [
      { bytesScannedCutoffPerQuery: '10 GB' },
      'Context bytesScannedCutoffPerQuery must be a whole number with',
    ],
    [{ databaseName: 'My-DB' }, 'Context databaseName=My-DB: '],
    [{ tableName: 'Bad Table' }, 'Context tableName="Bad Table": '],
    [{ workGroupName: 'bad wg!' }, 'Context workGroupName="bad wg!": '],
    [{ projectionStart: 'yesterday' }, 'Context projectionStart=yesterday: '],
    [{ queryResultsRetention: '0' }, 'Context queryResultsRetention=0: '],
    [{ accessLogTableEnabled: 'maybe' }, 'Context accessLogTableEnabled must be true or false (got "maybe")'],
  ])('%j fails with a line that names the key and the value', (settings, start) => {
    const message = failure(settings);
    expect(message?.line.slice(0, start.length)).toBe(start);
    expect(message?.line).not.toContain('\n');
    expect(message?.hint).toBeDefined();
  });

  it('tells a user who asks for the compaction on the simple layout the context that leaves it out', () => {
    const message = failure({ keyFormat: 'simple', logCompactionEnabled: 'true' });
    expect(message?.line).toMatch(
      /^Context keyFormat=simple: LogCompaction S3AccessLogs-us-east-1\/LogCompaction: keyFormat 'simple' has no day folders/,
    );
    expect(message?.line).toContain(
      "use keyFormat 'partitioned', or leave LogCompaction out (-c logCompactionEnabled=false).",
    );
  });

  it('builds the stacks when every setting is good', () => {
    expect(
      failure({ retention: '365', concurrency: '8', bytesScannedCutoffPerQuery: '50GiB' }),
    ).toBeUndefined();
  });
});
