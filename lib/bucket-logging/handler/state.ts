/**
 * The durable state of bucket logging, in a DynamoDB table (not in the log bucket: its lifecycle rule expires
 * every object and cannot exclude a prefix). Three kinds of items, by partition key `pk`:
 * - `bucket#<name>`: the bucket's logging configuration from before we first changed it, and what we applied.
 * - `run#<key>`: the progress of a run that spans invocations, with a lease so that two invocations never
 *   work on the same run.
 * - `deleted`: set while the custom resource is being deleted, so that a late sweep or event stays away.
 * Every write that could race is conditional; the `StateStore` interface lets the benchmark use memory.
 */
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { earlierAfterChange, previousAfterChange } from './decide';
import { errorFacts } from './errors';
import type { RunProgress, Trigger } from './progress';

export interface BucketRecord {
  readonly bucket: string;
  /**
   * The configuration before our first change; null when logging was off. Never overwritten with our own
   * configuration; replaced only when someone reconfigured the bucket after us and we change it again.
   */
  readonly previous: LoggingEnabled | null;
  /** What we applied last (recorded before the PutBucketLogging, which may have failed). */
  readonly applied: LoggingEnabled;
  /** What we applied before `applied`; see `BucketRecordView.earlier`. */
  readonly earlier?: LoggingEnabled;
  /** Bumped on every write, for optimistic locking. */
  readonly version: number;
  readonly recordedAt: string;
  readonly updatedAt: string;
  /** What wrote the record first. */
  readonly source: Trigger;
}

/** A bucket's first record: what it had before us (`previous`) and what we apply now. */
export function firstRecord(
  bucket: string,
  previous: LoggingEnabled | null,
  applied: LoggingEnabled,
  source: Trigger,
  at: string,
): BucketRecord {
  return { bucket, previous, applied, version: 1, recordedAt: at, updatedAt: at, source };
}

/**
 * The record after we change the bucket again: `previous` stays the configuration from before us unless someone
 * reconfigured the bucket since our last change (see `previousAfterChange`). Every StateStore writes this.
 */
export function recordAfterChange(
  existing: BucketRecord,
  current: LoggingEnabled | null,
  applied: LoggingEnabled,
  at: string,
): BucketRecord {
  return {
    ...existing,
    previous: previousAfterChange(existing, current, applied),
    applied,
    earlier: earlierAfterChange(existing, applied),
    updatedAt: at,
    version: existing.version + 1,
  };
}

/** A run's lease and saved progress. */
export interface ClaimedRun {
  /** null when the run has no saved progress (a new run). */
  readonly progress: RunProgress | null;
}

export interface StateStore {
  getRecord(bucket: string): Promise<BucketRecord | undefined>;
  /**
   * Records, before a change, what the bucket has now and what we are about to apply. Our own configuration
   * never replaces the record's `previous`: a later call (the sweep after the CreateBucket event, or the
   * reverse, or an update of our settings) only updates `applied`; see `previousAfterChange`.
   */
  recordChange(
    bucket: string,
    previous: LoggingEnabled | null,
    applied: LoggingEnabled,
    source: Trigger,
    at: string,
  ): Promise<void>;
  deleteRecord(bucket: string): Promise<void>;
  /** One page of the buckets that have a record. */
  recordedBuckets(token: string | undefined): Promise<{ names: string[]; next?: string }>;
  /** Takes the run's lease until `until`; undefined when another invocation holds it. */
  claimRun(key: string, holder: string, until: number, now: number): Promise<ClaimedRun | undefined>;
  /** Saves progress and keeps (or, with `until` 0, releases) the lease. */
  saveRun(key: string, holder: string, until: number, progress: RunProgress): Promise<void>;
  /** Removes a finished run. */
  finishRun(key: string, holder: string): Promise<void>;
  /** True when some invocation holds the run's lease. */
  runBusy(key: string, now: number): Promise<boolean>;
  setDeleted(deleted: boolean, at: string): Promise<void>;
  isDeleted(): Promise<boolean>;
}

export const BUCKET_PK_PREFIX = 'bucket#';
export const RUN_PK_PREFIX = 'run#';
export const DELETED_PK = 'deleted';
/** Items examined per Scan page on delete. */
const SCAN_PAGE = 1000;
const CONDITION_FAILED = 'ConditionalCheckFailedException';

/** A conditional write that lost a race with another writer. */
export class StateConflictError extends Error {
  readonly name = 'StateConflict';
}

