import { GetTableCommand, UpdateTableCommand, type UpdateTableCommandInput } from '@aws-sdk/client-glue';
import {
  GetBucketTaggingCommand,
  ListBucketsCommand,
  type LoggingEnabled,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CdkCustomResourceIsCompleteEvent } from 'aws-lambda';
import {
  checkTheHour,
  consoleLogger,
  DEADLINE_MARGIN_MS,
  DEPLOY_BUDGET_MS,
  handler,
  isComplete,
  onEvent,
  onEventBridge,
} from '../../../lib/bucket-logging/handler';
import { WRITE_SETTLE_MS } from '../../../lib/bucket-logging/handler/buckets';
import { classifyEvent } from '../../../lib/bucket-logging/handler/events';
import { FENCE_WINDOW_MS } from '../../../lib/bucket-logging/handler/fence';
import { newProgress } from '../../../lib/bucket-logging/handler/progress';
import type { Deps } from '../../../lib/bucket-logging/handler/run';
import { COUNT_NAMES } from '../../../lib/bucket-logging/types';
import { DEFAULT_EXCLUDE_TAG_KEY, NO_BUCKETS_PLACEHOLDER, REPORTS_PREFIX } from '../../../lib/conventions';
import { type FakeS3, type FakeTable, s3Error } from './fakes';
import {
  FULL_TIME,
  type GlueMock,
  type HandlerWorld,
  handlerConfig,
  handlerWorld,
  isCompleteEvent,
  type LogLines,
  REGION,
  START,
  TARGET,
  untilComplete,
  wanted,
} from './world';

const elsewhere: LoggingEnabled = { TargetBucket: 'security-account-logs', TargetPrefix: 'app/' };
const baseConfig = handlerConfig;

let world: HandlerWorld;
let calls: string[];
let s3: FakeS3;
let table: FakeTable;
let glue: GlueMock;
let logs: LogLines;
let clock: number;
let deps: Deps;

beforeEach(() => {
  clock = START;
  world = handlerWorld({ now: () => clock });
  ({ calls, s3, table, glue, logs, deps } = world);
});

afterEach(() => world.restore());

const event = isCompleteEvent;

async function deploy(requestType: 'Create' | 'Update' | 'Delete', config = baseConfig()) {
  return isComplete(event(requestType, config), FULL_TIME, () => deps);
}

/**
 * Delete as the Provider framework runs it: isComplete again and again (the clock moving on) until complete.
 * A bucket changed just before the delete waits until any change in flight has landed (WRITE_SETTLE_MS).
 */
const deleteStack = (config = baseConfig(), requestId = 'Delete') =>
  untilComplete(
    event('Delete', config, requestId),
    () => deps,
    () => {
      clock += 10_000;
    },
  );

const sweep = (config = baseConfig()) =>
  onEventBridge({ 'detail-type': 'Scheduled Event' } as never, config, FULL_TIME, deps);

const created = (bucket: string, config = baseConfig()) =>
  onEventBridge(
    {
      'detail-type': 'AWS API Call via CloudTrail',
      detail: { eventName: 'CreateBucket', requestParameters: { bucketName: bucket } },
    } as never,
    config,
    FULL_TIME,
    deps,
  );

const report = (trigger: string) => {
  const entries = [...s3.reports.entries()].filter(([key]) => key.includes(`-${trigger}-`));
  expect(entries).toHaveLength(1);
  return entries[0][1] as Record<string, unknown> & { counts: Record<string, number> };
};

