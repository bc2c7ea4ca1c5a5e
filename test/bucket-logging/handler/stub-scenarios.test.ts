/**
 * Re-points, rollbacks, races, hangs and S3-compatible listings, run through the handler's real entry points
 * (isComplete as the Provider framework calls it, the scheduled sweep) and the real S3 client over HTTP,
 * against the benchmark's S3 stub (bench/s3-stub.ts, shared: it answers as S3 does, with injected faults).
 * The state table is the DynamoDB fake, which evaluates the store's conditions (and cancels transactions that
 * conflict, as DynamoDB does).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { S3Stub, type StubLogging } from '../../../bench/s3-stub';
import { onEventBridge, SDK_MAX_ATTEMPTS, serviceClientOptions } from '../../../lib/bucket-logging/handler';
import type { Deps } from '../../../lib/bucket-logging/handler/run';
import { BucketApi, createS3Clients } from '../../../lib/bucket-logging/handler/s3';
import type { BucketLoggingConfig } from '../../../lib/bucket-logging/types';
import { LOG_TARGET_ROLE, ROLE_TAG_KEY } from '../../../lib/conventions';
import { bucketLoggingConfig } from '../../util/bucket-logging-config';
import { FakeTable } from './fakes';
import { credentials, FULL_TIME, isCompleteEvent, REGION, START, stateStore, untilComplete } from './world';

const OLD = 'logs-old';
const NEW = 'logs-new';
const SECURITY = 'security-logs';
/** Short request timeouts, so that a hung request costs a test a fraction of a second. */
const SHORT = { requestTimeoutMs: 300, connectionTimeoutMs: 300 };
/**
 * Timeouts no answer of the stub comes near, even on a busy machine: with SHORT, a slow answer was abandoned and
 * its request sent again, and the stub counted 17 refused puts for 16 buckets.
 */
const PATIENT = { requestTimeoutMs: 10_000, connectionTimeoutMs: 10_000 };

const config = (targetBucket: string, overrides: Partial<BucketLoggingConfig> = {}): BucketLoggingConfig =>
  bucketLoggingConfig({ region: REGION, targetBucket, ...overrides });

let stub: S3Stub;
let table: FakeTable;
let clock: number;
let deps: Deps;
let logs: Array<Record<string, unknown>>;
/** Each app bucket's configuration before the stack. */
let before: Map<string, StubLogging | null>;

async function startStub(
  options: Partial<ConstructorParameters<typeof S3Stub>[0]> = {},
  timeouts: typeof SHORT = PATIENT,
) {
  stub = new S3Stub({ latencyMs: 1, throttleRate: 0, seed: 1, maxPage: 1000, ...options });
  const url = await stub.listen();
  stub.addBucket({ name: OLD, region: REGION, tags: { [ROLE_TAG_KEY]: LOG_TARGET_ROLE }, logging: null });
  stub.addBucket({ name: SECURITY, region: REGION, tags: { [ROLE_TAG_KEY]: 'other' }, logging: null });
  before = new Map();
  for (let i = 0; i < 24; i++) {
    const name = `app-${String(i).padStart(2, '0')}`;
    const logging: StubLogging | null =
      i % 3 === 0 ? { targetBucket: SECURITY, targetPrefix: `${name}/`, keyFormat: 'simple' } : null;
    before.set(name, logging && { ...logging });
    stub.addBucket({ name, region: REGION, tags: {}, logging });
  }
  let ids = 0;
  deps = {
    s3: new BucketApi(
      createS3Clients(
        4,
        { region: REGION, endpoint: url, forcePathStyle: true, credentials, maxAttempts: 2 },
        timeouts,
      ),
      REGION,
    ),
    state: stateStore(),
    log: (entry) => logs.push(entry),
    now: () => clock,
    newId: () => `id-${ids++}`,
    sleep: async () => {},
  };
}

beforeEach(() => {
  table = new FakeTable();
  clock = START;
  logs = [];
});
afterEach(async () => {
  table.mock.restore();
  await stub?.close();
});

