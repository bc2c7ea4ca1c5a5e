/**
 * One bucket's work (buckets.ts) as the run sees it: the outcome `configureBucket` and `restoreBucket` return
 * for the report, the log and the Athena table's bucket list, against the S3 and DynamoDB fakes.
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  bucketContext,
  configureBucket,
  restoreBucket,
  WRITE_SETTLE_MS,
} from '../../../lib/bucket-logging/handler/buckets';
import type { WriteFence } from '../../../lib/bucket-logging/handler/fence';
import { DYNAMODB_CALL_BOUND_MS, S3_CALL_BOUND_MS } from '../../../lib/bucket-logging/handler/s3';
import type { DynamoStateStore } from '../../../lib/bucket-logging/handler/state';
import type { BucketLoggingConfig } from '../../../lib/bucket-logging/types';
import { DEFAULT_EXCLUDE_TAG_KEY, type KeyFormat } from '../../../lib/conventions';
import { type FakeS3, type FakeTable, s3Error } from './fakes';
import { type HandlerWorld, handlerConfig, handlerWorld, wanted as ours, START } from './world';

/** A sweep's fence; with no settings item in the table it lets record writes through. */
const FENCE: WriteFence = { kind: 'fingerprint', fingerprint: 'f1' };

const elsewhere: LoggingEnabled = { TargetBucket: 'security-account-logs', TargetPrefix: 'app/' };

let world: HandlerWorld;
let s3: FakeS3;
let table: FakeTable;
let clock: number;
let state: DynamoStateStore;

beforeEach(() => {
  clock = START;
  world = handlerWorld({ clients: 1, now: () => clock });
  ({ s3, table, store: state } = world);
});

afterEach(() => world.restore());

/** DynamoDB refusing a call on one bucket's record (a permissions boundary, say). */
const denied = () =>
  new DynamoDBServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'not authorized (test)',
  });
const recordKey = (bucket: string) => ({ Key: { pk: `bucket#${bucket}` } });
/** How often the state record of `bucket` was read. */
const recordReads = (bucket: string) =>
  table.mock.commandCalls(GetCommand).filter((c) => c.args[0].input.Key?.pk === `bucket#${bucket}`).length;

function context(overrides: Partial<BucketLoggingConfig> = {}, trigger: 'sweep' | 'delete' = 'sweep') {
  return bucketContext(handlerConfig(overrides), world.deps.s3, state, trigger, FENCE, () => clock);
}

describe('configureBucket', () => {
  it.each<[string, LoggingEnabled | undefined, boolean]>([
    ['still logs into the log bucket (the Athena table keeps listing it)', ours('app'), true],
    ['logs elsewhere', elsewhere, false],
    ['does not log', undefined, false],
  ])(
    'excludes an opted-out bucket that %s, saying whether it logs into the log bucket',
    async (_, logging, into) => {
      s3.add('app', { tags: { [DEFAULT_EXCLUDE_TAG_KEY]: '' }, logging });

      const outcome = await configureBucket(context(), 'app', 0);

      expect(outcome).toEqual({ kind: 'excluded', bucket: 'app', reason: 'opt-out-tag', logsToTarget: into });
      expect(s3.count('PutBucketLogging')).toBe(0);
    },
  );

  it('excludes an opted-out bucket whose logging it cannot read, without saying where it logs', async () => {
    s3.add('app', { tags: { [DEFAULT_EXCLUDE_TAG_KEY]: 'yes' }, logging: ours('app') });
    s3.failNext('GetBucketLogging', 'app', s3Error('AccessDenied', 403));

    const outcome = await configureBucket(context(), 'app', 0);

    expect(outcome).toEqual({
      kind: 'excluded',
      bucket: 'app',
      reason: 'opt-out-tag',
      logsToTarget: undefined,
    });
  });

  it.each<[string, LoggingEnabled | undefined, Partial<BucketLoggingConfig>]>([
    ['does not log', undefined, {}],
    ['logs into the log bucket with another prefix', { ...ours('app'), TargetPrefix: 'old/' }, {}],
    ['logs elsewhere (overwriteExisting)', elsewhere, { overwriteExisting: true }],
  ])('configures a bucket that %s without reading its state record first', async (_, logging, overrides) => {
    s3.add('app', { logging });

    const outcome = await configureBucket(context(overrides), 'app', 0);

    expect(outcome).toMatchObject({ kind: 'configured', bucket: 'app' });
    expect(recordReads('app')).toBe(0);
    expect(s3.buckets.get('app')?.logging).toEqual(ours('app'));
  });

  it('fails a bucket logging elsewhere whose state record it cannot read, naming GetStateRecord', async () => {
    s3.add('app', { logging: elsewhere });
    table.mock.on(GetCommand, recordKey('app')).rejects(denied());

    const outcome = await configureBucket(context(), 'app', 0);

    expect(outcome).toMatchObject({
      kind: 'failed',
      bucket: 'app',
      operation: 'GetStateRecord',
      code: 'AccessDeniedException',
    });
    expect(s3.buckets.get('app')?.logging).toEqual(elsewhere);
  });

  it('fails only the bucket, with the reason, when a decision itself throws', async () => {
    // A configuration parseConfig would refuse; the guarantee is that no bucket's error escapes the run.
    s3.add('app');

    const outcome = await configureBucket(context({ keyFormat: 'hourly' as KeyFormat }), 'app', 0);

    expect(outcome).toEqual({
      kind: 'failed',
      bucket: 'app',
      operation: 'Unknown',
      code: 'Error',
      message: 'unknown key format hourly',
      retryable: false,
    });
    expect(s3.count('PutBucketLogging')).toBe(0);
  });
});