describe('create and update', () => {
  it('configures every bucket of the Region, page after page of ListBuckets', async () => {
    s3.pageSize = 2;
    for (const name of ['a-1', 'a-2', 'a-3', 'a-4', 'a-5']) s3.add(name);

    const response = await deploy('Create');

    expect(response).toMatchObject({
      IsComplete: true,
      Data: { configured: '5', alreadyConfigured: '0', failed: '0', excluded: '1' },
    });
    for (const name of ['a-1', 'a-2', 'a-3', 'a-4', 'a-5'])
      expect(s3.buckets.get(name)!.logging).toEqual(wanted(name));
    expect(s3.count('ListBuckets')).toBe(3);
    expect(s3.mock.commandCalls(ListBucketsCommand)[0].args[0].input).toMatchObject({
      BucketRegion: REGION,
      MaxBuckets: 1000,
    });
  });

  it('leaves buckets of other Regions alone, even when S3 lists them', async () => {
    s3.add('here').add('there', { region: 'eu-west-1' });
    s3.ignoreRegionFilter = true;

    await deploy('Create');

    expect(s3.buckets.get('here')!.logging).toEqual(wanted('here'));
    expect(s3.buckets.get('there')!.logging).toBeUndefined();
    expect(calls.filter((c) => c.endsWith(' there'))).toEqual([]);
  });

  it('never configures the log bucket or a bucket tagged s3-access-logs:role', async () => {
    s3.add('athena-results', { tags: { 's3-access-logs:role': 'athena-results' } })
      .add('other-log-bucket', { tags: { 's3-access-logs:role': 'log-target' } })
      .add('app');

    const response = await deploy('Create');

    expect(response).toMatchObject({ Data: { configured: '1', excluded: '3' } });
    expect(s3.count('PutBucketLogging', 'other-log-bucket')).toBe(0);
    expect(s3.count('PutBucketLogging', TARGET)).toBe(0);
    expect(s3.count('PutBucketLogging', 'athena-results')).toBe(0);
    expect(report('create').excluded).toHaveLength(3);
    expect(report('create').excluded).toEqual(
      expect.arrayContaining([
        { bucket: 'athena-results', reason: 'role-tag' },
        { bucket: 'other-log-bucket', reason: 'role-tag' },
        { bucket: TARGET, reason: 'target-bucket' },
      ]),
    );
  });

  it('honours include, exclude and the opt-out tag, and never reads a bucket excluded by name', async () => {
    s3.add('app-orders')
      .add('app-tmp-1')
      .add('billing')
      .add('app-private', { tags: { [DEFAULT_EXCLUDE_TAG_KEY]: '' } });

    const response = await deploy('Create', baseConfig({ include: ['app-*'], exclude: ['app-tmp-*'] }));

    expect(response).toMatchObject({ Data: { configured: '1', excluded: '4' } });
    expect(s3.buckets.get('app-orders')!.logging).toEqual(wanted('app-orders'));
    for (const name of ['app-tmp-1', 'billing', 'app-private'])
      expect(s3.buckets.get(name)!.logging).toBeUndefined();
    expect(calls.filter((c) => c.endsWith(' billing') || c.endsWith(' app-tmp-1'))).toEqual([]);
  });

  it('writes nothing for a bucket already configured as wanted', async () => {
    s3.add('done', { logging: wanted('done') });

    const response = await deploy('Create');

    expect(response).toMatchObject({ Data: { configured: '0', alreadyConfigured: '1' } });
    expect(s3.count('PutBucketLogging')).toBe(0);
    expect(table.record('done')).toBeUndefined();
  });

  it('keeps logging that points elsewhere and reports it as kept', async () => {
    s3.add('audited', { logging: elsewhere });

    const response = await deploy('Create');

    expect(response).toMatchObject({ Data: { keptExisting: '1', configured: '0' } });
    expect(s3.buckets.get('audited')!.logging).toEqual(elsewhere);
    expect(report('create').keptExisting).toEqual([
      { bucket: 'audited', targetBucket: 'security-account-logs', targetPrefix: 'app/' },
    ]);
  });

  it('overwrites logging elsewhere with overwriteExisting, recording what it replaces', async () => {
    s3.add('audited', { logging: elsewhere });

    await deploy('Create', baseConfig({ overwriteExisting: true }));

    expect(s3.buckets.get('audited')!.logging).toEqual(wanted('audited'));
    expect(table.record('audited')).toMatchObject({
      previous: elsewhere,
      applied: wanted('audited'),
      version: 1,
    });
  });

  it('records the previous configuration durably before changing a bucket', async () => {
    s3.add('app');

    await deploy('Create');

    const recorded = calls.indexOf('PutItem bucket#app');
    expect(recorded).toBeGreaterThanOrEqual(0);
    expect(recorded).toBeLessThan(calls.indexOf('PutBucketLogging app'));
    expect(table.record('app')).toMatchObject({ previous: null, applied: wanted('app') });
  });

  it('does not change a bucket whose previous configuration could not be recorded', async () => {
    s3.add('app').add('other');
    table.failWrites('bucket#app', Object.assign(new Error('throughput'), { name: 'AccessDeniedException' }));

    const response = await deploy('Create');

    expect(response).toMatchObject({ Data: { configured: '1', failed: '1' } });
    expect(s3.count('PutBucketLogging', 'app')).toBe(0);
    expect(report('create').failures).toEqual([
      { bucket: 'app', operation: 'RecordState', code: 'AccessDeniedException', message: 'throughput' },
    ]);
  });

  /** A record of bucket `moved`, as an earlier deploy into the log bucket `applied` names would have left it. */
  const recordMoved = (previous: LoggingEnabled | null, applied: LoggingEnabled) =>
    table.items.set('bucket#moved', {
      pk: 'bucket#moved',
      record: {
        bucket: 'moved',
        previous,
        applied,
        version: 1,
        recordedAt: 'x',
        updatedAt: 'x',
        source: 'create',
      },
    });

  it('re-points a bucket it had pointed at an earlier log bucket, keeping the first record', async () => {
    const before: LoggingEnabled = { TargetBucket: 'old-logs', TargetPrefix: 'moved/' };
    s3.add('moved', { logging: before });
    recordMoved(null, before);

    const response = await deploy('Update');

    expect(response).toMatchObject({ Data: { configured: '1', keptExisting: '0' } });
    expect(s3.buckets.get('moved')!.logging).toEqual(wanted('moved'));
    expect(table.record('moved')).toMatchObject({ previous: null, applied: wanted('moved'), version: 2 });
  });

  it('still re-points a bucket from an earlier log bucket after a first attempt failed', async () => {
    // The new log bucket did not accept logs yet (its policy was being fixed): every re-point failed.
    const before: LoggingEnabled = { TargetBucket: 'old-logs', TargetPrefix: 'moved/' };
    s3.add('moved', { logging: before });
    recordMoved(elsewhere, before);
    s3.failNext('PutBucketLogging', 'moved', s3Error('InvalidTargetBucketForLogging', 400));
    expect(await isComplete(event('Update', baseConfig(), 'first'), FULL_TIME, () => deps)).toMatchObject({
      Data: { failed: '1' },
    });
    expect(s3.buckets.get('moved')!.logging).toEqual(before);

    const response = await isComplete(event('Update', baseConfig(), 'second'), FULL_TIME, () => deps);

    expect(response).toMatchObject({ Data: { configured: '1', keptExisting: '0' } });
    expect(s3.buckets.get('moved')!.logging).toEqual(wanted('moved'));
    expect(table.record('moved')).toMatchObject({ previous: elsewhere, applied: wanted('moved') });
  });

  it('retries a throttled bucket in the final pass and configures it', async () => {
    s3.add('busy').add('calm');
    s3.failNext('PutBucketLogging', 'busy', s3Error('SlowDown', 503));

    const response = await deploy('Create');

    expect(response).toMatchObject({ Data: { configured: '2', failed: '0' } });
    expect(s3.count('PutBucketLogging', 'busy')).toBe(2);
    expect(s3.buckets.get('busy')!.logging).toEqual(wanted('busy'));
  });

  it('records a bucket still throttled after the final pass as failed, with its code', async () => {
    s3.add('busy');
    s3.failNext('GetBucketLogging', 'busy', s3Error('SlowDown', 503), s3Error('SlowDown', 503));

    const response = await deploy('Create');

    expect(response).toMatchObject({ Data: { failed: '1' } });
    expect(report('create').failures).toEqual([
      expect.objectContaining({ bucket: 'busy', code: 'SlowDown' }),
    ]);
  });

  it('records AccessDenied with the bucket name and error code, and carries on with the others', async () => {
    s3.add('locked').add('open');
    s3.failNext('GetBucketLogging', 'locked', s3Error('AccessDenied', 403));

    const response = await deploy('Create');

    expect(response).toMatchObject({ Data: { configured: '1', failed: '1' } });
    expect(s3.buckets.get('open')!.logging).toEqual(wanted('open'));
    expect(report('create').failures).toEqual([
      {
        bucket: 'locked',
        operation: 'GetBucketLogging',
        code: 'AccessDenied',
        message: 'AccessDenied (test)',
      },
    ]);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'error', outcome: 'failed', bucket: 'locked', code: 'AccessDenied' }),
    );
  });

  it('records a bucket deleted during the run as NoSuchBucket, which does not fail the deployment', async () => {
    s3.add('gone').add('app');
    s3.failNext('GetBucketTagging', 'gone', s3Error('NoSuchBucket', 404));

    const response = await deploy('Create', baseConfig({ failOnErrors: true }));

    expect(response).toMatchObject({ IsComplete: true, Data: { failed: '1', configured: '1' } });
    expect(report('create').failures).toEqual([
      expect.objectContaining({ bucket: 'gone', code: 'NoSuchBucket' }),
    ]);
  });

  it("fails the deployment with failOnErrors, quoting S3's reason for the first failure", async () => {
    s3.add('locked');
    s3.failNext(
      'PutBucketLogging',
      'locked',
      Object.assign(s3Error('InvalidTargetBucketForLogging', 400), {
        message: 'The owner for the bucket to be logged and the target bucket must be the same.',
      }),
    );

    await expect(deploy('Create', baseConfig({ failOnErrors: true }))).rejects.toThrow(
      /locked \(PutBucketLogging: InvalidTargetBucketForLogging\).*The owner for the bucket to be logged and the target bucket must be the same\./,
    );
  });

  it('never configures a bucket whose tags it cannot read, and records why', async () => {
    s3.add('private').add('open');
    s3.failNext('GetBucketTagging', 'private', s3Error('AccessDenied', 403));

    const response = await deploy('Create');

    expect(response).toMatchObject({ Data: { configured: '1', failed: '1' } });
    expect(s3.count('PutBucketLogging', 'private')).toBe(0);
    expect(table.record('private')).toBeUndefined();
    expect(report('create').failures).toEqual([
      expect.objectContaining({ bucket: 'private', operation: 'GetBucketTagging', code: 'AccessDenied' }),
    ]);
  });

  it('fails the deployment with failOnErrors, naming the bucket and the code', async () => {
    s3.add('locked');
    s3.failNext('PutBucketLogging', 'locked', s3Error('InvalidTargetBucketForLogging', 400));

    await expect(deploy('Create', baseConfig({ failOnErrors: true }))).rejects.toThrow(
      /1 bucket\(s\) could not be configured, e.g. locked \(PutBucketLogging: InvalidTargetBucketForLogging\)/,
    );
  });

  it('fails with failOnErrors naming five failures, quoting 300 characters of the first, and the report', async () => {
    const reason = `${'x'.repeat(300)}${'y'.repeat(100)}`;
    for (let i = 1; i <= 7; i++) {
      s3.add(`locked-${i}`);
      s3.failNext(
        'PutBucketLogging',
        `locked-${i}`,
        Object.assign(s3Error('AccessDenied', 403), { message: reason }),
      );
    }

    const failure = await deploy('Create', baseConfig({ failOnErrors: true })).catch((err: Error) => err);

    const [key] = [...s3.reports.keys()];
    expect(String(failure)).toMatch(
      new RegExp(
        '^Error: bucket logging create failed: 7 bucket\\(s\\) could not be configured, e\\.g\\. ' +
          'locked-\\d \\(PutBucketLogging: AccessDenied\\)(, locked-\\d \\(PutBucketLogging: AccessDenied\\)){4}; ' +
          `first error: x{300}; report: ${key}$`,
      ),
    );
  });

  it('says so with failOnErrors when the report could not be written', async () => {
    s3.add('locked').failNext('PutBucketLogging', 'locked', s3Error('AccessDenied', 403));
    s3.mock.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));

    await expect(deploy('Create', baseConfig({ failOnErrors: true }))).rejects.toThrow(
      /first error: AccessDenied \(test\); report: not written$/,
    );
  });

  it('completes with failOnErrors when every bucket was configured', async () => {
    s3.add('app');

    await expect(deploy('Create', baseConfig({ failOnErrors: true }))).resolves.toMatchObject({
      IsComplete: true,
      Data: { configured: '1', failed: '0' },
    });
  });

  it('writes one JSON report of the run under the reserved reports prefix', async () => {
    s3.add('app');

    const response = await deploy('Create');

    const key = String((response as { Data?: Record<string, string> }).Data?.reportKey);
    expect(key).toBe(`${REPORTS_PREFIX}2026/11/25/20261125T100000Z-create-00000001.json`);
    expect(s3.reports.get(key)).toMatchObject({
      trigger: 'create',
      region: REGION,
      targetBucket: TARGET,
      invocations: 1,
      counts: { configured: 1, excluded: 1, failed: 0 },
    });
  });

  it('resumes after a deadline that runs out mid-list, configuring each bucket exactly once', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `bucket-${String(i).padStart(3, '0')}`);
    for (const name of names) s3.add(name);
    s3.pageSize = 50;
    // Every S3 call takes a second; each invocation has 100 seconds before its deadline (2 minutes are kept back).
    deps = { ...deps, now: () => START + calls.length * 1000 };
    const shortInvocation = { getRemainingTimeInMillis: () => 120_000 + 100_000 };

    const responses = [];
    for (let i = 0; i < 20; i++) {
      const response = await isComplete(event('Create', baseConfig()), shortInvocation, () => deps);
      responses.push(response);
      if (response.IsComplete) break;
      expect(table.items.get('run#create#Create')).toMatchObject({ leaseUntil: 0 });
    }

    expect(responses.length).toBeGreaterThan(2);
    expect(responses.slice(0, -1).every((r) => r.IsComplete === false)).toBe(true);
    expect(responses.at(-1)).toMatchObject({ IsComplete: true, Data: { configured: '120', failed: '0' } });
    for (const name of names) {
      expect(s3.count('PutBucketLogging', name)).toBe(1);
      expect(s3.buckets.get(name)!.logging).toEqual(wanted(name));
    }
    expect(report('create').invocations).toBe(responses.length);
    expect(table.items.has('run#create#Create')).toBe(false);
  });
});