export class DynamoStateStore implements StateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getRecord(bucket: string): Promise<BucketRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: BUCKET_PK_PREFIX + bucket },
        ConsistentRead: true,
      }),
    );
    return out.Item ? (out.Item.record as BucketRecord) : undefined;
  }

  async recordChange(
    bucket: string,
    previous: LoggingEnabled | null,
    applied: LoggingEnabled,
    source: Trigger,
    at: string,
  ): Promise<void> {
    const first = firstRecord(bucket, previous, applied, source, at);
    if (await this.putIf(BUCKET_PK_PREFIX + bucket, { record: first }, 'attribute_not_exists(#pk)', {}))
      return;
    // A record exists: keep its `previous` (the configuration from before us) unless someone reconfigured the
    // bucket since our last change, update what we applied, and only if nobody wrote it since we read it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await this.getRecord(bucket);
      if (existing === undefined) {
        if (await this.putIf(BUCKET_PK_PREFIX + bucket, { record: first }, 'attribute_not_exists(#pk)', {}))
          return;
        continue;
      }
      const next = recordAfterChange(existing, previous, applied, at);
      if (
        await this.putIf(BUCKET_PK_PREFIX + bucket, { record: next }, '#record.#version = :v', {
          ':v': existing.version,
        })
      ) {
        return;
      }
    }
    throw new StateConflictError(`state record of ${bucket} kept changing; not changing its logging`);
  }

  async deleteRecord(bucket: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: BUCKET_PK_PREFIX + bucket } }),
    );
  }

  async recordedBuckets(token: string | undefined): Promise<{ names: string[]; next?: string }> {
    const out = await this.db.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: SCAN_PAGE,
        ExclusiveStartKey: token === undefined ? undefined : { pk: token },
        FilterExpression: 'begins_with(#pk, :prefix)',
        ProjectionExpression: '#pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':prefix': BUCKET_PK_PREFIX },
      }),
    );
    const names = (out.Items ?? []).map((i) => String(i.pk).slice(BUCKET_PK_PREFIX.length));
    const next = out.LastEvaluatedKey?.pk;
    return { names, next: typeof next === 'string' ? next : undefined };
  }

  async claimRun(key: string, holder: string, until: number, now: number): Promise<ClaimedRun | undefined> {
    const pk = RUN_PK_PREFIX + key;
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true }),
    );
    const item = out.Item;
    if (item && item.leaseUntil > now && item.lease !== holder) return undefined;
    const progress = (item?.progress as RunProgress | undefined) ?? null;
    const claimed = item
      ? await this.putIf(pk, { lease: holder, leaseUntil: until, progress }, '#lease = :old', {
          ':old': item.lease,
        })
      : await this.putIf(pk, { lease: holder, leaseUntil: until, progress }, 'attribute_not_exists(#pk)', {});
    return claimed ? { progress } : undefined;
  }

  async saveRun(key: string, holder: string, until: number, progress: RunProgress): Promise<void> {
    const pk = RUN_PK_PREFIX + key;
    if (
      !(await this.putIf(pk, { lease: holder, leaseUntil: until, progress }, '#lease = :me', {
        ':me': holder,
      }))
    ) {
      throw new StateConflictError(`lost the lease of run ${key}`);
    }
  }

  async finishRun(key: string, holder: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: RUN_PK_PREFIX + key },
          ConditionExpression: '#lease = :me',
          ExpressionAttributeNames: { '#lease': 'lease' },
          ExpressionAttributeValues: { ':me': holder },
        }),
      );
    } catch (err) {
      if (errorFacts(err).code !== CONDITION_FAILED) throw err;
    }
  }

  async runBusy(key: string, now: number): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: RUN_PK_PREFIX + key }, ConsistentRead: true }),
    );
    return out.Item !== undefined && out.Item.leaseUntil > now;
  }

  async setDeleted(deleted: boolean, at: string): Promise<void> {
    const Key = { pk: DELETED_PK };
    if (deleted) await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...Key, at } }));
    else await this.db.send(new DeleteCommand({ TableName: this.tableName, Key }));
  }

  async isDeleted(): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: DELETED_PK }, ConsistentRead: true }),
    );
    return out.Item !== undefined;
  }

  /** A conditional PutItem; false when the condition failed. */
  private async putIf(
    pk: string,
    attributes: Record<string, unknown>,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    for (const name of ['pk', 'lease', 'record', 'version']) {
      if (condition.includes(`#${name}`)) names[`#${name}`] = name;
    }
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk, ...attributes },
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
        }),
      );
      return true;
    } catch (err) {
      if (errorFacts(err).code === CONDITION_FAILED) return false;
      throw err;
    }
  }
}
