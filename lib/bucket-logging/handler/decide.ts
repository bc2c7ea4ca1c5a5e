/**
 * The decisions of bucket logging, as pure functions of what the handler has read: which buckets are ours to
 * touch, what logging configuration a bucket should have, and what to do with the one it has. The I/O shell
 * (run.ts) reads, calls these, and writes; tests drive these with tables of cases.
 */
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import { KeyFormat, ROLE_TAG_KEY, targetPrefixFor } from '../../conventions';
import { anyPattern } from '../patterns';
import type { BucketLoggingConfig } from '../types';

/** Why a bucket is left out of a run. */
export type Exclusion =
  /** The log bucket itself: it must not log into itself. */
  | 'target-bucket'
  /** Tagged `s3-access-logs:role`: one of the project's log or Athena results buckets. */
  | 'role-tag'
  /** Not matched by `include`, or matched by `exclude`. */
  | 'name'
  /** Carries the opt-out tag. */
  | 'opt-out-tag';

/** Decides on the name alone, before any call: undefined means the tags decide. */
export function nameExclusion(
  config: Pick<BucketLoggingConfig, 'targetBucket' | 'include' | 'exclude'>,
): (bucket: string) => Exclusion | undefined {
  const included = config.include.length === 0 ? () => true : anyPattern(config.include);
  const excluded = anyPattern(config.exclude);
  return (bucket) => {
    if (bucket === config.targetBucket) return 'target-bucket';
    if (!included(bucket) || excluded(bucket)) return 'name';
    return undefined;
  };
}

/** Decides on the tags: the role tag wins over the opt-out tag, which counts whatever its value. */
export function tagExclusion(
  tags: Readonly<Record<string, string>>,
  excludeTagKey: string,
): Exclusion | undefined {
  // Own keys only: `in` also finds `constructor`, `toString`, ... on every object, a valid tag key too.
  if (Object.hasOwn(tags, ROLE_TAG_KEY)) return 'role-tag';
  if (Object.hasOwn(tags, excludeTagKey)) return 'opt-out-tag';
  return undefined;
}

/** The logging configuration a source bucket should have, per the key layout in conventions.ts. */
export function desiredLogging(
  config: Pick<BucketLoggingConfig, 'targetBucket' | 'prefixTemplate' | 'keyFormat'>,
  bucket: string,
): LoggingEnabled {
  return {
    TargetBucket: config.targetBucket,
    TargetPrefix: targetPrefixFor(config.prefixTemplate, bucket),
    TargetObjectKeyFormat: keyFormatFor(config.keyFormat),
  };
}

function keyFormatFor(format: KeyFormat): LoggingEnabled['TargetObjectKeyFormat'] {
  switch (format) {
    case KeyFormat.PARTITIONED:
      return { PartitionedPrefix: { PartitionDateSource: 'EventTime' } };
    case KeyFormat.SIMPLE:
      return { SimplePrefix: {} };
    default: {
      const never: never = format;
      throw new Error(`unknown key format ${String(never)}`);
    }
  }
}

/** The key format as one comparable word; no TargetObjectKeyFormat is S3's simple format. */
function formatWord(logging: LoggingEnabled): string {
  const partitioned = logging.TargetObjectKeyFormat?.PartitionedPrefix;
  return partitioned ? `partitioned:${partitioned.PartitionDateSource ?? 'DeliveryTime'}` : 'simple';
}

/**
 * True when two configurations deliver the same logs to the same keys. Grants are ignored: they do not change
 * where logs go, and stripping someone else's grants is not ours to do.
 */
export function sameDelivery(a: LoggingEnabled | undefined, b: LoggingEnabled | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.TargetBucket === b.TargetBucket && a.TargetPrefix === b.TargetPrefix && formatWord(a) === formatWord(b)
  );
}

/** What to do with a bucket's logging. */
export type LoggingDecision =
  | { readonly kind: 'already-configured' }
  | { readonly kind: 'put'; readonly why: 'not-logging' | 'ours-outdated' | 'placed-by-us' | 'overwrite' }
  | { readonly kind: 'keep-existing' }
  /** Logging points elsewhere: only the state record can tell whether we put it there (an older target). */
  | { readonly kind: 'needs-record' };

