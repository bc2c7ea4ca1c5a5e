/**
 * The world the handler's tests run in, built one way: the S3 and DynamoDB fakes (fakes.ts) writing to one call
 * log, a Glue mock, the log lines, and the `Deps` a run takes, of the parts the handler's are made of (a
 * BucketApi over a pool of S3 clients, the state store over a DocumentClient). What differs from one file to
 * the next is a parameter: the clock, the run ids, the size of the S3 client pool. Pauses are recorded, never
 * waited for.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CdkCustomResourceIsCompleteEvent } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { isComplete } from '../../../lib/bucket-logging/handler';
import type { Deps } from '../../../lib/bucket-logging/handler/run';
import { BucketApi, createS3Clients } from '../../../lib/bucket-logging/handler/s3';
import { DynamoStateStore } from '../../../lib/bucket-logging/handler/state';
import type { BucketLoggingConfig } from '../../../lib/bucket-logging/types';
import { bucketLoggingConfig } from '../../util/bucket-logging-config';
import { FakeS3, FakeTable } from './fakes';

export const REGION = 'us-east-1';
/** The log bucket the handler's configuration names. */
export const TARGET = 's3-access-logs-111122223333-us-east-1';
/** Any credentials: the SDK wants some before it sends, and every call is answered by a mock or a stub. */
export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** The time a world starts at unless a test moves its clock. */
export const START = Date.parse('2026-11-25T10:00:00Z');
/** Lambda's 15 minutes. */
export const FULL_TIME = { getRemainingTimeInMillis: () => 900_000 };

/** The logging configuration the handler gives `bucket` under `handlerConfig()`. */
export const wanted = (bucket: string): LoggingEnabled => ({
  TargetBucket: TARGET,
  TargetPrefix: `${bucket}/`,
  TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
});

/** The handler's configuration for REGION and TARGET, as the construct writes it by default, with `overrides`. */
export function handlerConfig(overrides: Partial<BucketLoggingConfig> = {}): BucketLoggingConfig {
  return bucketLoggingConfig({ region: REGION, targetBucket: TARGET, ...overrides });
}

/** A DynamoDB document client (its `send` answered by the FakeTable while one is up). */
export const documentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: REGION, credentials }));

/** The state store over the table `state`. */
export const stateStore = (): DynamoStateStore => new DynamoStateStore(documentClient(), 'state');

/** The isComplete event of a custom resource request, as the Provider framework sends it. */
export function isCompleteEvent(
  requestType: 'Create' | 'Update' | 'Delete',
  config: BucketLoggingConfig,
  requestId: string = requestType,
): CdkCustomResourceIsCompleteEvent {
  return {
    RequestType: requestType,
    RequestId: requestId,
    PhysicalResourceId: 'bucket-logging:us-east-1:state',
    ResourceProperties: { ServiceToken: 'arn', Config: JSON.stringify(config) },
  } as unknown as CdkCustomResourceIsCompleteEvent;
}

/**
 * A custom resource request as the Provider framework runs it: isComplete again and again, `wait` between two
 * calls (the test's clock moving on), until complete; a request that never completes fails the test.
 */
export async function untilComplete(
  event: CdkCustomResourceIsCompleteEvent,
  deps: () => Deps,
  wait: () => void,
) {
  for (let call = 0; call < 100; call++) {
    const response = await isComplete(event, FULL_TIME, deps);
    if (response.IsComplete) return response;
    wait();
  }
  throw new Error(`${event.RequestType} never completed`);
}

export type GlueMock = AwsClientStub<GlueClient>;
/** The structured log lines of a run, in order. */
export type LogLines = Array<Record<string, unknown>>;

export interface HandlerWorldOptions {
  /**
   * The S3 clients in the pool (the handler makes one per worker).
   * @default 4
   */
  readonly clients?: number;
  /**
   * The clock; a test that moves time passes `() => clock` over a variable of its own.
   * @default () => START
   */
  readonly now?: () => number;
  /**
   * The run ids.
   * @default '00000000-run', '00000001-run', ... (one more each call)
   */
  readonly newId?: () => string;
}

export interface HandlerWorld {
  /** Every S3 and DynamoDB call, in order: `Operation bucket` or `PutItem pk`. */
  readonly calls: string[];
  /** The account's buckets; the log bucket TARGET is there, tagged as one. */
  readonly s3: FakeS3;
  /** The state table. */
  readonly table: FakeTable;
  /** The Glue API, reset: a test says what it answers. */
  readonly glue: GlueMock;
  /** `deps.state`. */
  readonly store: DynamoStateStore;
  /** What the run logged. */
  readonly logs: LogLines;
  /** Each pause the run asked for, in ms; none is waited for. */
  readonly pauses: number[];
  /** What a run is given: every client answered by the fakes and the Glue mock. */
  readonly deps: Deps;
  /** Puts the clients' own `send` back (in afterEach). */
  restore(): void;
}

/**
 * A fresh world for one test. The mocks replace `send` on the clients' prototypes, so every client the code
 * makes is answered by them, and the world's `restore` must run after the test. aws-sdk-client-mock replaces an
 * earlier stub of the same prototype without a word (the earlier mock then configures and records nothing), so
 * a file keeps one world alive at a time and none of its own `mockClient` of these clients.
 */
export function handlerWorld(options: HandlerWorldOptions = {}): HandlerWorld {
  const calls: string[] = [];
  const s3 = new FakeS3(calls).add(TARGET, { tags: { 's3-access-logs:role': 'log-target' } });
  const table = new FakeTable(calls);
  const glue = mockClient(GlueClient);
  const store = stateStore();
  const logs: LogLines = [];
  const pauses: number[] = [];
  let ids = 0;
  const deps: Deps = {
    s3: new BucketApi(createS3Clients(options.clients ?? 4, { region: REGION, credentials }), REGION),
    state: store,
    glue: new GlueClient({ region: REGION, credentials }),
    log: (entry) => logs.push(entry),
    now: options.now ?? (() => START),
    newId: options.newId ?? (() => `0000000${ids++}-run`),
    sleep: async (ms) => {
      pauses.push(ms);
    },
  };
  const restore = () => {
    s3.mock.restore();
    table.mock.restore();
    glue.restore();
  };
  return { calls, s3, table, glue, store, logs, pauses, deps, restore };
}
