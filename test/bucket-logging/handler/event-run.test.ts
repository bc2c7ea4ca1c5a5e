import { GetTableCommand, UpdateTableCommand } from '@aws-sdk/client-glue';
import { GetBucketTaggingCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { finished } from '../../../lib/bucket-logging/handler/engine';
import { reconcileOne } from '../../../lib/bucket-logging/handler/event-run';
import { configFingerprint, type Deps } from '../../../lib/bucket-logging/handler/run';
import { BUCKET_PROJECTION_VALUES_PARAMETER } from '../../../lib/conventions';
import { type FakeS3, type FakeTable, s3Error } from './fakes';
import {
  type GlueMock,
  type HandlerWorld,
  handlerConfig,
  handlerWorld,
  type LogLines,
  REGION,
  wanted,
} from './world';

const START = Date.parse('2026-11-30T10:00:00Z');
/** The pause before the second try of a throttled bucket, as the handler passes it. */
const RETRY_PAUSE_MS = 2_500;

const config = handlerConfig;

let world: HandlerWorld;
let calls: string[];
let s3: FakeS3;
let table: FakeTable;
let glue: GlueMock;
let logs: LogLines;
let pauses: number[];
let deps: Deps;

beforeEach(() => {
  world = handlerWorld({ clients: 2, now: () => START, newId: () => '0123456789-run' });
  ({ calls, s3, table, glue, logs, pauses, deps } = world);
});

afterEach(() => world.restore());

/** The settings item a deploy writes: its fence. */
function deployed(fingerprint: string, deleted = false) {
  table.items.set('settings', {
    pk: 'settings',
    schema: 1,
    generation: 'create#1',
    fingerprint,
    deleted,
    at: new Date(START - 60_000).toISOString(),
  });
}

const run = (bucket: string, c = config()) => reconcileOne(c, deps, bucket, RETRY_PAUSE_MS);

/** The S3 calls made on `bucket` (or to list it), in order. */
const s3CallsOn = (bucket: string) => calls.filter((c) => c.endsWith(` ${bucket}`) || c === 'ListBuckets');

describe('reconcileOne: a CreateBucket event', () => {
  it('configures the new bucket under the deployed settings, records it as created, and reports it', async () => {
    s3.add('new-bucket').add('other');
    deployed(configFingerprint(config()));

    const result = await run('new-bucket');

    expect(s3.buckets.get('new-bucket')!.logging).toEqual(wanted('new-bucket'));
    expect(s3.buckets.get('other')!.logging).toBeUndefined();
    expect(table.record('new-bucket')).toMatchObject({
      applied: wanted('new-bucket'),
      source: 'bucket-created',
    });
    expect(result).toMatchObject({
      status: 'finished',
      progress: { trigger: 'bucket-created', invocations: 1 },
    });
    if (result.status !== 'finished') throw new Error('not finished');
    expect(finished(result.progress.cursor)).toBe(true);
    expect(result.reportKey).toMatch(/-bucket-created-01234567\.json$/);
    expect(s3.reports.get(result.reportKey!)).toMatchObject({
      trigger: 'bucket-created',
      invocations: 1,
      counts: { configured: 1, failed: 0 },
    });
    expect(pauses).toEqual([]);
  });

  it('goes ahead on a state table without a settings item (no deploy of a release with the fence yet)', async () => {
    s3.add('new-bucket');

    await expect(run('new-bucket')).resolves.toMatchObject({ status: 'finished' });
    expect(s3.buckets.get('new-bucket')!.logging).toEqual(wanted('new-bucket'));
  });

  it('looks for the bucket with its name as prefix, in this Region only', async () => {
    s3.add('new-bucket');

    await run('new-bucket');

    expect(s3.mock.commandCalls(ListBucketsCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ Prefix: 'new-bucket', BucketRegion: REGION }),
    ]);
  });

  it('reads on to the next page of the listing when a page ends before the bucket', async () => {
    s3.add('new-bucket');
    // The API promises no page size: a page may end early (here: empty) with a token to go on from.
    s3.mock
      .on(ListBucketsCommand)
      .resolvesOnce({ Buckets: [], ContinuationToken: 'page-2' })
      .resolvesOnce({ Buckets: [{ Name: 'new-bucket', BucketRegion: REGION }] });

    await expect(run('new-bucket')).resolves.toMatchObject({ status: 'finished' });

    expect(s3.mock.commandCalls(ListBucketsCommand)[1].args[0].input).toMatchObject({
      Prefix: 'new-bucket',
      ContinuationToken: 'page-2',
    });
    expect(s3.buckets.get('new-bucket')!.logging).toEqual(wanted('new-bucket'));
  });

  it('ignores a bucket of another Region, saying which bucket and Region, and touches nothing', async () => {
    s3.add('far-away', { region: 'ap-southeast-2' });

    await expect(run('far-away')).resolves.toEqual({ status: 'stopped' });

    expect(calls).toEqual(['ListBuckets']);
    expect(logs).toEqual([
      { level: 'info', event: 'bucket-not-in-region', bucket: 'far-away', region: REGION },
    ]);
  });

  it('adds the new bucket to the Athena table and keeps the buckets it did not look at', async () => {
    s3.add('new-bucket');
    glue.on(GetTableCommand).resolves({
      Table: {
        Name: 'logs',
        Parameters: { [BUCKET_PROJECTION_VALUES_PARAMETER]: 'app,billing' },
        VersionId: '4',
      },
    });
    glue.on(UpdateTableCommand).resolves({});

    const result = await run('new-bucket', config({ glueTable: { databaseName: 'db', tableName: 'logs' } }));

    expect(glue.commandCalls(UpdateTableCommand)[0].args[0].input.TableInput?.Parameters).toEqual({
      [BUCKET_PROJECTION_VALUES_PARAMETER]: 'app,billing,new-bucket',
    });
    expect(result).toMatchObject({ status: 'finished', table: { status: 'updated', buckets: 3 } });
  });
});

