/**
 * The S3 shell (s3.ts): the calls each BucketApi method sends and how it reads their answers, the clients it
 * builds, and the call bounds the delete's waits are made of. aws-sdk-client-mock per client instance, so that
 * which client a call goes through is visible.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  type LoggingEnabled,
  PutBucketLoggingCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { serviceClientOptions } from '../../../lib/bucket-logging/handler';
import {
  BucketApi,
  CONNECTION_TIMEOUT_MS,
  createS3Clients,
  DYNAMODB_CALL_BOUND_MS,
  LIST_PAGE_SIZE,
  REQUEST_TIMEOUT_MS,
  regionOfLocation,
  requestHandlerOptions,
  S3_CALL_BOUND_MS,
  S3_MAX_ATTEMPTS,
} from '../../../lib/bucket-logging/handler/s3';
import { s3Error } from './fakes';
import { credentials, REGION } from './world';

const LOGGING: LoggingEnabled = { TargetBucket: 'logs', TargetPrefix: 'app/' };

/** `count` clients, each with its own mock. */
function clients(count = 1) {
  const built = createS3Clients(count, { region: REGION, credentials });
  return { built, mocks: built.map((c) => mockClient(c)) };
}

function api(count = 1) {
  const { built, mocks } = clients(count);
  return { api: new BucketApi(built, REGION), mock: mocks[0], mocks };
}

