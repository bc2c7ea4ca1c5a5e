/**
 * The function's entry as Lambda calls it: `handler` with the clients it makes for itself (the S3 client pool
 * kept by a warm function, the module's DynamoDB and Glue clients), every call answered by the fakes. The
 * scenarios with injected dependencies are in handler.test.ts; this file holds what only the entry's own
 * wiring does. The pool is module state, kept from one test to the next as from one invocation to the next.
 */
import { GetBucketLoggingCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { EVENT_SETTLE_MS, handler } from '../../../lib/bucket-logging/handler';
import { CONFIG_ENV } from '../../../lib/bucket-logging/types';
import { LOG_TARGET_ROLE, ROLE_TAG_KEY } from '../../../lib/conventions';
import { bucketLoggingConfig } from '../../util/bucket-logging-config';
import { FakeS3, FakeTable } from './fakes';
import { FULL_TIME } from './world';

/** Not the process's default Region (set below), so that a client that ignores the configuration shows. */
const REGION = 'eu-west-1';
const TARGET = 's3-access-logs-111122223333-eu-west-1';
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

describe('the state table', () => {
  /**
   * What the document client does to a request before sending it (lib-dynamodb's marshalling middleware), with
   * the options of the client that sent it: it throws where the real client would. The fake table answers
   * above that step, so it cannot see it.
   */
  function marshalAsSent(client: DynamoDBDocumentClient, input: object): void {
    const options = { ...client.config.translateConfig?.marshallOptions, convertTopLevelContainer: true };
    const parts: Array<Record<string, unknown>> = [input as Record<string, unknown>];
    for (const action of (input as { TransactItems?: Array<Record<string, object>> }).TransactItems ?? [])
      parts.push(...(Object.values(action) as Array<Record<string, unknown>>));
    for (const part of parts)
      for (const node of ['Item', 'Key', 'ExpressionAttributeValues', 'ExclusiveStartKey'])
        if (part[node] !== undefined) marshall(part[node] as Record<string, unknown>, options);
  }

  it('gets every item the function writes, a paused run with an unfinished cursor too, as its client sends it', async () => {
    configure(2);
    // Too little time for any bucket: the run saves its progress (a cursor without a next page) and pauses.
    await handler(SWEEP, { getRemainingTimeInMillis: () => 120_000 });
    await handler(SWEEP, FULL_TIME);

    const requests = table.mock.send.getCalls();
    expect(requests.length).toBeGreaterThan(4);
    for (const call of requests)
      expect(() =>
        marshalAsSent(call.thisValue as DynamoDBDocumentClient, call.args[0].input as object),
      ).not.toThrow();
  });
});

describe('a custom resource event', () => {
  it("is answered as the Provider framework's isComplete call", async () => {
    const config = bucketLoggingConfig({ region: REGION, targetBucket: TARGET, concurrency: 2 });
    const event = {
      RequestType: 'Create',
      RequestId: 'r-1',
      ResourceProperties: { ServiceToken: 'arn', Config: JSON.stringify(config) },
    };

    const response = await handler(event, FULL_TIME);

    expect(response).toMatchObject({ IsComplete: true, Data: { configured: '12' } });
    expect(s3.buckets.get('app-11')?.logging?.TargetBucket).toBe(TARGET);
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
