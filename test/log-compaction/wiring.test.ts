import { Template } from 'aws-cdk-lib/assertions';
import { AccessLogsStack, type AccessLogsStackProps } from '../../lib/access-logs-stack';
import { CONTEXT_KEYS, readAppConfig } from '../../lib/app-config';
import { KeyFormat } from '../../lib/conventions';
import { testApp } from '../util/app';

function stack(props: AccessLogsStackProps = {}) {
  return new AccessLogsStack(testApp(), 'S3AccessLogs-us-east-1', {
    env: { account: '111122223333', region: 'us-east-1' },
    ...props,
  });
}

function config(context: Record<string, unknown>) {
  const all: Record<string, unknown> = { regions: 'us-east-1', ...context };
  return readAppConfig((key) => all[key]);
}

describe('LogCompaction in AccessLogsStack', () => {
  it('is on by default, in the raw table’s database, reading back as far as the log bucket keeps logs', () => {
    const s = stack();
    expect(s.logCompaction?.databaseName).toBe('s3_access_logs');
    expect(s.logCompaction?.tableName).toBe('access_logs_daily');
    const tables = Template.fromStack(s).findResources('AWS::Glue::Table');
    const daily = Object.values(tables).find((t) => t.Properties.TableInput.Name === 'access_logs_daily');
    expect(daily?.Properties.TableInput.Parameters['projection.day.range']).toBe('NOW-90DAYS,NOW');
    expect(daily?.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^AccessLogTable/)]));
  });

  it('is off with compaction false, with Athena off, and by default on the simple key layout', () => {
    expect(stack({ logCompactionEnabled: false }).logCompaction).toBeUndefined();
    expect(stack({ accessLogTableEnabled: false }).logCompaction).toBeUndefined();
    expect(stack({ bucketLogging: { keyFormat: KeyFormat.SIMPLE } }).logCompaction).toBeUndefined();
  });

  it('refuses compaction on the simple key layout when asked for, naming the fix', () => {
    expect(() =>
      stack({ logCompactionEnabled: true, bucketLogging: { keyFormat: KeyFormat.SIMPLE } }),
    ).toThrow(/keyFormat 'simple' has no day folders.*an AccessLogsStack's logCompactionEnabled: false/);
  });

  it('uses bucket logging’s prefix template to find the source buckets', () => {
    const s = stack({ bucketLogging: { prefixTemplate: 'logs/{bucket}/' } });
    const fn = Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function')).find((f) =>
      JSON.stringify(f.Properties.Environment ?? {}).includes('COMPACTION_CONFIG'),
    );
    expect(JSON.stringify(fn?.Properties.Environment)).toContain('\\"listPrefix\\":\\"logs/\\"');
  });
});

describe('app config: compaction context keys', () => {
  it('leaves compaction to the stack’s default and reads compaction=false', () => {
    expect(config({}).logCompactionEnabled).toBeUndefined();
    expect(config({ logCompactionEnabled: 'false' }).logCompactionEnabled).toBe(false);
  });

  it('reads the schedule, late days, chunk size, concurrency and scan cap', () => {
    const options = config({
      compactionSchedule: 'cron(0 9 * * ? *)',
      compactionLateDays: '5',
      compactionChunkSize: '250',
      compactionConcurrency: 8,
      compactionBytesScannedCutoffPerQuery: '200GiB',
    }).logCompaction;
    expect(options.schedule?.expressionString).toBe('cron(0 9 * * ? *)');
    expect([options.lateDays, options.chunkSize, options.maxConcurrency]).toEqual([5, 250, 8]);
    expect(options.bytesScannedCutoffPerQuery?.toBytes()).toBe(200 * 1024 ** 3);
    for (const key of [
      'logCompactionEnabled',
      'compactionSchedule',
      'compactionLateDays',
      'compactionChunkSize',
      'compactionConcurrency',
      'compactionBytesScannedCutoffPerQuery',
    ]) {
      expect(CONTEXT_KEYS).toHaveProperty(key);
    }
  });

  it.each([
    [{ logCompactionEnabled: 'yes' }, /Context logCompactionEnabled must be true or false/],
    [
      { compactionSchedule: 'daily' },
      /Context compactionSchedule 'daily' must be rate\(...\) or cron\(...\)/,
    ],
    [{ compactionLateDays: 'two' }, /Context compactionLateDays must be a whole number/],
  ])('rejects %j naming the key', (context, message) => {
    expect(() => config(context)).toThrow(message);
  });
});