describe('reconcileOne: settings that are not its own', () => {
  it('changes nothing after the delete, and says nothing', async () => {
    s3.add('new-bucket');
    deployed('deleted', true);

    await expect(run('new-bucket')).resolves.toEqual({ status: 'stopped' });

    expect(calls).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('stands down when a deploy with other settings came since, before any S3 call, saying why', async () => {
    s3.add('new-bucket');
    deployed(configFingerprint(config({ overwriteExisting: true })));

    await expect(run('new-bucket')).resolves.toEqual({ status: 'stale' });

    expect(calls).toEqual([]);
    expect(logs).toEqual([
      {
        level: 'warn',
        event: 'event-stale',
        bucket: 'new-bucket',
        reason: 'settings changed since; the next run decides',
      },
    ]);
  });

  it('stands down when the delete comes while it reads the bucket, changing nothing, saying why', async () => {
    s3.add('new-bucket');
    s3.mock.on(GetBucketTaggingCommand).callsFakeOnce(async () => {
      await deps.state.markDeleted('delete#1', new Date(START).toISOString());
      return { TagSet: [] };
    });

    await expect(run('new-bucket')).resolves.toEqual({ status: 'stale' });

    expect(s3.count('PutBucketLogging')).toBe(0);
    expect(table.record('new-bucket')).toBeUndefined();
    expect(s3.reports.size).toBe(0);
    expect(logs).toEqual([
      {
        level: 'warn',
        event: 'event-stale',
        bucket: 'new-bucket',
        reason: expect.stringMatching(
          /^the settings of this run are no longer the resource's \(fingerprint /,
        ),
      },
    ]);
  });
});

describe('reconcileOne: failures', () => {
  it('tries a throttled bucket once more, after the pause', async () => {
    s3.add('new-bucket').failNext('PutBucketLogging', 'new-bucket', s3Error('SlowDown', 503));

    const result = await run('new-bucket');

    expect(pauses).toEqual([RETRY_PAUSE_MS]);
    expect(s3.count('PutBucketLogging', 'new-bucket')).toBe(2);
    expect(s3.buckets.get('new-bucket')!.logging).toEqual(wanted('new-bucket'));
    expect(result).toMatchObject({ status: 'finished', progress: { counts: { configured: 1, failed: 0 } } });
  });

  it('counts a bucket throttled twice once, as failed, with the operation and the code', async () => {
    s3.add('new-bucket').failNext(
      'PutBucketLogging',
      'new-bucket',
      s3Error('SlowDown', 503),
      s3Error('SlowDown', 503),
    );

    const result = await run('new-bucket');

    expect(s3.count('PutBucketLogging', 'new-bucket')).toBe(2);
    expect(result).toMatchObject({
      status: 'finished',
      progress: {
        counts: { configured: 0, failed: 1 },
        failures: [{ bucket: 'new-bucket', operation: 'PutBucketLogging', code: 'SlowDown' }],
      },
    });
  });

  it('does not try again a bucket that fails for good', async () => {
    s3.add('new-bucket').failNext('PutBucketLogging', 'new-bucket', s3Error('AccessDenied', 403));

    const result = await run('new-bucket');

    expect(pauses).toEqual([]);
    expect(s3CallsOn('new-bucket').filter((c) => c.startsWith('PutBucketLogging'))).toHaveLength(1);
    expect(result).toMatchObject({
      status: 'finished',
      progress: {
        counts: { failed: 1 },
        failures: [{ operation: 'PutBucketLogging', code: 'AccessDenied' }],
      },
    });
  });
});