describe("the Athena table's bucket list", () => {
  const glueTable = { databaseName: 'logs_db', tableName: 'access_logs' };
  const storage = { Location: `s3://${TARGET}/`, Columns: [{ Name: 'bucket_owner', Type: 'string' }] };

  function tableWith(values: string) {
    glue.on(GetTableCommand).resolves({
      Table: {
        Name: 'access_logs',
        DatabaseName: 'logs_db',
        TableType: 'EXTERNAL_TABLE',
        StorageDescriptor: storage,
        PartitionKeys: [{ Name: 'bucket', Type: 'string' }],
        Parameters: { 'projection.enabled': 'true', 'projection.bucket.values': values },
        VersionId: '7',
        CreateTime: new Date(),
      },
    });
  }

  const update = (): UpdateTableCommandInput => {
    const updates = glue.commandCalls(UpdateTableCommand);
    expect(updates).toHaveLength(1);
    return updates[0].args[0].input;
  };

  it('becomes the buckets that log into the log bucket after a run, every other field kept', async () => {
    tableWith(NO_BUCKETS_PLACEHOLDER);
    s3.add('b-app')
      .add('a-app')
      .add('done', { logging: wanted('done') })
      .add('kept', { logging: elsewhere });

    await deploy('Create', baseConfig({ glueTable }));

    expect(update()).toEqual({
      DatabaseName: 'logs_db',
      SkipArchive: true,
      VersionId: '7',
      TableInput: {
        Name: 'access_logs',
        TableType: 'EXTERNAL_TABLE',
        StorageDescriptor: storage,
        PartitionKeys: [{ Name: 'bucket', Type: 'string' }],
        Parameters: { 'projection.enabled': 'true', 'projection.bucket.values': 'a-app,b-app,done' },
      },
    });
  });

  it('drops buckets that no longer exist after a complete run', async () => {
    tableWith('deleted-long-ago,app');
    s3.add('app', { logging: wanted('app') });

    await deploy('Update', baseConfig({ glueTable }));

    expect(update().TableInput?.Parameters?.['projection.bucket.values']).toBe('app');
  });

  it('is put back by an update that only the table revision caused, with its extra property ignored', async () => {
    // The table was redefined by the same deploy: its bucket list is the placeholder again.
    tableWith(NO_BUCKETS_PLACEHOLDER);
    s3.add('app', { logging: wanted('app') });
    const updated = event('Update', baseConfig({ glueTable }));
    const withRevision = {
      ...updated,
      ResourceProperties: { ...updated.ResourceProperties, TableRevision: '0123456789abcdef' },
      OldResourceProperties: { ...updated.ResourceProperties, TableRevision: 'fedcba9876543210' },
    } as CdkCustomResourceIsCompleteEvent;

    const response = await isComplete(withRevision, FULL_TIME, () => deps);

    expect(response).toMatchObject({ IsComplete: true, Data: { alreadyConfigured: '1' } });
    expect(s3.count('PutBucketLogging')).toBe(0);
    expect(update().TableInput?.Parameters?.['projection.bucket.values']).toBe('app');
  });

  it('is not written when it is already right', async () => {
    tableWith('app');
    s3.add('app', { logging: wanted('app') });

    await deploy('Update', baseConfig({ glueTable }));

    expect(glue.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it('gains a new bucket from its CreateBucket event', async () => {
    tableWith('app');
    s3.add('app', { logging: wanted('app') }).add('new-one');

    await created('new-one', baseConfig({ glueTable }));

    expect(update().TableInput?.Parameters?.['projection.bucket.values']).toBe('app,new-one');
  });

  it('is reported, not fatal, when the table cannot be updated', async () => {
    glue
      .on(GetTableCommand)
      .rejects(Object.assign(new Error('no table'), { name: 'EntityNotFoundException' }));
    s3.add('app');

    const response = await deploy('Create', baseConfig({ glueTable }));

    expect(response).toMatchObject({ IsComplete: true, Data: { configured: '1' } });
    expect(report('create').table).toEqual({
      status: 'failed',
      code: 'EntityNotFoundException',
      message: 'no table',
    });
  });
});

describe('delete', () => {
  it('gives every bucket that still logs into the log bucket the configuration it had before', async () => {
    s3.add('was-off').add('was-elsewhere', { logging: elsewhere });
    await deploy('Create', baseConfig({ overwriteExisting: true }));

    const response = await deleteStack(baseConfig({ overwriteExisting: true }));

    expect(response).toMatchObject({ IsComplete: true, Data: { restored: '2', leftAlone: '0' } });
    expect(s3.buckets.get('was-off')!.logging).toBeUndefined();
    expect(s3.buckets.get('was-elsewhere')!.logging).toEqual(elsewhere);
    expect(table.record('was-off')).toBeUndefined();
    expect(table.record('was-elsewhere')).toBeUndefined();
  });

  it('leaves alone a bucket that someone reconfigured since', async () => {
    s3.add('app').add('taken-over');
    await deploy('Create');
    const theirs: LoggingEnabled = { TargetBucket: 'their-logs', TargetPrefix: 'x/' };
    s3.buckets.get('taken-over')!.logging = theirs;

    const response = await deleteStack();

    expect(response).toMatchObject({ Data: { restored: '1', leftAlone: '1' } });
    expect(s3.buckets.get('taken-over')!.logging).toEqual(theirs);
    expect(s3.count('PutBucketLogging', 'taken-over')).toBe(1);
    expect(s3.buckets.get('app')!.logging).toBeUndefined();
  });

  it('gives back the logging someone set after us, when overwriteExisting replaced it again', async () => {
    s3.add('app');
    await deploy('Create');
    // The security team points the bucket at their pipeline; a later update turns overwriteExisting on.
    s3.buckets.get('app')!.logging = elsewhere;
    await deploy('Update', baseConfig({ overwriteExisting: true }));
    expect(s3.buckets.get('app')!.logging).toEqual(wanted('app'));

    await deleteStack(baseConfig({ overwriteExisting: true }));

    expect(s3.buckets.get('app')!.logging).toEqual(elsewhere);
  });

  it('still gives back the configuration from before us after an update changed the prefix', async () => {
    const withGrants: LoggingEnabled = {
      ...elsewhere,
      TargetGrants: [
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
          Permission: 'READ',
        },
      ],
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'DeliveryTime' } },
    };
    s3.add('app', { logging: withGrants });
    const config = baseConfig({ overwriteExisting: true });
    await deploy('Create', config);
    await deploy('Update', { ...config, prefixTemplate: 'logs/{bucket}/' });
    expect(s3.buckets.get('app')!.logging).toEqual({ ...wanted('app'), TargetPrefix: 'logs/app/' });
    expect(table.record('app')).toMatchObject({ previous: withGrants, version: 2 });

    await deleteStack({ ...config, prefixTemplate: 'logs/{bucket}/' });

    expect(s3.buckets.get('app')!.logging).toEqual(withGrants);
  });

  it('retries a throttled restore in the final pass', async () => {
    s3.add('app', { logging: elsewhere });
    await deploy('Create', baseConfig({ overwriteExisting: true }));
    s3.failNext('PutBucketLogging', 'app', s3Error('SlowDown', 503));

    const response = await deleteStack(baseConfig({ overwriteExisting: true }));

    expect(response).toMatchObject({ IsComplete: true, Data: { restored: '1', failed: '0' } });
    expect(s3.buckets.get('app')!.logging).toEqual(elsewhere);
    expect(table.record('app')).toBeUndefined();
  });

  it('leaves alone a bucket deleted since, and forgets it', async () => {
    s3.add('short-lived');
    await deploy('Create');
    s3.buckets.delete('short-lived');

    const response = await deleteStack();

    expect(response).toMatchObject({ Data: { restored: '0', leftAlone: '1', failed: '0' } });
    expect(table.record('short-lived')).toBeUndefined();
  });

  it('writes the restore report as the delete it is', async () => {
    s3.add('was-off');
    await deploy('Create');

    const response = await deleteStack();

    const key = String((response as { Data?: Record<string, string> }).Data?.reportKey);
    expect(key).toMatch(new RegExp(`^${REPORTS_PREFIX}2026/11/25/\\d{8}T\\d{6}Z-delete-\\d{8}\\.json$`));
    expect(s3.reports.get(key)).toMatchObject({ trigger: 'delete', counts: { restored: 1 } });
    expect(logs).toContainEqual(expect.objectContaining({ event: 'run-finished', trigger: 'delete' }));
  });

  it('says until when it waits for record writes that passed the fence', async () => {
    await deploy('Create');

    expect(await deploy('Delete')).toEqual({ IsComplete: false });

    expect(logs).toContainEqual({
      level: 'info',
      event: 'delete-waits',
      reason: 'record writes that passed the fence',
      until: new Date(START + FENCE_WINDOW_MS).toISOString(),
    });
  });

  it('waits for a sweep that is still changing a bucket, and then restores that bucket', async () => {
    s3.add('app');
    await deploy('Create');
    s3.add('late');
    const held = s3.hold('late');
    const running = sweep();
    await held.reached;

    expect(await deploy('Delete')).toEqual({ IsComplete: false });
    clock = START + FENCE_WINDOW_MS;
    expect(await deploy('Delete')).toEqual({ IsComplete: false });
    expect(table.mock.commandCalls(ScanCommand)).toHaveLength(0);

    held.release();
    await running;
    clock += 60_000;
    expect(await deleteStack()).toMatchObject({ IsComplete: true });
    expect(s3.buckets.get('late')!.logging).toBeUndefined();
    expect(s3.buckets.get('app')!.logging).toBeUndefined();
  });

  it('changes nothing with restoreOnDelete off', async () => {
    s3.add('app');
    await deploy('Create', baseConfig({ restoreOnDelete: false }));

    const response = await deleteStack(baseConfig({ restoreOnDelete: false }));

    expect(response).toEqual({
      IsComplete: true,
      Data: { ...Object.fromEntries(COUNT_NAMES.map((name) => [name, '0'])), reportKey: '' },
    });
    expect(s3.buckets.get('app')!.logging).toEqual(wanted('app'));
  });

  it('waits for a running sweep before restoring, and stops later sweeps', async () => {
    s3.add('app');
    await deploy('Create');
    table.items.set('run#sweep', {
      pk: 'run#sweep',
      lease: 'other',
      leaseUntil: START + FENCE_WINDOW_MS + 60_000,
      progress: null,
    });

    expect(await deploy('Delete')).toEqual({ IsComplete: false });
    // Past the delete's own wait for record writes: the sweep's lease still holds it.
    clock = START + FENCE_WINDOW_MS;
    expect(await deploy('Delete')).toEqual({ IsComplete: false });
    expect(s3.buckets.get('app')!.logging).toEqual(wanted('app'));
    expect(table.mock.commandCalls(ScanCommand)).toHaveLength(0);

    clock = START + FENCE_WINDOW_MS + 120_000;
    s3.buckets.get('app')!.logging = undefined;
    await sweep();
    expect(s3.buckets.get('app')!.logging).toBeUndefined();
    expect(await deleteStack()).toMatchObject({ IsComplete: true });
  });
});