/** One custom resource request, as the Provider framework runs it: isComplete until complete (or thrown). */
const request = (type: 'Create' | 'Update' | 'Delete', c: BucketLoggingConfig, requestId: string) =>
  untilComplete(
    isCompleteEvent(type, c, requestId),
    () => deps,
    () => {
      clock += 10_000;
    },
  );

const sweep = (c: BucketLoggingConfig) =>
  onEventBridge({ 'detail-type': 'Scheduled Event' } as never, c, FULL_TIME, deps);

const apps = () => [...stub.buckets.values()].filter((b) => b.name.startsWith('app-'));
/** Buckets that log into a log bucket this stack applied. */
const loggingIntoOurs = () =>
  apps()
    .filter((b) => b.logging !== null && [OLD, NEW].includes(b.logging.targetBucket))
    .map((b) => b.name);
const records = () => [...table.items.keys()].filter((k) => k.startsWith('bucket#'));

/** What every scenario must end with: nothing logs into our log buckets, each has what it had, no record. */
function expectNothingStranded() {
  expect(loggingIntoOurs()).toEqual([]);
  for (const bucket of apps())
    expect([bucket.name, bucket.logging]).toEqual([bucket.name, before.get(bucket.name)]);
  expect(records()).toEqual([]);
}

describe('re-pointing to another log bucket, then delete', () => {
  it('restores every bucket after a re-point whose puts all failed', async () => {
    await startStub();
    await request('Create', config(OLD), 'create-1');
    // A third of the buckets log into the security team's bucket: kept.
    expect(loggingIntoOurs()).toHaveLength(16);

    // The new log bucket does not accept logs (here: it does not exist): every put fails, the update passes.
    const update = await request('Update', config(NEW), 'update-2');
    expect(update.Data).toMatchObject({ failed: '16' });
    expect(stub.stats.rejected.InvalidTargetBucketForLogging).toBe(16);

    await request('Delete', config(NEW), 'delete-3');
    expectNothingStranded();
  });

  it('restores every bucket after a failed re-point rolled back with failOnErrors', async () => {
    await startStub();
    await request('Create', config(OLD, { failOnErrors: true }), 'create-1');

    await expect(request('Update', config(NEW, { failOnErrors: true }), 'update-2')).rejects.toThrow(
      /16 bucket\(s\) could not be configured.*InvalidTargetBucketForLogging/,
    );
    // CloudFormation's rollback: an update back to the old settings, which finds the buckets as it wants them.
    await request('Update', config(OLD, { failOnErrors: true }), 'rollback-3');

    await request('Delete', config(OLD, { failOnErrors: true }), 'delete-4');
    expectNothingStranded();
  });

  it('restores every bucket after a re-point that half landed and was reverted', async () => {
    await startStub();
    await request('Create', config(OLD), 'create-1');
    stub.addBucket({ name: NEW, region: REGION, tags: { [ROLE_TAG_KEY]: LOG_TARGET_ROLE }, logging: null });
    for (const name of ['app-01', 'app-05', 'app-10'])
      stub.failAlways('PutBucketLogging', name, { code: 'AccessDenied', status: 403 });
    await request('Update', config(NEW), 'update-2');
    expect(loggingIntoOurs().filter((b) => stub.buckets.get(b)!.logging!.targetBucket === OLD)).toEqual([
      'app-01',
      'app-05',
      'app-10',
    ]);
    for (const name of ['app-01', 'app-05', 'app-10']) stub.failAlways('PutBucketLogging', name, undefined);

    await request('Update', config(OLD), 'revert-3');
    await request('Delete', config(OLD), 'delete-4');
    expectNothingStranded();
  });

  it('keeps an old-settings sweep that overlaps the re-point from stranding buckets', async () => {
    await startStub();
    await request('Create', config(OLD), 'create-1');
    stub.addBucket({ name: NEW, region: REGION, tags: { [ROLE_TAG_KEY]: LOG_TARGET_ROLE }, logging: null });
    // Someone turned logging off everywhere: the old sweep and the update both have every bucket to change.
    for (const bucket of apps()) if (bucket.logging?.targetBucket === OLD) bucket.logging = null;

    // The sweep still has the old settings (the function's configuration is updated with the resource).
    await Promise.all([sweep(config(OLD)), request('Update', config(NEW), 'update-2')]);
    // Whatever the interleaving, a sweep with the old settings after the update changes nothing.
    const onOld = apps().filter((b) => b.logging?.targetBucket === OLD).length;
    await sweep(config(OLD));
    expect(apps().filter((b) => b.logging?.targetBucket === OLD)).toHaveLength(onOld);
    expect(logs.some((l) => l.event === 'run-stale')).toBe(true);

    await request('Delete', config(NEW), 'delete-3');
    expectNothingStranded();
  });

  it('moves buckets an old-settings sweep left on the old log bucket with the next current sweep', async () => {
    await startStub();
    await request('Create', config(OLD), 'create-1');
    stub.addBucket({ name: NEW, region: REGION, tags: { [ROLE_TAG_KEY]: LOG_TARGET_ROLE }, logging: null });
    await request('Update', config(NEW), 'update-2');
    // A bucket put back on the old log bucket (by a sweep that passed its fence just before the update).
    stub.buckets.get('app-01')!.logging = {
      targetBucket: OLD,
      targetPrefix: 'app-01/',
      keyFormat: 'partitioned:EventTime',
    };

    await sweep(config(NEW));

    expect(stub.buckets.get('app-01')!.logging?.targetBucket).toBe(NEW);
  });
});