describe('restoreBucket', () => {
  /** A record of our change to `bucket` from `previous`, written at START. */
  async function recorded(bucket: string, previous: LoggingEnabled | null) {
    await state.recordChange(bucket, previous, ours(bucket), 'create', new Date(START).toISOString(), FENCE);
  }

  it("waits until a PutBucketLogging sent after the record's last write has landed, then restores", async () => {
    // After its record write (a settings read and a PutItem) a writer sends one PutBucketLogging; each call may
    // take its whole bound (every attempt timed out), and Lambda hosts' clocks may differ by up to a minute.
    s3.add('app', { logging: ours('app') });
    await recorded('app', elsewhere);
    const landed = START + 2 * DYNAMODB_CALL_BOUND_MS + S3_CALL_BOUND_MS + 60_000;
    clock = landed - 1;

    expect(await restoreBucket(context({}, 'delete'), 'app', 0)).toEqual({
      kind: 'later',
      bucket: 'app',
      until: landed,
    });
    expect(s3.count('PutBucketLogging')).toBe(0);

    clock = landed;
    expect(await restoreBucket(context({}, 'delete'), 'app', 0)).toEqual({
      kind: 'restored',
      bucket: 'app',
      to: elsewhere,
    });
    expect(s3.buckets.get('app')?.logging).toEqual(elsewhere);
    expect(table.record('app')).toBeUndefined();
  });

  it('leaves alone a bucket without a record (another invocation restored it already), calling no S3', async () => {
    s3.add('app', { logging: ours('app') });
    clock = START + WRITE_SETTLE_MS;

    const outcome = await restoreBucket(context({}, 'delete'), 'app', 0);

    expect(outcome).toEqual({ kind: 'leftAlone', bucket: 'app', why: 'no-record' });
    expect(s3.calls).toEqual([]);
    expect(s3.buckets.get('app')?.logging).toEqual(ours('app'));
  });

  it('fails a bucket whose logging it cannot read, naming GetBucketLogging and the code, and keeps its record', async () => {
    s3.add('app', { logging: ours('app') });
    await recorded('app', elsewhere);
    s3.failNext('GetBucketLogging', 'app', s3Error('AccessDenied', 403));
    clock = START + WRITE_SETTLE_MS;

    const outcome = await restoreBucket(context({}, 'delete'), 'app', 0);

    expect(outcome).toMatchObject({
      kind: 'failed',
      bucket: 'app',
      operation: 'GetBucketLogging',
      code: 'AccessDenied',
      retryable: false,
    });
    expect(table.record('app')).toBeDefined();
    expect(s3.buckets.get('app')?.logging).toEqual(ours('app'));
  });

  it('fails a bucket whose state record it cannot read, naming GetStateRecord, and changes nothing', async () => {
    s3.add('app', { logging: ours('app') });
    table.mock.on(GetCommand, recordKey('app')).rejects(denied());
    clock = START + WRITE_SETTLE_MS;

    const outcome = await restoreBucket(context({}, 'delete'), 'app', 0);

    expect(outcome).toMatchObject({
      kind: 'failed',
      bucket: 'app',
      operation: 'GetStateRecord',
      code: 'AccessDeniedException',
    });
    expect(s3.calls).toEqual([]);
  });

  it('forgets a bucket deleted since, which no longer logs anywhere', async () => {
    await recorded('app', elsewhere);
    clock = START + WRITE_SETTLE_MS;

    const outcome = await restoreBucket(context({}, 'delete'), 'app', 0);

    expect(outcome).toEqual({ kind: 'leftAlone', bucket: 'app', why: 'gone', logsToTarget: false });
    expect(table.record('app')).toBeUndefined();
  });

  it('fails a bucket whose restore S3 refuses, naming PutBucketLogging, and keeps its record for the retry', async () => {
    s3.add('app', { logging: ours('app') });
    await recorded('app', elsewhere);
    s3.failNext('PutBucketLogging', 'app', s3Error('AccessDenied', 403));
    clock = START + WRITE_SETTLE_MS;

    const outcome = await restoreBucket(context({}, 'delete'), 'app', 0);

    expect(outcome).toMatchObject({
      kind: 'failed',
      bucket: 'app',
      operation: 'PutBucketLogging',
      code: 'AccessDenied',
    });
    expect(table.record('app')).toBeDefined();
  });

  it.each<[string, LoggingEnabled | undefined]>([
    ['gave it back what it had', ours('app')],
    ['left it alone (pointed elsewhere since)', elsewhere],
    ['found it deleted', undefined],
  ])(
    'fails a bucket whose record it cannot delete after it %s, naming DeleteStateRecord',
    async (_, logging) => {
      if (logging !== undefined) s3.add('app', { logging });
      await recorded('app', null);
      table.mock.on(DeleteCommand, recordKey('app')).rejects(denied());
      clock = START + WRITE_SETTLE_MS;

      const outcome = await restoreBucket(context({}, 'delete'), 'app', 0);

      expect(outcome).toMatchObject({
        kind: 'failed',
        bucket: 'app',
        operation: 'DeleteStateRecord',
        code: 'AccessDeniedException',
      });
      expect(table.record('app')).toBeDefined();
    },
  );

  it.each<[string, LoggingEnabled | undefined]>([
    ['someone pointed elsewhere', elsewhere],
    ['someone turned off', undefined],
  ])('leaves a bucket that %s since, saying it does not log into the log bucket', async (_, now) => {
    s3.add('app', { logging: now });
    await recorded('app', null);
    clock = START + WRITE_SETTLE_MS;

    const outcome = await restoreBucket(context({}, 'delete'), 'app', 0);

    expect(outcome).toMatchObject({ kind: 'leftAlone', bucket: 'app', logsToTarget: false });
    expect(table.record('app')).toBeUndefined();
  });
});