describe('BucketApi', () => {
  it('refuses to be built without a client', () => {
    expect(() => new BucketApi([], REGION)).toThrow('BucketApi needs at least one S3 client');
  });

  it("sends each lane's calls through its own client, the lanes going round the clients", async () => {
    const { api: s3, mocks } = api(2);
    for (const m of mocks) m.on(GetBucketLoggingCommand).resolves({});

    for (const [lane, bucket] of ['a', 'b', 'c', 'd', 'e'].entries()) await s3.getLogging(bucket, lane);

    const buckets = mocks.map((m) =>
      m.commandCalls(GetBucketLoggingCommand).map((c) => c.args[0].input.Bucket),
    );
    expect(buckets).toEqual([
      ['a', 'c', 'e'],
      ['b', 'd'],
    ]);
  });

  describe('listPage', () => {
    it("asks S3 for one page of this Region's buckets, from the token, with the prefix", async () => {
      const { api: s3, mock } = api();
      mock.on(ListBucketsCommand).resolves({
        Buckets: [{ Name: 'app-1', BucketRegion: REGION }],
        ContinuationToken: 'next-page',
      });

      const page = await s3.listPage('this-page', 'app-');

      expect(mock.commandCalls(ListBucketsCommand).map((c) => c.args[0].input)).toEqual([
        { BucketRegion: REGION, MaxBuckets: LIST_PAGE_SIZE, ContinuationToken: 'this-page', Prefix: 'app-' },
      ]);
      expect(page).toEqual({ names: ['app-1'], next: 'next-page', unresolved: [] });
    });

    it('reads an empty continuation token, and an answer without buckets, as the last page', async () => {
      const { api: s3, mock } = api();
      mock.on(ListBucketsCommand).resolves({ ContinuationToken: '' });

      expect(await s3.listPage(undefined)).toEqual({ names: [], next: undefined, unresolved: [] });
    });

    it('skips an entry without a name', async () => {
      const { api: s3, mock } = api();
      mock
        .on(ListBucketsCommand)
        .resolves({ Buckets: [{ BucketRegion: REGION }, { Name: 'app', BucketRegion: REGION }] });

      expect((await s3.listPage(undefined)).names).toEqual(['app']);
      expect(mock.commandCalls(GetBucketLocationCommand)).toHaveLength(0);
    });

    it('asks GetBucketLocation for a bucket listed with an empty or no BucketRegion, and keeps those of its Region', async () => {
      const { api: s3, mock } = api();
      mock.on(ListBucketsCommand).resolves({
        Buckets: [
          { Name: 'empty-here', BucketRegion: '' },
          { Name: 'none-here' },
          { Name: 'empty-eu', BucketRegion: '' },
          { Name: 'listed-here', BucketRegion: REGION },
          { Name: 'listed-eu', BucketRegion: 'eu-west-1' },
        ],
      });
      mock
        .on(GetBucketLocationCommand, { Bucket: 'empty-here' })
        .resolves({ LocationConstraint: undefined })
        .on(GetBucketLocationCommand, { Bucket: 'none-here' })
        .resolves({})
        .on(GetBucketLocationCommand, { Bucket: 'empty-eu' })
        .resolves({ LocationConstraint: 'EU' });

      const page = await s3.listPage(undefined);

      expect(page.names).toEqual(['empty-here', 'none-here', 'listed-here']);
      expect(mock.commandCalls(GetBucketLocationCommand).map((c) => c.args[0].input.Bucket)).toEqual([
        'empty-here',
        'none-here',
        'empty-eu',
      ]);
    });

    it('reports a bucket whose Region it cannot tell, with the code and message, rather than assume it', async () => {
      const { api: s3, mock } = api();
      mock.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'secret' }, { Name: 'open' }] });
      mock
        .on(GetBucketLocationCommand, { Bucket: 'secret' })
        .rejects(s3Error('AccessDenied', 403))
        .on(GetBucketLocationCommand, { Bucket: 'open' })
        .resolves({});

      const page = await s3.listPage(undefined);

      expect(page).toEqual({
        names: ['open'],
        next: undefined,
        unresolved: [{ bucket: 'secret', code: 'AccessDenied', message: 'AccessDenied (test)' }],
      });
    });
  });

  describe('getTags', () => {
    it('reads the tag set as a map of key to value, an empty value included', async () => {
      const { api: s3, mock } = api();
      mock.on(GetBucketTaggingCommand, { Bucket: 'app' }).resolves({
        TagSet: [
          { Key: 'team', Value: 'storage' },
          { Key: 'opt-out', Value: '' },
        ],
      });

      expect(await s3.getTags('app', 0)).toEqual({ team: 'storage', 'opt-out': '' });
    });

    it("reads S3's NoSuchTagSet, and an answer without a tag set (S3-compatible services), as no tags", async () => {
      const { api: s3, mock } = api();
      mock
        .on(GetBucketTaggingCommand, { Bucket: 'untagged' })
        .rejects(s3Error('NoSuchTagSet', 404))
        .on(GetBucketTaggingCommand, { Bucket: 'elsewhere' })
        .resolves({});

      expect(await s3.getTags('untagged', 0)).toEqual({});
      expect(await s3.getTags('elsewhere', 0)).toEqual({});
    });

    it('reads a tag whose answer leaves out the key or the value as empty', async () => {
      // The SDK reads `<Value></Value>` as '' but a missing element as undefined; S3 always sends both.
      const { api: s3, mock } = api();
      mock
        .on(GetBucketTaggingCommand)
        .resolves({ TagSet: [{ Key: 'opt-out' }, { Value: 'orphan' }] as never });

      expect(await s3.getTags('app', 0)).toEqual({ 'opt-out': '', '': 'orphan' });
    });

    it('passes any other error on', async () => {
      const { api: s3, mock } = api();
      mock.on(GetBucketTaggingCommand).rejects(s3Error('AccessDenied', 403));

      await expect(s3.getTags('app', 0)).rejects.toMatchObject({ name: 'AccessDenied' });
    });
  });

  describe('getLogging and putLogging', () => {
    it('reads logging that is off as undefined', async () => {
      const { api: s3, mock } = api();
      mock.on(GetBucketLoggingCommand, { Bucket: 'app' }).resolves({});

      expect(await s3.getLogging('app', 0)).toBeUndefined();
    });

    it('reads the logging configuration a bucket has', async () => {
      const { api: s3, mock } = api();
      mock.on(GetBucketLoggingCommand, { Bucket: 'app' }).resolves({ LoggingEnabled: LOGGING });

      expect(await s3.getLogging('app', 0)).toEqual(LOGGING);
    });

    it.each<[string, LoggingEnabled | null, object]>([
      ['sets a configuration', LOGGING, { LoggingEnabled: LOGGING }],
      ['turns logging off with an empty status', null, {}],
    ])('%s', async (_, logging, status) => {
      const { api: s3, mock } = api();
      mock.on(PutBucketLoggingCommand).resolves({});

      await s3.putLogging('app', logging, 0);

      expect(mock.commandCalls(PutBucketLoggingCommand).map((c) => c.args[0].input)).toEqual([
        { Bucket: 'app', BucketLoggingStatus: status },
      ]);
    });
  });

  it('writes a report as indented JSON, typed application/json', async () => {
    const { api: s3, mock } = api();
    mock.on(PutObjectCommand).resolves({});

    await s3.putJson('logs', 'reports/run.json', { counts: { configured: 1 } });

    expect(mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'logs',
        Key: 'reports/run.json',
        Body: '{\n  "counts": {\n    "configured": 1\n  }\n}',
        ContentType: 'application/json',
      },
    ]);
  });
});