describe('a request that gets no answer', () => {
  it('is abandoned after its timeout and retried, and the run goes on', async () => {
    await startStub({}, SHORT);
    stub.failNext('GetBucketLogging', 'app-01', 'hang');
    stub.failNext('PutBucketLogging', 'app-02', 'hang');

    const response = await request('Create', config(OLD), 'create-1');

    expect(response.Data).toMatchObject({ failed: '0' });
    expect(stub.buckets.get('app-01')!.logging?.targetBucket).toBe(OLD);
    expect(stub.buckets.get('app-02')!.logging?.targetBucket).toBe(OLD);
  }, 15_000);

  it.each([
    [
      'DynamoDB',
      (endpoint: string) =>
        new DynamoDBClient({ region: REGION, endpoint, credentials, ...serviceClientOptions(SHORT) }).send(
          new GetItemCommand({ TableName: 't', Key: { pk: { S: 'x' } } }),
        ),
    ],
    [
      'Glue',
      (endpoint: string) =>
        new GlueClient({ region: REGION, endpoint, credentials, ...serviceClientOptions(SHORT) }).send(
          new GetTableCommand({ DatabaseName: 'd', Name: 't' }),
        ),
    ],
  ])(
    'ends for %s too, after every attempt timed out',
    async (_service, call) => {
      let requests = 0;
      const server: Server = createServer(() => {
        requests++; // and never answered
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        await expect(call(endpoint)).rejects.toMatchObject({ name: 'TimeoutError' });
        expect(requests).toBe(SDK_MAX_ATTEMPTS);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    },
    20_000,
  );
});

describe('a ListBuckets answer without BucketRegion (S3-compatible services)', () => {
  it('asks GetBucketLocation, and skips and reports a bucket whose Region it cannot tell', async () => {
    await startStub({ noBucketRegion: true });
    stub.addBucket({ name: 'eu-app', region: 'eu-west-1', tags: {}, logging: null });
    stub.addBucket({ name: 'ap-app', region: 'ap-southeast-2', tags: {}, logging: null });
    stub.addBucket({ name: 'secret-app', region: REGION, tags: {}, logging: null });
    stub.failAlways('GetBucketLocation', 'secret-app', { code: 'AccessDenied', status: 403 });

    const response = await request('Create', config(OLD), 'create-1');

    expect(stub.buckets.get('eu-app')!.logging).toBeNull();
    expect(stub.buckets.get('ap-app')!.logging).toBeNull();
    expect(stub.buckets.get('secret-app')!.logging).toBeNull();
    expect(stub.buckets.get('app-01')!.logging?.targetBucket).toBe(OLD);
    expect(response.Data).toMatchObject({ failed: '1' });
    expect(logs).toContainEqual(
      expect.objectContaining({ bucket: 'secret-app', operation: 'GetBucketLocation', code: 'AccessDenied' }),
    );
  });
});