describe('the scheduled sweep', () => {
  it('turns logging back on where it was turned off, but not on opted-out buckets', async () => {
    s3.add('app').add('opted-out', { tags: { [DEFAULT_EXCLUDE_TAG_KEY]: 'yes' } });
    await deploy('Create');
    s3.buckets.get('app')!.logging = undefined;

    await sweep();

    expect(s3.buckets.get('app')!.logging).toEqual(wanted('app'));
    expect(s3.buckets.get('opted-out')!.logging).toBeUndefined();
    expect(report('sweep').counts).toMatchObject({ configured: 1, excluded: 2 });
  });

  it('saves an unfinished sweep, and the next scheduled sweep resumes it rather than starting over', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `bucket-${String(i).padStart(2, '0')}`);
    for (const name of names) s3.add(name);
    deps = { ...deps, now: () => START + calls.length * 1000 };
    const shortInvocation = { getRemainingTimeInMillis: () => 120_000 + 40_000 };
    const sweepOnce = () =>
      onEventBridge({ 'detail-type': 'Scheduled Event' } as never, baseConfig(), shortInvocation, deps);

    await sweepOnce();
    expect(table.items.get('run#sweep')).toMatchObject({ leaseUntil: 0, progress: { invocations: 1 } });
    for (let i = 0; i < 10 && table.items.has('run#sweep'); i++) await sweepOnce();

    expect(table.items.has('run#sweep')).toBe(false);
    for (const name of names) expect(s3.count('PutBucketLogging', name)).toBe(1);
    expect(report('sweep').invocations).toBeGreaterThan(1);
    expect(report('sweep').counts).toMatchObject({ configured: 40 });
  });

  it('stops before listing any bucket once the resource was deleted', async () => {
    s3.add('app');
    await deploy('Create');
    await deleteStack();
    const listed = s3.count('ListBuckets');

    await sweep();

    expect(s3.count('ListBuckets')).toBe(listed);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'run-stopped', runKey: 'sweep' }));
  });

  it('does not start while another sweep holds the lease', async () => {
    s3.add('app');
    table.items.set('run#sweep', {
      pk: 'run#sweep',
      lease: 'other',
      leaseUntil: START + 60_000,
      progress: null,
    });

    await sweep();

    expect(s3.count('ListBuckets')).toBe(0);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'run-busy', runKey: 'sweep' }));
  });
});

