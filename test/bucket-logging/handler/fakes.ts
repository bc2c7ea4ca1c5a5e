/**
 * aws-sdk-client-mock behaviours for the handler tests: an S3 account (buckets with a Region, tags and a
 * logging configuration) and a DynamoDB table that evaluates the exact condition expressions the state store
 * writes, so that conditional writes are exercised rather than assumed. The table refuses what DynamoDB
 * refuses (ValidationException): a `#name` or `:value` used but not defined, or defined but not used; a
 * reserved word used bare; an item over 400 KB. Transactions conflict as on DynamoDB: one that includes an item
 * another transaction is still working on is cancelled (`TransactionConflict`), and so is a plain write of that
 * item (`TransactionConflictException`); a transaction is in flight from its start to its commit (one turn of
 * the event loop here), so concurrent ones overlap as they do on the service.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
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
  TransactWriteCommand,
  type TransactWriteCommandInput,
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

/** A request held on its way: `reached` resolves when it is sent, and it goes on when `release` is called. */
export interface Held {
  readonly reached: Promise<void>;
  readonly release: () => void;
}

/** Requests held on their way, one at most per key, each for its next request only. */
class Holds {
  private readonly held = new Map<string, { reached: () => void; gate: Promise<void> }>();

  hold(key: string): Held {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((r) => {
      reached = r;
    });
    const gate = new Promise<void>((r) => {
      release = r;
    });
    this.held.set(key, { reached, gate });
    return { reached: reachedPromise, release };
  }

  /** The gate the request under `key` waits at, if one is held (once), after saying it was reached. */
  take(key: string): Promise<void> | undefined {
    const held = this.held.get(key);
    if (!held) return undefined;
    this.held.delete(key);
    held.reached();
    return held.gate;
  }
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
  /** Calls held until released, per `Operation bucket`; see `hold`. */
  private readonly holds = new Holds();
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
    m.on(PutBucketLoggingCommand).callsFake(async ({ Bucket, BucketLoggingStatus }) => {
      const gate = this.holds.take(`PutBucketLogging ${Bucket}`);
      if (gate) await gate;
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
    this.faults.set(bucket ? `${op} ${bucket}` : op, errors);
    return this;
  }

  /**
   * Holds the next PutBucketLogging of `bucket` on its way (sent, not yet applied): `reached` resolves when it
   * is sent, and the change lands when `release` is called.
   */
  hold(bucket: string): Held {
    return this.holds.hold(`PutBucketLogging ${bucket}`);
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

/**
 * DynamoDB's reserved words that could name an attribute of this table, from
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html (a subset of the ~570;
 * case-insensitive there as here).
 */
const RESERVED = new Set(
  (
    'ABORT ACTION ADD AFTER ALL AND AS AT ATTRIBUTE BEFORE BEGIN BETWEEN BUCKET BY CHECK CONDITION COUNT ' +
    'CREATE CURRENT CURSOR DATA DATE DAY DEFAULT DELETE DESC END ERROR EXISTS FAIL FALSE FILE FINAL ' +
    'FIRST FORMAT FROM GENERATION HASH IN INDEX KEY LAST LIMIT NAME NOT NULL NUMBER OR OWNER PATH RANGE ' +
    'RECORD REGION RETURN ROLE SCHEMA SET SIZE SOURCE STATE STATUS TABLE TIME TIMESTAMP TOKEN TRUE TTL ' +
    'TYPE UPDATE USER VALUE VALUES VERSION'
  ).split(' '),
);
/** Words of the expression grammar itself: functions are followed by `(`, these are operators. */
const OPERATORS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);

/** An error as DynamoDB raises it for a malformed request. */
function validation(message: string): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name: 'ValidationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message,
  });
}

interface Expressions {
  readonly expressions: Array<string | undefined>;
  readonly names?: Record<string, string>;
  readonly values?: Values;
}

/**
 * What DynamoDB checks of a request's expressions before it looks at any item: each expression given is not
 * empty, each attribute map given is not empty, every name and value used is defined and every one defined is
 * used, no `#name` stands for an empty name, no reserved word stands bare.
 */
