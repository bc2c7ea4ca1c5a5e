/**
 * The durable state of bucket logging, in a DynamoDB table (not in the log bucket: its lifecycle rule expires
 * every object and cannot exclude a prefix). Three kinds of items, by partition key `pk`:
 * - `bucket#<name>`: the bucket's logging configuration from before we first changed it, and what we applied.
 * - `run#<key>`: the progress of a run that spans invocations, with a lease so that two invocations never
 *   work on the same run.
 * - `settings`: the fence. A deploy run writes its generation (its run key) and the settings' fingerprint
 *   when it starts; delete marks it deleted. Every record write reads it first (strongly consistent), so a
 *   run with stale settings (an old sweep, an event, a superseded or orphaned deploy run) stands down, and a
 *   record write that read it before the delete marker lands within FENCE_WINDOW_MS of it (fence.ts), which
 *   the delete waits out before it looks for records. Not a transaction with a check of the settings item:
 *   every writer's transaction would include that one item, and DynamoDB cancels a transaction on an item
 *   another one is using (`TransactionConflict`), so concurrent writers would fail one another.
 * Every item carries a schema version and is parsed on read (schema.ts): an item written by an older release
 * is migrated, one from a newer release stops the run with the table's name and the version.
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
import { previousAfterChange, targetsAfterChange } from './decide';
import { errorFacts } from './errors';
import { DELETED_FINGERPRINT, fenceHolds, StaleSettingsError, type WriteFence } from './fence';
import type { RunProgress, Trigger } from './progress';
import {
  parseRecordItem,
  parseRunItem,
  parseSettingsItem,
  RECORD_SCHEMA,
  RUN_SCHEMA,
  SETTINGS_SCHEMA,
  type Settings,
} from './schema';

export interface BucketRecord {
  readonly bucket: string;
  /**
   * The configuration before our first change; null when logging was off. Never overwritten with our own
   * configuration; replaced only when someone reconfigured the bucket after us and we change it again.
   */
  readonly previous: LoggingEnabled | null;
  /** What we applied last (recorded before the PutBucketLogging, which may have failed). */
  readonly applied: LoggingEnabled;
  /** Every log bucket we applied, oldest first; see `BucketRecordView.targets`. */
  readonly targets: readonly string[];
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
  return {
    bucket,
    previous,
    applied,
    targets: targetsAfterChange([], applied),
    version: 1,
    recordedAt: at,
    updatedAt: at,
    source,
  };
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
    targets: targetsAfterChange(existing.targets, applied),
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
    fence: WriteFence,
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
  /** The settings item (the fence); undefined when no deploy of this release has run. */
  getSettings(): Promise<Settings | undefined>;
  /** A deploy run's first invocation: its generation and settings become the resource's. */
  startDeploy(generation: string, fingerprint: string, at: string): Promise<void>;
  /**
   * Marks the resource deleted (idempotent per `generation`, the delete's run key: a retry keeps the first
   * time) and returns the settings item as it is now.
   */
  markDeleted(generation: string, at: string): Promise<Settings>;
}

/** True when the resource is being deleted (or was). */
export async function isDeleted(state: StateStore): Promise<boolean> {
  return (await state.getSettings())?.deleted === true;
}

export { DELETED_FINGERPRINT, fenceHolds, StaleSettingsError, type WriteFence } from './fence';

export const BUCKET_PK_PREFIX = 'bucket#';
export const RUN_PK_PREFIX = 'run#';
export const SETTINGS_PK = 'settings';
/** Items examined per Scan page on delete. */
const SCAN_PAGE = 1000;
const CONDITION_FAILED = 'ConditionalCheckFailedException';