describe('CreateBucket events', () => {
  it('configures the new bucket and only it', async () => {
    s3.add('old').add('new-bucket');

    await created('new-bucket');

    expect(s3.buckets.get('new-bucket')!.logging).toEqual(wanted('new-bucket'));
    expect(s3.buckets.get('old')!.logging).toBeUndefined();
    expect(s3.mock.commandCalls(ListBucketsCommand)[0].args[0].input).toMatchObject({
      Prefix: 'new-bucket',
      BucketRegion: REGION,
    });
    expect(report('bucket-created').counts).toMatchObject({ configured: 1 });
  });

  it('leaves a new opted-out bucket alone', async () => {
    s3.add('new-bucket', { tags: { [DEFAULT_EXCLUDE_TAG_KEY]: 'true' } });

    await created('new-bucket');

    expect(s3.count('PutBucketLogging')).toBe(0);
  });

  it('ignores a bucket created in another Region', async () => {
    s3.add('far-away', { region: 'ap-southeast-2' });

    await created('far-away');

    expect(s3.count('GetBucketLogging')).toBe(0);
    expect(logs).toContainEqual(
      expect.objectContaining({ event: 'bucket-not-in-region', bucket: 'far-away' }),
    );
  });

  it('retries a throttled new bucket once', async () => {
    s3.add('new-bucket').failNext('PutBucketLogging', 'new-bucket', s3Error('SlowDown', 503));

    await created('new-bucket');

    expect(s3.buckets.get('new-bucket')!.logging).toEqual(wanted('new-bucket'));
  });
});

