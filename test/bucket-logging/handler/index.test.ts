/**
 * The function's entry as Lambda calls it: `handler` with the clients it makes for itself (the S3 client pool
 * kept by a warm function, the module's DynamoDB and Glue clients), every call answered by the fakes. The
 * scenarios with injected dependencies are in handler.test.ts; this file holds what only the entry's own
 * wiring does. The pool is module state, kept from one test to the next as from one invocation to the next.
 */
import { GetBucketLoggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { EVENT_SETTLE_MS, handler } from '../../../lib/bucket-logging/handler';
import { CONFIG_ENV } from '../../../lib/bucket-logging/types';
import { LOG_TARGET_ROLE, ROLE_TAG_KEY } from '../../../lib/conventions';
import { bucketLoggingConfig } from '../../util/bucket-logging-config';
import { FakeS3, FakeTable } from './fakes';

/** Not the process's default Region (set below), so that a client that ignores the configuration shows. */
const REGION = 'eu-west-1';
const TARGET = 's3-access-logs-111122223333-eu-west-1';
const FULL_TIME = { getRemainingTimeInMillis: () => 900_000 };
const SWEEP = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
const createBucket = (bucketName: string) => ({
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.s3',
  detail: { eventName: 'CreateBucket', requestParameters: { bucketName } },
});

const saved = { config: process.env[CONFIG_ENV], region: process.env.AWS_REGION };
let calls: string[];
let s3: FakeS3;
let table: FakeTable;

function configure(concurrency: number): void {
  process.env[CONFIG_ENV] = JSON.stringify(
    bucketLoggingConfig({ region: REGION, targetBucket: TARGET, concurrency }),
  );
}

beforeEach(() => {
  process.env.AWS_REGION = 'us-east-1';
  calls = [];
  s3 = new FakeS3(calls).add(TARGET, { region: REGION, tags: { [ROLE_TAG_KEY]: LOG_TARGET_ROLE } });
  table = new FakeTable(calls);
  for (let i = 0; i < 12; i++) s3.add(`app-${String(i).padStart(2, '0')}`, { region: REGION });
  // The entry logs each bucket it configures; the lines are not what these tests look at.
  jest.spyOn(console, 'info').mockImplementation(() => {});
});

afterEach(() => {
  s3.mock.restore();
  table.mock.restore();
  jest.restoreAllMocks();
  jest.useRealTimers();
});

afterAll(() => {
  for (const [name, value] of [
    [CONFIG_ENV, saved.config],
    ['AWS_REGION', saved.region],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The S3 clients that sent the run's GetBucketLogging calls. */
function clientsUsed(): Set<S3Client> {
  return new Set(s3.mock.commandCalls(GetBucketLoggingCommand).map((call) => call.thisValue as S3Client));
}

describe('the S3 clients of a warm function', () => {
  let first: Set<S3Client>;

  it('gives each worker its own client, for the Region of the configuration', async () => {
    configure(2);

    await handler(SWEEP, FULL_TIME);

    expect(s3.buckets.get('app-00')?.logging?.TargetBucket).toBe(TARGET);
    first = clientsUsed();
    expect(first.size).toBe(2);
    for (const client of first) await expect(client.config.region()).resolves.toBe(REGION);
  });

  it('keeps them for the next invocation, and adds clients when the concurrency was raised', async () => {
    configure(4);

    await handler(SWEEP, FULL_TIME);

    const used = clientsUsed();
    expect(used.size).toBe(4);
    for (const client of first) expect(used.has(client)).toBe(true);
    for (const client of used) await expect(client.config.region()).resolves.toBe(REGION);
  });

  it('uses as many of them as the concurrency after it was lowered', async () => {
    configure(3);

    await handler(SWEEP, FULL_TIME);

    expect(clientsUsed().size).toBe(3);
  });
});

describe('a CreateBucket event', () => {
  it('reads its bucket only after EVENT_SETTLE_MS, once the creating tool could tag it', async () => {
    configure(4);
    s3.add('new-bucket', { region: REGION });
    jest.useFakeTimers({ doNotFake: ['Date', 'setImmediate', 'nextTick', 'queueMicrotask'] });

    const done = handler(createBucket('new-bucket'), FULL_TIME);
    await jest.advanceTimersByTimeAsync(EVENT_SETTLE_MS - 1);
    expect(calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    await done;

    expect(s3.buckets.get('new-bucket')?.logging?.TargetBucket).toBe(TARGET);
    expect(s3.count('PutBucketLogging')).toBe(1);
  });
});