/** Version conflicts a record write retries: a sweep, an event and a deploy may meet on one bucket. */
export const RECORD_WRITE_ATTEMPTS = 3;

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
    return out.Item ? parseRecordItem(out.Item, this.tableName) : undefined;
  }

  async recordChange(
    bucket: string,
    previous: LoggingEnabled | null,
    applied: LoggingEnabled,
    source: Trigger,
    at: string,
    fence: WriteFence,
  ): Promise<void> {
    const pk = BUCKET_PK_PREFIX + bucket;
    const first = firstRecord(bucket, previous, applied, source, at);
    if (await this.putRecord(pk, first, 'attribute_not_exists(#pk)', {}, fence)) return;
    // A record exists: keep its `previous` (the configuration from before us) unless someone reconfigured the
    // bucket since our last change, update what we applied, and only if nobody wrote it since we read it.
    for (let attempt = 0; attempt < RECORD_WRITE_ATTEMPTS; attempt++) {
      const existing = await this.getRecord(bucket);
      if (existing === undefined) {
        if (await this.putRecord(pk, first, 'attribute_not_exists(#pk)', {}, fence)) return;
        continue;
      }
      const next = recordAfterChange(existing, previous, applied, at);
      if (await this.putRecord(pk, next, '#record.#version = :v', { ':v': existing.version }, fence)) return;
    }
    throw new StateConflictError(`state record of ${bucket} kept changing; not changing its logging`);
  }

  /**
   * The fence, then the record with its own condition (a plain conditional PutItem). False when the record's
   * condition failed (another writer); StaleSettingsError when the fence does not hold. The settings are read
   * before every attempt: a writer that lost a race to a newer deploy run finds that run's settings.
   */
  private async putRecord(
    pk: string,
    record: BucketRecord,
    condition: string,
    values: Record<string, unknown>,
    fence: WriteFence,
  ): Promise<boolean> {
    if (fence.kind === 'delete') throw new StaleSettingsError('a delete writes no bucket record');
    if (!fenceHolds(await this.getSettings(), fence)) {
      throw new StaleSettingsError(
        `the settings of this run are no longer the resource's (${fence.kind} ${
          fence.kind === 'fingerprint' ? fence.fingerprint : fence.generation
        }): a newer deployment or the delete took over`,
      );
    }
    return this.putIf(pk, { schema: RECORD_SCHEMA, record }, condition, values);
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
    const item = out.Item ? parseRunItem(out.Item, this.tableName) : undefined;
    if (item && item.leaseUntil > now && item.lease !== holder) return undefined;
    const progress = item?.progress ?? null;
    const attributes = { schema: RUN_SCHEMA, lease: holder, leaseUntil: until, progress };
    const claimed = item
      ? await this.putIf(pk, attributes, '#lease = :old', { ':old': item.lease })
      : await this.putIf(pk, attributes, 'attribute_not_exists(#pk)', {});
    return claimed ? { progress } : undefined;
  }

  async saveRun(key: string, holder: string, until: number, progress: RunProgress): Promise<void> {
    const pk = RUN_PK_PREFIX + key;
    if (
      !(await this.putIf(
        pk,
        { schema: RUN_SCHEMA, lease: holder, leaseUntil: until, progress },
        '#lease = :me',
        {
          ':me': holder,
        },
      ))
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
    return out.Item !== undefined && parseRunItem(out.Item, this.tableName).leaseUntil > now;
  }

  async getSettings(): Promise<Settings | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: SETTINGS_PK }, ConsistentRead: true }),
    );
    return out.Item ? parseSettingsItem(out.Item, this.tableName) : undefined;
  }

  async startDeploy(generation: string, fingerprint: string, at: string): Promise<void> {
    const settings: Settings = { generation, fingerprint, deleted: false, at };
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: SETTINGS_PK, schema: SETTINGS_SCHEMA, ...settings },
      }),
    );
  }

  async markDeleted(generation: string, at: string): Promise<Settings> {
    const current = await this.getSettings();
    if (current?.deleted && current.generation === generation) return current;
    const settings: Settings = { generation, fingerprint: DELETED_FINGERPRINT, deleted: true, at };
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: SETTINGS_PK, schema: SETTINGS_SCHEMA, ...settings },
      }),
    );
    return settings;
  }

  /** A conditional PutItem; false when the condition failed. */
  private async putIf(
    pk: string,
    attributes: Record<string, unknown>,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const names = namesIn(condition);
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

/** `#name` placeholders of an expression, each mapped to the attribute of the same name. */
function namesIn(expression: string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [placeholder, name] of expression.matchAll(/#([A-Za-z_][A-Za-z0-9_]*)/g))
    names[placeholder] = name;
  return names;
}