describe('transient and permanent failures of a deploy', () => {
  it('answers "not complete" on a throttled ListBuckets, and the next call resumes and finishes', async () => {
    s3.add('app').failNext('ListBuckets', '', s3Error('SlowDown', 503));

    expect(await deploy('Create')).toEqual({ IsComplete: false });
    const response = await deploy('Create');

    expect(response).toMatchObject({ IsComplete: true, Data: { configured: '1' } });
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        event: 'run-paused',
        operation: 'ListBuckets',
        code: 'SlowDown',
      }),
    );
  });

  it('answers "not complete" when the state table throttles, and resumes', async () => {
    s3.add('app');
    table.failWrites(
      'run#create#Create',
      Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }),
    );

    expect(await deploy('Create')).toEqual({ IsComplete: false });
    expect(await deploy('Create')).toMatchObject({ IsComplete: true, Data: { configured: '1' } });
  });

  it('logs why it will try again: the trigger, and the operation and AWS code when it knows them', async () => {
    const throttled = () =>
      Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    s3.add('app');
    // The run's last step, removing its lease, is bookkeeping: its failure is not labelled with an operation.
    table.mock.on(DeleteCommand).rejects(throttled());
    expect(await deploy('Create')).toEqual({ IsComplete: false });
    table.failWrites('settings', throttled());
    expect(await deploy('Delete')).toEqual({ IsComplete: false });

    expect(logs.filter((entry) => entry.event === 'retry-later')).toEqual([
      {
        level: 'warn',
        event: 'retry-later',
        trigger: 'create',
        code: 'ProvisionedThroughputExceededException',
      },
      {
        level: 'warn',
        event: 'retry-later',
        trigger: 'delete',
        operation: 'DynamoDB PutItem (delete marker)',
        code: 'ProvisionedThroughputExceededException',
      },
    ]);
  });

  it.each<['Create' | 'Update' | 'Delete', () => void, string]>([
    [
      'Create',
      () => s3.failNext('ListBuckets', '', s3Error('AccessDenied', 403)),
      'bucket logging create failed: ListBuckets failed with AccessDenied: AccessDenied (test)',
    ],
    [
      'Update',
      () => s3.failNext('ListBuckets', '', s3Error('AccessDenied', 403)),
      'bucket logging update failed: ListBuckets failed with AccessDenied: AccessDenied (test)',
    ],
    [
      'Delete',
      () =>
        table.failWrites('settings', Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
      'bucket logging delete failed: DynamoDB PutItem (delete marker) failed with AccessDeniedException: denied',
    ],
  ])('names the request that failed for good: %s', async (requestType, fail, message) => {
    s3.add('app');
    fail();

    await expect(deploy(requestType)).rejects.toThrow(message);
  });

  it("names the sweep's lease when the delete cannot read it", async () => {
    await deploy('Create');
    table.mock
      .on(GetCommand, { Key: { pk: 'run#sweep' } })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    expect(await deploy('Delete')).toEqual({ IsComplete: false });
    clock = START + FENCE_WINDOW_MS;

    await expect(deploy('Delete')).rejects.toThrow(
      'bucket logging delete failed: DynamoDB GetItem (sweep lease) failed with AccessDeniedException: denied',
    );
  });

  it('fails at once on a permanent error, naming the operation and the AWS error code', async () => {
    s3.add('app').failNext('ListBuckets', '', s3Error('AccessDenied', 403));

    await expect(deploy('Create')).rejects.toThrow(
      'bucket logging create failed: ListBuckets failed with AccessDenied: AccessDenied (test)',
    );
  });

  it('fails, naming the table and the version, on state written by a newer release', async () => {
    s3.add('app');
    table.items.set('run#create#Create', { pk: 'run#create#Create', schema: 7, lease: 'x', leaseUntil: 0 });

    await expect(deploy('Create')).rejects.toThrow(
      /state table state: item run#create#Create has schema version 7/,
    );
  });
});