export interface LoggingDecisionOptions {
  readonly overwriteExisting: boolean;
  /** The bucket's state record: undefined when not looked up yet, null when the bucket has no record. */
  readonly record?: BucketRecordView | null;
}

/** Decides what to do with a bucket's current logging (undefined: logging is off). */
export function decideLogging(
  current: LoggingEnabled | undefined,
  desired: LoggingEnabled,
  options: LoggingDecisionOptions,
): LoggingDecision {
  if (sameDelivery(current, desired)) return { kind: 'already-configured' };
  if (current === undefined) return { kind: 'put', why: 'not-logging' };
  // Our own log bucket with another prefix or key format: a change of our settings, ours to apply.
  if (current.TargetBucket === desired.TargetBucket) return { kind: 'put', why: 'ours-outdated' };
  if (options.overwriteExisting) return { kind: 'put', why: 'overwrite' };
  if (options.record === undefined) return { kind: 'needs-record' };
  // We put it there (a log bucket this stack applied before) and nobody has pointed it elsewhere since.
  if (options.record !== null && placedByUs(options.record, current))
    return { kind: 'put', why: 'placed-by-us' };
  return { kind: 'keep-existing' };
}

/** What a bucket's state record says: its configuration before us, and every log bucket we applied. */
export interface BucketRecordView {
  readonly previous: LoggingEnabled | null;
  /** What we applied last (recorded before its PutBucketLogging, which may have failed). */
  readonly applied: LoggingEnabled;
  /**
   * Every log bucket this stack has applied to the bucket, oldest first, `applied`'s included. A re-point
   * whose puts failed, a rollback, or a sweep with old settings can leave the bucket on any of them: each is
   * still ours, to re-point on deploy and to restore on delete.
   */
  readonly targets: readonly string[];
}

/** True when `current` points at a log bucket we applied to the bucket. */
export function placedByUs(record: BucketRecordView, current: LoggingEnabled): boolean {
  return current.TargetBucket !== undefined && record.targets.includes(current.TargetBucket);
}

/** Most log buckets a record remembers; a stack that re-points more often than this is not a real case. */
export const MAX_TARGETS = 20;

/** The record's `targets` after we apply `applying`: appended once, oldest dropped past MAX_TARGETS. */
export function targetsAfterChange(targets: readonly string[], applying: LoggingEnabled): string[] {
  const target = applying.TargetBucket ?? '';
  const next = targets.includes(target) ? [...targets] : [...targets, target];
  return next.slice(-MAX_TARGETS);
}

/**
 * What a bucket's record keeps as its configuration from before us when we change the bucket (`applying`),
 * given what it has now (`current`, null: logging off). Our own configuration (in any log bucket we applied)
 * is never "before us": the record keeps what it had. Anything else was set by someone after our last change
 * (we only ever turn logging off on delete), so it is what the bucket had just before us now, and what delete
 * must give back, rather than an older configuration they have since replaced.
 */
export function previousAfterChange(
  record: BucketRecordView | undefined,
  current: LoggingEnabled | null,
  applying: LoggingEnabled,
): LoggingEnabled | null {
  if (record === undefined) return current;
  const ours =
    current !== null && (current.TargetBucket === applying.TargetBucket || placedByUs(record, current));
  return ours ? record.previous : current;
}

export type RestoreDecision =
  | { readonly kind: 'restore'; readonly to: LoggingEnabled | null }
  | { readonly kind: 'leave'; readonly why: 'reconfigured' | 'not-logging' };

/**
 * On delete: a bucket whose logging still points at a log bucket this stack applied (the current one or any
 * earlier one: a failed or reverted re-point leaves buckets there) gets back what it had before us (null:
 * logging off). One that someone pointed elsewhere, or turned off, since is theirs now.
 */
export function decideRestore(
  current: LoggingEnabled | undefined,
  record: BucketRecordView,
  targetBucket: string,
): RestoreDecision {
  if (current === undefined) return { kind: 'leave', why: 'not-logging' };
  if (current.TargetBucket !== targetBucket && !placedByUs(record, current))
    return { kind: 'leave', why: 'reconfigured' };
  return { kind: 'restore', to: record.previous };
}
