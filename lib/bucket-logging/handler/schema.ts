/**
 * The state table outlives any one release of the handler (it is retained, and a run paused by one release is
 * resumed by the next), so every item says which schema wrote it and is parsed, never cast, on read. An item
 * of an older schema is migrated here; one of a newer schema stops the run with the table and the version,
 * rather than being read as something it is not.
 */
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import { targetsAfterChange } from './decide';
import type { RunProgress, Trigger } from './progress';
import type { BucketRecord } from './state';

/**
 * Bucket records: 1 (no `schema` attribute) kept `applied` and `earlier`; 2 keeps `targets`, every log bucket
 * we applied.
 */
export const RECORD_SCHEMA = 2;
/** Run items (lease and progress, with the cursor): 1 had no `schema` attribute; 2 has the same shape. */
export const RUN_SCHEMA = 2;
/** The settings item (the fence): new in schema 1. */
export const SETTINGS_SCHEMA = 1;

/** The fence every record write checks; see state.ts. */
export interface Settings {
  /** The run key of the deploy (or delete) that wrote it. */
  readonly generation: string;
  /** The settings' fingerprint (`configFingerprint`), or `deleted`. */
  readonly fingerprint: string;
  readonly deleted: boolean;
  /** When it was written (ISO 8601). */
  readonly at: string;
}

export interface RunItem {
  readonly lease: string;
  readonly leaseUntil: number;
  readonly progress: RunProgress | null;
}

/** An item this release cannot read. Not retryable: the fix is to deploy a release that knows it. */
export class StateSchemaError extends Error {
  readonly name = 'StateSchemaError';
}

type Item = Record<string, unknown>;

const isObject = (v: unknown): v is Item => typeof v === 'object' && v !== null && !Array.isArray(v);

function schemaOf(item: Item, table: string, what: string, known: number): number {
  const schema = item.schema ?? 1;
  if (typeof schema !== 'number' || !Number.isInteger(schema) || schema < 1 || schema > known) {
    throw new StateSchemaError(
      `state table ${table}: ${what} has schema version ${JSON.stringify(schema)}, and this release reads ` +
        `versions 1 to ${known}; deploy the release that wrote it (or a newer one) to finish or restore it`,
    );
  }
  return schema;
}

function malformed(table: string, what: string, field: string): StateSchemaError {
  return new StateSchemaError(`state table ${table}: ${what} has no valid ${field}`);
}

function logging(value: unknown, table: string, what: string, field: string): LoggingEnabled {
  if (!isObject(value) || typeof value.TargetBucket !== 'string') throw malformed(table, what, field);
  return value as unknown as LoggingEnabled;
}

/** A bucket record item (`bucket#<name>`). */
export function parseRecordItem(item: Item, table: string): BucketRecord {
  const what = `item ${String(item.pk)}`;
  const schema = schemaOf(item, table, what, RECORD_SCHEMA);
  const r = item.record;
  if (!isObject(r)) throw malformed(table, what, 'record');
  const applied = logging(r.applied, table, what, 'record.applied');
  const previous = r.previous === null ? null : logging(r.previous, table, what, 'record.previous');
  if (typeof r.version !== 'number') throw malformed(table, what, 'record.version');
  let targets: string[];
  if (schema === 1) {
    // Schema 1 remembered the last two configurations we applied: both log buckets are ours.
    const earlier = r.earlier === undefined ? [] : [logging(r.earlier, table, what, 'record.earlier')];
    targets = [...earlier, applied].reduce<string[]>((acc, c) => targetsAfterChange(acc, c), []);
  } else {
    if (!Array.isArray(r.targets) || r.targets.some((t) => typeof t !== 'string'))
      throw malformed(table, what, 'record.targets');
    targets = r.targets as string[];
  }
  return {
    bucket: typeof r.bucket === 'string' ? r.bucket : String(item.pk).replace(/^bucket#/, ''),
    previous,
    applied,
    targets,
    version: r.version,
    recordedAt: String(r.recordedAt ?? ''),
    updatedAt: String(r.updatedAt ?? ''),
    source: (r.source ?? 'create') as Trigger,
  };
}

/** A run item (`run#<key>`): its lease and its saved progress. */
export function parseRunItem(item: Item, table: string): RunItem {
  const what = `item ${String(item.pk)}`;
  schemaOf(item, table, what, RUN_SCHEMA);
  if (typeof item.lease !== 'string') throw malformed(table, what, 'lease');
  if (typeof item.leaseUntil !== 'number') throw malformed(table, what, 'leaseUntil');
  const p = item.progress;
  if (p === null || p === undefined)
    return { lease: item.lease, leaseUntil: item.leaseUntil, progress: null };
  const cursor = isObject(p) ? p.cursor : undefined;
  if (
    !isObject(p) ||
    typeof p.runId !== 'string' ||
    !isObject(p.counts) ||
    !isObject(cursor) ||
    !Array.isArray(cursor.pending) ||
    !Array.isArray(cursor.retry)
  ) {
    throw malformed(table, what, 'progress');
  }
  return { lease: item.lease, leaseUntil: item.leaseUntil, progress: p as unknown as RunProgress };
}

/** The settings item. */
export function parseSettingsItem(item: Item, table: string): Settings {
  const what = 'the settings item';
  schemaOf(item, table, what, SETTINGS_SCHEMA);
  const { generation, fingerprint, deleted, at } = item;
  if (typeof generation !== 'string') throw malformed(table, what, 'generation');
  if (typeof fingerprint !== 'string') throw malformed(table, what, 'fingerprint');
  if (typeof deleted !== 'boolean') throw malformed(table, what, 'deleted');
  return { generation, fingerprint, deleted, at: typeof at === 'string' ? at : '' };
}