describe("CloudFormation's hour", () => {
  /** An invocation with no time for any bucket: only the bookkeeping runs. */
  const noTime = { getRemainingTimeInMillis: () => DEADLINE_MARGIN_MS };

  it('fails a run that the next invocation could not finish in time, saying how much is left', async () => {
    for (let i = 0; i < 30; i++) s3.add(`app-${i}`);
    expect(await isComplete(event('Create', baseConfig()), noTime, () => deps)).toEqual({
      IsComplete: false,
    });
    clock = START + 30 * 60_000;
    expect(await isComplete(event('Create', baseConfig()), noTime, () => deps)).toEqual({
      IsComplete: false,
    });

    // Two minutes before the budget: the next invocation would end past it.
    clock = START + DEPLOY_BUDGET_MS - 60_000;
    await expect(isComplete(event('Create', baseConfig()), noTime, () => deps)).rejects.toThrow(
      /cannot finish within CloudFormation's hour: 0 bucket\(s\) done, 0 listed and not done yet, and more not listed yet\. Narrow `include`/,
    );
  });

  describe('checkTheHour', () => {
    const progress = (sourceDone: boolean) => {
      const p = newProgress('run-1', 'create', new Date(START).toISOString());
      p.counts.configured = 3;
      p.counts.excluded = 2;
      p.cursor = { pending: ['a', 'b'], retry: ['c'], sourceDone };
      return p;
    };
    const minutes = (n: number) => n * 60_000;

    it('counts the buckets done and the listed ones left, and says when every bucket was listed', () => {
      expect(() => checkTheHour(progress(true), START + minutes(58), minutes(5))).toThrow(
        "bucket logging cannot finish within CloudFormation's hour: 5 bucket(s) done, 3 listed and not done " +
          'yet. Narrow `include` (e.g. include: ["team-a-*"]) and widen it over several deployments, or deploy ' +
          'with failOnErrors off and let the daily sweep (which resumes where it stops) do the rest.',
      );
    });

    it("keeps five minutes of CloudFormation's hour for what came before the run's start", () => {
      // The hour began at the request, before onEvent and the Provider framework's first query interval.
      expect(() => checkTheHour(progress(false), START + minutes(50), minutes(5))).not.toThrow();
      expect(() => checkTheHour(progress(false), START + minutes(50), minutes(5) + 1)).toThrow(
        /CloudFormation's hour/,
      );
      expect(() => checkTheHour(progress(false), START + minutes(52), minutes(5))).toThrow(
        /CloudFormation's hour/,
      );
    });
  });

  it('completes a run that finishes in an invocation that would end past the budget', async () => {
    s3.add('app');
    expect(await isComplete(event('Create', baseConfig()), noTime, () => deps)).toEqual({
      IsComplete: false,
    });

    clock = START + DEPLOY_BUDGET_MS - 60_000;
    const response = await isComplete(event('Create', baseConfig()), FULL_TIME, () => deps);

    expect(response).toMatchObject({ IsComplete: true, Data: { configured: '1' } });
  });

  it('never lets a resumed create clear the marker of the delete that followed it', async () => {
    s3.add('app').add('late');
    // The create's first invocation runs out of time; CloudFormation gives up and deletes the resource.
    expect(await isComplete(event('Create', baseConfig()), noTime, () => deps)).toEqual({
      IsComplete: false,
    });
    await deleteStack();
    // The create's waiter is still polling: its next invocation must change nothing.
    clock += 60_000;
    await expect(deploy('Create')).rejects.toThrow(/superseded by a newer deployment or the delete/);

    expect(table.items.get('settings')).toMatchObject({ deleted: true });
    expect(s3.buckets.get('app')!.logging).toBeUndefined();
    expect(s3.buckets.get('late')!.logging).toBeUndefined();
    expect(table.record('app')).toBeUndefined();
  });
});

describe('delete fences events and sweeps', () => {
  it('restores a bucket whose CreateBucket event was changing it when the delete started', async () => {
    await deploy('Create');
    s3.add('late');
    const held = s3.hold('late');
    const inFlight = created('late');
    await held.reached;
    // The event has written its record and sent its PutBucketLogging; the delete starts now.

    expect(await deploy('Delete')).toEqual({ IsComplete: false });
    held.release();
    await inFlight;
    expect(s3.buckets.get('late')!.logging).toEqual(wanted('late'));

    await deleteStack();
    expect(s3.buckets.get('late')!.logging).toBeUndefined();
    expect(table.record('late')).toBeUndefined();
  });

  it('waits FENCE_WINDOW_MS for a record write that read the settings just before the marker, then restores its bucket', async () => {
    await deploy('Create');
    s3.add('late');
    // The event has read the settings (no marker yet) and sent its record's PutItem, which lands after the marker.
    const held = table.hold('bucket#late');
    const inFlight = created('late');
    await held.reached;
    const markedAt = clock;

    expect(await deploy('Delete')).toEqual({ IsComplete: false });
    held.release();
    await inFlight;
    expect(table.record('late')).toMatchObject({ applied: wanted('late') });
    expect(s3.buckets.get('late')!.logging).toEqual(wanted('late'));

    // Until the window has passed, the delete does not look for records: one may still be on its way.
    clock = markedAt + FENCE_WINDOW_MS - 1;
    expect(await deploy('Delete')).toEqual({ IsComplete: false });
    expect(table.mock.commandCalls(ScanCommand)).toHaveLength(0);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'delete-waits' }));

    // Then it finds the record; the bucket's own change may still be in flight until WRITE_SETTLE_MS after it.
    clock = markedAt + FENCE_WINDOW_MS;
    expect(await deploy('Delete')).toEqual({ IsComplete: false });
    expect(table.mock.commandCalls(ScanCommand).length).toBeGreaterThan(0);
    expect(s3.buckets.get('late')!.logging).toEqual(wanted('late'));

    clock = markedAt + WRITE_SETTLE_MS;
    expect(await deploy('Delete')).toMatchObject({ IsComplete: true, Data: { restored: '1' } });
    expect(s3.buckets.get('late')!.logging).toBeUndefined();
    const ours = [...s3.buckets].filter(([, b]) => b.logging?.TargetBucket === TARGET).map(([name]) => name);
    expect(ours).toEqual([]);
    expect([...table.items.keys()].filter((pk) => pk.startsWith('bucket#'))).toEqual([]);
  });

  it('lets no CreateBucket event that arrives after the delete configure its bucket', async () => {
    s3.add('app');
    await deploy('Create');
    await deleteStack();

    s3.add('after');
    await created('after');
    await sweep();

    expect(s3.count('PutBucketLogging', 'after')).toBe(0);
    expect(table.record('after')).toBeUndefined();
    expect(s3.buckets.get('app')!.logging).toBeUndefined();
  });

  it('stops an event that passed its first check when the delete marker comes before its record', async () => {
    await deploy('Create');
    s3.add('late');
    // The delete's marker lands while the event reads the bucket (after its own check of the settings).
    s3.mock.on(GetBucketTaggingCommand).callsFakeOnce(async () => {
      await deps.state.markDeleted('delete#Delete', new Date(clock).toISOString());
      return { TagSet: [] };
    });

    await created('late');

    expect(s3.count('PutBucketLogging', 'late')).toBe(0);
    expect(table.record('late')).toBeUndefined();
    expect(logs).toContainEqual(expect.objectContaining({ event: 'event-stale', bucket: 'late' }));
  });
});

