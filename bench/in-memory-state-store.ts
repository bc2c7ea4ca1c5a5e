/**
 * The benchmark's state table: an in-memory implementation of the handler's StateStore interface, with the same
 * semantics as DynamoStateStore (a record keeps what the bucket had before us, leases, the deleted marker). The
 * benchmark measures S3 work; DynamoDB is not reachable here, and its latency would be a few ms per changed bucket.
 */
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import type { RunProgress, Trigger } from '../lib/bucket-logging/handler/progress';
import type { Settings } from '../lib/bucket-logging/handler/schema';
import {
  type BucketRecord,
  type ClaimedRun,
  DELETED_FINGERPRINT,
  fenceHolds,
  firstRecord,
  recordAfterChange,
  StaleSettingsError,
  type StateStore,
  type WriteFence,
} from '../lib/bucket-logging/handler/state';

interface RunItem {
  lease: string;
  leaseUntil: number;
  progress: RunProgress | null;
}

const clone = <T>(value: T): T => structuredClone(value);

export class InMemoryStateStore implements StateStore {
  readonly records = new Map<string, BucketRecord>();
  readonly runs = new Map<string, RunItem>();
  settings: Settings | undefined;
  writes = 0;

  async getRecord(bucket: string): Promise<BucketRecord | undefined> {
    const record = this.records.get(bucket);
    return record && clone(record);
  }

  async recordChange(
    bucket: string,
    previous: LoggingEnabled | null,
    applied: LoggingEnabled,
    source: Trigger,
    at: string,
    fence: WriteFence,
  ): Promise<void> {
    if (fence.kind === 'delete' || !fenceHolds(this.settings, fence))
      throw new StaleSettingsError('settings changed');
    this.writes++;
    const existing = this.records.get(bucket);
    this.records.set(
      bucket,
      clone(
        existing
          ? recordAfterChange(existing, previous, applied, at)
          : firstRecord(bucket, previous, applied, source, at),
      ),
    );
  }

  async deleteRecord(bucket: string): Promise<void> {
    this.writes++;
    this.records.delete(bucket);
  }

  async recordedBuckets(token: string | undefined): Promise<{ names: string[]; next?: string }> {
    const names = [...this.records.keys()].sort();
    const start = token === undefined ? 0 : names.indexOf(token) + 1;
    const page = names.slice(start, start + 1000);
    return { names: page, next: start + 1000 < names.length ? page[page.length - 1] : undefined };
  }

  async claimRun(key: string, holder: string, until: number, now: number): Promise<ClaimedRun | undefined> {
    const item = this.runs.get(key);
    if (item && item.leaseUntil > now && item.lease !== holder) return undefined;
    const progress = item?.progress ?? null;
    this.runs.set(key, { lease: holder, leaseUntil: until, progress });
    return { progress: progress && clone(progress) };
  }

  async saveRun(key: string, holder: string, until: number, progress: RunProgress): Promise<void> {
    if (this.runs.get(key)?.lease !== holder) throw new Error(`lost the lease of run ${key}`);
    this.runs.set(key, { lease: holder, leaseUntil: until, progress: clone(progress) });
  }

  async finishRun(key: string, holder: string): Promise<void> {
    if (this.runs.get(key)?.lease === holder) this.runs.delete(key);
  }

  async runBusy(key: string, now: number): Promise<boolean> {
    return (this.runs.get(key)?.leaseUntil ?? 0) > now;
  }

  async getSettings(): Promise<Settings | undefined> {
    return this.settings && clone(this.settings);
  }

  async startDeploy(generation: string, fingerprint: string, at: string): Promise<void> {
    this.settings = { generation, fingerprint, deleted: false, at };
  }

  async markDeleted(generation: string, at: string): Promise<Settings> {
    if (!(this.settings?.deleted && this.settings.generation === generation))
      this.settings = { generation, fingerprint: DELETED_FINGERPRINT, deleted: true, at };
    return clone(this.settings);
  }
}