describe('regionOfLocation', () => {
  it.each([
    [undefined, 'us-east-1'],
    [null, 'us-east-1'],
    ['', 'us-east-1'],
    ['EU', 'eu-west-1'],
    ['eu-west-1', 'eu-west-1'],
    ['ap-southeast-2', 'ap-southeast-2'],
  ])("reads GetBucketLocation's constraint %p as %s", (constraint, region) => {
    expect(regionOfLocation(constraint)).toBe(region);
  });
});

describe('createS3Clients', () => {
  it('builds one client per worker, each with its own adaptive retries', async () => {
    const built = createS3Clients(3, { region: REGION, credentials });

    expect(new Set(built).size).toBe(3);
    for (const client of built) {
      expect(client).toBeInstanceOf(S3Client);
      expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
      expect(await client.config.maxAttempts()).toBe(S3_MAX_ATTEMPTS);
    }
  });

  it("lets the caller's configuration win (the S3 stub's endpoint, fewer attempts)", async () => {
    const [client] = createS3Clients(1, { region: 'eu-west-1', credentials, maxAttempts: 2 });

    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(2);
  });
});

describe('requestHandlerOptions', () => {
  it('abandons a request after its timeouts, as an error the SDK retries, by default after 15 s and 5 s', () => {
    expect(requestHandlerOptions()).toEqual({
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
    expect([REQUEST_TIMEOUT_MS, CONNECTION_TIMEOUT_MS]).toEqual([15_000, 5_000]);
  });
});

describe('call bounds', () => {
  /**
   * The SDK's longest pause between two attempts: its retry strategies cap the backoff at 20 s
   * (MAXIMUM_RETRY_DELAY in @smithy/util-retry).
   */
  const SDK_BACKOFF_CAP_MS = 20_000;
  const { requestTimeout, connectionTimeout } = requestHandlerOptions();
  const worstCall = (attempts: number) =>
    attempts * (connectionTimeout + requestTimeout) + (attempts - 1) * SDK_BACKOFF_CAP_MS;

  it("are the longest a call of the clients as built can take: every attempt timed out, every pause at the SDK's cap", async () => {
    const [s3] = createS3Clients(1, { region: REGION, credentials });
    const dynamodb = new DynamoDBClient({ region: REGION, credentials, ...serviceClientOptions() });

    expect(S3_CALL_BOUND_MS).toBe(worstCall(await s3.config.maxAttempts()));
    expect(DYNAMODB_CALL_BOUND_MS).toBe(worstCall(await dynamodb.config.maxAttempts()));
  });

  it('are the 5 minutes of an S3 call and the 3 minutes of a DynamoDB call that the delete waits are made of', () => {
    expect([S3_CALL_BOUND_MS, DYNAMODB_CALL_BOUND_MS]).toEqual([5 * 60_000, 3 * 60_000]);
  });
});