describe('events the function cannot use', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['an empty object', {}],
    ['a number', 42],
    ['an unknown detail-type', { 'detail-type': 'Object Created', detail: {} }],
    ['a CloudTrail event without detail', { 'detail-type': 'AWS API Call via CloudTrail' }],
    [
      'another CloudTrail call',
      { 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'DeleteBucket' } },
    ],
    [
      'a CreateBucket without a bucket name',
      {
        'detail-type': 'AWS API Call via CloudTrail',
        detail: { eventName: 'CreateBucket', requestParameters: {} },
      },
    ],
    ['a custom resource event without its Config', { RequestType: 'Create', ResourceProperties: {} }],
    [
      'a custom resource event of another type',
      { RequestType: 'Replace', ResourceProperties: { Config: '{}' } },
    ],
  ])('logs one warning and ignores %s', async (_case, received) => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await expect(handler(received, FULL_TIME)).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(JSON.parse(String(warn.mock.calls[0][0]))).toMatchObject({
        level: 'warn',
        event: 'ignored-event',
      });
    } finally {
      warn.mockRestore();
    }
  });

  it.each<[string, unknown]>([
    ['without detail', undefined],
    ['of another call', { eventName: 'DeleteBucket', requestParameters: { bucketName: 'app' } }],
    ['without request parameters', { eventName: 'CreateBucket' }],
    ['with an empty bucket name', { eventName: 'CreateBucket', requestParameters: { bucketName: '' } }],
    [
      'with a bucket name that is no string',
      { eventName: 'CreateBucket', requestParameters: { bucketName: 7 } },
    ],
  ])(
    'onEventBridge logs one warning and changes nothing for a CloudTrail event %s',
    async (_case, detail) => {
      s3.add('app');
      const sleep = jest.fn(async () => {});

      await expect(
        onEventBridge(
          { 'detail-type': 'AWS API Call via CloudTrail', detail } as never,
          baseConfig(),
          FULL_TIME,
          { ...deps, sleep },
        ),
      ).resolves.toBeUndefined();

      expect(logs).toEqual([
        { level: 'warn', event: 'ignored-event', reason: 'not a CreateBucket call with a bucket name' },
      ]);
      expect(calls).toEqual([]);
      expect(sleep).not.toHaveBeenCalled();
    },
  );

  it('classifies the three events it serves', () => {
    expect(classifyEvent({ 'detail-type': 'Scheduled Event' }).kind).toBe('sweep');
    expect(
      classifyEvent({
        'detail-type': 'AWS API Call via CloudTrail',
        detail: { eventName: 'CreateBucket', requestParameters: { bucketName: 'b' } },
      }).kind,
    ).toBe('create-bucket');
    expect(classifyEvent(event('Update', baseConfig())).kind).toBe('custom-resource');
  });
});

describe('log lines', () => {
  it('go out at the level they carry, so that Lambda files them at WARN and ERROR', () => {
    const out = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const log = consoleLogger(out);

    log({ level: 'info', event: 'run-start' });
    log({ level: 'warn', event: 'bucket-deferred' });
    log({ level: 'error', event: 'bucket', outcome: 'failed' });

    expect(out.info.mock.calls).toEqual([[JSON.stringify({ level: 'info', event: 'run-start' })]]);
    expect(out.warn.mock.calls).toEqual([[JSON.stringify({ level: 'warn', event: 'bucket-deferred' })]]);
    expect(out.error.mock.calls).toEqual([
      [JSON.stringify({ level: 'error', event: 'bucket', outcome: 'failed' })],
    ]);
  });
});

describe('onEvent', () => {
  it('names the resource after its state table and keeps that name on update', async () => {
    const properties = { ServiceToken: 'arn', Config: JSON.stringify(baseConfig()) };
    await expect(
      onEvent({ RequestType: 'Create', ResourceProperties: properties } as never),
    ).resolves.toEqual({
      PhysicalResourceId: 'bucket-logging:us-east-1:state',
    });
    await expect(
      onEvent({
        RequestType: 'Update',
        PhysicalResourceId: 'kept-id',
        ResourceProperties: properties,
      } as never),
    ).resolves.toEqual({ PhysicalResourceId: 'kept-id' });
  });

  it('rejects a malformed configuration before any work', async () => {
    const properties = {
      ServiceToken: 'arn',
      Config: JSON.stringify({ ...baseConfig(), concurrency: 'many' }),
    };
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: properties } as never)).rejects.toThrow(
      'configuration field concurrency must be a positive integer',
    );
  });
});