export function validateExpressions({ expressions, names, values }: Expressions): void {
  if (expressions.includes('')) throw validation('Invalid expression: The expression can not be empty;');
  if (names !== undefined && Object.keys(names).length === 0)
    throw validation('ExpressionAttributeNames must not be empty');
  if (values !== undefined && Object.keys(values).length === 0)
    throw validation('ExpressionAttributeValues must not be empty');
  for (const [placeholder, name] of Object.entries(names ?? {})) {
    if (name === '')
      throw validation(
        `ExpressionAttributeNames contains invalid value: Empty attribute name for key ${placeholder}`,
      );
    // Not DynamoDB's rule, the fake's limit: it evaluates `#x` as the attribute `x`.
    if (name !== placeholder.slice(1))
      throw new Error(
        `fake table: ${placeholder} names ${name}; the fake evaluates it as ${placeholder.slice(1)}`,
      );
  }
  validateUse(expressions.filter((e): e is string => e !== undefined).join(' '), names ?? {}, values ?? {});
}

/** The names and values an expression uses against those a request defines, and its bare words. */
function validateUse(text: string, names: Record<string, string>, values: Values): void {
  const usedNames = new Set(text.match(/#[A-Za-z0-9_]+/g) ?? []);
  const usedValues = new Set(text.match(/:[A-Za-z0-9_]+/g) ?? []);
  for (const n of usedNames)
    if (!(n in names))
      throw validation(
        `An expression attribute name used in the document path is not defined; attribute name: ${n}`,
      );
  for (const v of usedValues)
    if (!(v in values))
      throw validation(
        `An expression attribute value used in expression is not defined; attribute value: ${v}`,
      );
  const unusedNames = Object.keys(names).filter((n) => !usedNames.has(n));
  if (unusedNames.length > 0)
    throw validation(
      `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`,
    );
  const unusedValues = Object.keys(values).filter((v) => !usedValues.has(v));
  if (unusedValues.length > 0)
    throw validation(
      `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`,
    );
  for (const match of text.matchAll(/(^|[^#:A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g)) {
    const word = match[2].toUpperCase();
    if (match[3] !== undefined || OPERATORS.has(word)) continue;
    if (RESERVED.has(word))
      throw validation(
        `Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: ${match[2]}`,
      );
  }
}

/** DynamoDB's item size limit, and the size it counts: attribute names plus values (UTF-8). */
export const MAX_ITEM_BYTES = 400 * 1024;
function checkSize(item: Item): void {
  const bytes = Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(JSON.stringify(value) ?? ''),
    0,
  );
  if (bytes > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
}

function holds(condition: string | undefined, item: Item | undefined, values: Values = {}): boolean {
  if (condition === undefined) return true;
  const predicate = CONDITIONS[condition];
  if (!predicate) throw new Error(`fake table: unknown condition ${condition}`);
  return predicate(item, values);
}

function check(condition: string | undefined, item: Item | undefined, values: Values = {}): void {
  if (!holds(condition, item, values)) {
    throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  }
}

/** DynamoDB refuses a key that is not the table's: one string attribute `pk` (lib/bucket-logging/bucket-logging.ts). */
function validateKey(key: unknown, what: 'key' | 'starting key'): void {
  const isTableKey =
    typeof key === 'object' &&
    key !== null &&
    Object.keys(key).length === 1 &&
    typeof (key as { pk?: unknown }).pk === 'string';
  if (isTableKey) return;
  // The handler's client drops undefined values, so `{ pk: undefined }` arrives as `{}`.
  throw validation(
    what === 'key'
      ? 'The provided key element does not match the schema'
      : 'The provided starting key is invalid: The provided key element does not match the schema',
  );
}

interface ConditionalInput {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Values;
}
const validateConditional = (i: ConditionalInput) =>
  validateExpressions({
    expressions: [i.ConditionExpression],
    names: i.ExpressionAttributeNames,
    values: i.ExpressionAttributeValues,
  });

export class FakeTable {
  readonly items = new Map<string, Item>();
  readonly mock = mockClient(DynamoDBDocumentClient);
  /** Errors to raise, in order, on the next writes of an item (by `pk`). */
  readonly faults = new Map<string, Error[]>();
  /** Items a transaction is working on (between its start and its commit or cancellation). */
  private readonly inTransaction = new Set<string>();
  /** Writes held on their way, per `pk`; see `hold`. */
  private readonly holds = new Holds();

  /** Makes the next writes of the item `pk` fail with these errors, one per write. */
  failWrites(pk: string, ...errors: Error[]): this {
    this.faults.set(pk, errors);
    return this;
  }

  /**
   * Holds the next PutItem of the item `pk` on its way (sent, its condition not yet evaluated): `reached`
   * resolves when it is sent, and it is evaluated and applied when `release` is called.
   */
  hold(pk: string): Held {
    return this.holds.hold(pk);
  }

  private async held(pk: string): Promise<void> {
    const gate = this.holds.take(pk);
    if (gate) await gate;
  }

  private fault(pk: string): void {
    const error = this.faults.get(pk)?.shift();
    if (error) throw error;
  }

  /** A plain write of an item that a transaction is working on: DynamoDB refuses it. */
  private notInTransaction(pk: string): void {
    if (this.inTransaction.has(pk)) {
      throw new TransactionConflictException({
        message: 'Transaction is ongoing for the item',
        $metadata: { httpStatusCode: 400 },
      });
    }
  }

  /**
   * TransactWriteItems: cancelled with `TransactionConflict` on each item another transaction is working on;
   * otherwise every condition is evaluated at commit, one turn of the event loop after the start.
   */
  private async transact({ TransactItems }: TransactWriteCommandInput, calls: string[]): Promise<object> {
    const actions = (TransactItems ?? []).map((action) => {
      const part = action.ConditionCheck ?? action.Put ?? action.Delete;
      if (!part) throw validation('fake table: only ConditionCheck, Put and Delete are implemented');
      validateConditional(part);
      if (!action.Put) validateKey((part as { Key?: unknown }).Key, 'key');
      if (action.Put) checkSize(action.Put.Item as Item);
      const pk = (
        action.Put ? (action.Put.Item as Item).pk : (part as unknown as { Key: Item }).Key.pk
      ) as string;
      return { action, part, pk };
    });
    const busy = actions.map(({ pk }) => this.inTransaction.has(pk));
    if (busy.some(Boolean)) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: busy.map((b) =>
          b
            ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
            : { Code: 'None' },
        ),
      });
    }
    const pks = actions.map(({ pk }) => pk);
    for (const pk of pks) this.inTransaction.add(pk);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      const reasons = actions.map(({ action, part, pk }) => {
        if (action.Put) this.fault(pk);
        return holds(part.ConditionExpression, this.items.get(pk), part.ExpressionAttributeValues)
          ? { Code: 'None' }
          : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
      });
      if (reasons.some((r) => r.Code !== 'None')) {
        throw new TransactionCanceledException({
          message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: reasons,
        });
      }
      for (const { action, pk } of actions) {
        if (action.Put) {
          calls.push(`PutItem ${pk}`);
          this.items.set(pk, structuredClone(action.Put.Item as Item));
        } else if (action.Delete) {
          calls.push(`DeleteItem ${pk}`);
          this.items.delete(pk);
        }
      }
      return {};
    } finally {
      for (const pk of pks) this.inTransaction.delete(pk);
    }
  }

  constructor(calls: string[] = []) {
    const m = this.mock;
    m.on(GetCommand).callsFake(({ Key }) => {
      validateKey(Key, 'key');
      return { Item: structuredClone(this.items.get(Key!.pk as string)) };
    });
    m.on(PutCommand).callsFake(async (input) => {
      const item = input.Item as Item;
      validateConditional(input);
      checkSize(item);
      await this.held(item.pk);
      this.notInTransaction(item.pk);
      this.fault(item.pk);
      check(input.ConditionExpression, this.items.get(item.pk), input.ExpressionAttributeValues);
      calls.push(`PutItem ${item.pk}`);
      this.items.set(item.pk, structuredClone(item));
      return {};
    });
    m.on(DeleteCommand).callsFake((input) => {
      validateKey(input.Key, 'key');
      const pk = input.Key!.pk as string;
      validateConditional(input);
      this.notInTransaction(pk);
      check(input.ConditionExpression, this.items.get(pk), input.ExpressionAttributeValues);
      calls.push(`DeleteItem ${pk}`);
      this.items.delete(pk);
      return {};
    });
    m.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => this.transact(input, calls));
    m.on(ScanCommand).callsFake((input) => {
      validateExpressions({
        expressions: [input.FilterExpression, input.ProjectionExpression],
        names: input.ExpressionAttributeNames,
        values: input.ExpressionAttributeValues,
      });
      if (input.ExclusiveStartKey !== undefined) validateKey(input.ExclusiveStartKey, 'starting key');
      const { ExclusiveStartKey, Limit, ExpressionAttributeValues } = input;
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
  ):
    | { previous: LoggingEnabled | null; applied: LoggingEnabled; targets: string[]; version: number }
    | undefined {
    return this.items.get(`bucket#${bucket}`)?.record as never;
  }
}
