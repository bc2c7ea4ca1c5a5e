/**
 * aws-sdk-client-mock behaviours for the handler tests: an S3 account (buckets with a Region, tags and a
 * logging configuration) and a DynamoDB table that evaluates the exact condition expressions the state store
 * writes, so that conditional writes are exercised rather than assumed.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetBucketLoggingCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  type LoggingEnabled,
  PutBucketLoggingCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

export interface FakeBucket {
  region: string;
  tags: Record<string, string>;
  logging?: LoggingEnabled;
}

/** An S3 error as the SDK raises it. */
export function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} (test)`,
  });
}

type S3Op = 'GetBucketLogging' | 'GetBucketTagging' | 'PutBucketLogging' | 'ListBuckets';

export class FakeS3 {
  readonly buckets = new Map<string, FakeBucket>();
  readonly mock = mockClient(S3Client);
  /** Errors to raise, in order, per `Operation bucket` (or `ListBuckets`). */
  readonly faults = new Map<string, Error[]>();
  /** Every call, in order: `Operation bucket`. */
  readonly calls: string[];
  readonly reports = new Map<string, unknown>();
  pageSize = 1000;
  /** Answer ListBuckets with every Region's buckets, as if S3 ignored BucketRegion. */
  ignoreRegionFilter = false;

  constructor(calls: string[] = []) {
    this.calls = calls;
    const m = this.mock;
    m.on(ListBucketsCommand).callsFake((input) => {
      this.fault('ListBuckets', '');
      const names = [...this.buckets.keys()]
        .sort()
        .filter((n) => !input.Prefix || n.startsWith(input.Prefix))
        .filter(
          (n) =>
            this.ignoreRegionFilter ||
            !input.BucketRegion ||
            this.buckets.get(n)!.region === input.BucketRegion,
        );
      const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const size = Math.min(input.MaxBuckets ?? 10_000, this.pageSize);
      const page = names.slice(start, start + size);
      return {
        Buckets: page.map((Name) => ({ Name, BucketRegion: this.buckets.get(Name)!.region })),
        ContinuationToken: start + size < names.length ? String(start + size) : undefined,
      };
    });
    m.on(GetBucketTaggingCommand).callsFake(({ Bucket }) => {
      const bucket = this.bucket('GetBucketTagging', Bucket!);
      if (Object.keys(bucket.tags).length === 0) throw s3Error('NoSuchTagSet', 404);
      return { TagSet: Object.entries(bucket.tags).map(([Key, Value]) => ({ Key, Value })) };
    });
    m.on(GetBucketLoggingCommand).callsFake(({ Bucket }) => ({
      LoggingEnabled: structuredClone(this.bucket('GetBucketLogging', Bucket!).logging),
    }));
    m.on(PutBucketLoggingCommand).callsFake(({ Bucket, BucketLoggingStatus }) => {
      this.bucket('PutBucketLogging', Bucket!).logging = structuredClone(BucketLoggingStatus?.LoggingEnabled);
      return {};
    });
    m.on(PutObjectCommand).callsFake(({ Bucket, Key, Body }) => {
      this.calls.push(`PutObject ${Bucket}/${Key}`);
      this.reports.set(Key!, JSON.parse(String(Body)));
      return {};
    });
  }

  add(name: string, bucket: Partial<FakeBucket> = {}): this {
    this.buckets.set(name, { region: 'us-east-1', tags: {}, ...bucket });
    return this;
  }

  /** Makes the next calls of `op` on `bucket` fail with these errors, one per call. */
  failNext(op: S3Op, bucket: string, ...errors: Error[]): this {
    this.faults.set(`${op} ${bucket}`, errors);
    return this;
  }

  count(op: S3Op, bucket?: string): number {
    return this.calls.filter((c) => (bucket ? c === `${op} ${bucket}` : c.startsWith(`${op} `) || c === op))
      .length;
  }

  private fault(op: string, bucket: string): void {
    const key = bucket ? `${op} ${bucket}` : op;
    this.calls.push(key);
    const error = this.faults.get(key)?.shift();
    if (error) throw error;
  }

  private bucket(op: S3Op, name: string): FakeBucket {
    this.fault(op, name);
    const bucket = this.buckets.get(name);
    if (!bucket) throw s3Error('NoSuchBucket', 404);
    return bucket;
  }
}

type Item = Record<string, unknown> & { pk: string };
type Values = Record<string, unknown>;

/** The conditions DynamoStateStore writes, evaluated; any other expression fails the test. */
const CONDITIONS: Record<string, (item: Item | undefined, values: Values) => boolean> = {
  'attribute_not_exists(#pk)': (item) => item === undefined,
  '#record.#version = :v': (item, v) =>
    (item?.record as { version?: number } | undefined)?.version === v[':v'],
  '#lease = :old': (item, v) => item?.lease === v[':old'],
  '#lease = :me': (item, v) => item?.lease === v[':me'],
};

function check(condition: string | undefined, item: Item | undefined, values: Values = {}): void {
  if (condition === undefined) return;
  const predicate = CONDITIONS[condition];
  if (!predicate) throw new Error(`fake table: unknown condition ${condition}`);
  if (!predicate(item, values)) {
    throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  }
}

export class FakeTable {
  readonly items = new Map<string, Item>();
  readonly mock = mockClient(DynamoDBDocumentClient);

  constructor(calls: string[] = []) {
    const m = this.mock;
    m.on(GetCommand).callsFake(({ Key }) => ({ Item: structuredClone(this.items.get(Key!.pk as string)) }));
    m.on(PutCommand).callsFake(({ Item, ConditionExpression, ExpressionAttributeValues }) => {
      const item = Item as Item;
      check(ConditionExpression, this.items.get(item.pk), ExpressionAttributeValues);
      calls.push(`PutItem ${item.pk}`);
      this.items.set(item.pk, structuredClone(item));
      return {};
    });
    m.on(DeleteCommand).callsFake(({ Key, ConditionExpression, ExpressionAttributeValues }) => {
      const pk = Key!.pk as string;
      check(ConditionExpression, this.items.get(pk), ExpressionAttributeValues);
      calls.push(`DeleteItem ${pk}`);
      this.items.delete(pk);
      return {};
    });
    m.on(ScanCommand).callsFake(({ ExclusiveStartKey, Limit, ExpressionAttributeValues }) => {
      const keys = [...this.items.keys()].sort();
      const start = ExclusiveStartKey ? keys.indexOf(ExclusiveStartKey.pk as string) + 1 : 0;
      const examined = keys.slice(start, start + (Limit ?? keys.length));
      const prefix = String(ExpressionAttributeValues?.[':prefix'] ?? '');
      return {
        Items: examined.filter((k) => k.startsWith(prefix)).map((pk) => ({ pk })),
        LastEvaluatedKey:
          start + examined.length < keys.length ? { pk: examined[examined.length - 1] } : undefined,
      };
    });
  }

  record(
    bucket: string,
  ): { previous: LoggingEnabled | null; applied: LoggingEnabled; version: number } | undefined {
    return this.items.get(`bucket#${bucket}`)?.record as never;
  }
}
