/**
 * What a run has done so far: its counts, the first entries of each list for the report, and its cursor.
 * The whole object is saved in the state table between invocations, so it stays small: lists stop at
 * MAX_LISTED entries (every outcome is also a structured log line).
 */
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import { COUNT_NAMES, type CountName, type Counts } from '../types';
import type { Exclusion } from './decide';
import { type EngineCursor, newCursor } from './engine';
import { NO_SUCH_BUCKET } from './errors';

export type Trigger = 'create' | 'update' | 'delete' | 'sweep' | 'bucket-created';

/** Entries per list in a report (failures, kept, excluded); the counts are always complete. */
export const MAX_LISTED = 200;

/** What happened to one bucket. `kind` is the name of the count it adds to. */
export type Outcome =
  | { readonly kind: 'configured'; readonly bucket: string; readonly why: string }
  | { readonly kind: 'alreadyConfigured'; readonly bucket: string }
  | { readonly kind: 'keptExisting'; readonly bucket: string; readonly existing: LoggingEnabled }
  | {
      readonly kind: 'excluded';
      readonly bucket: string;
      readonly reason: Exclusion;
      /** Whether it logs into the target anyway (undefined when not read). */
      readonly logsToTarget?: boolean;
    }
  | {
      readonly kind: 'failed';
      readonly bucket: string;
      /** The operation that failed (`GetBucketLogging`, `RecordState`, ...). */
      readonly operation: string;
      readonly code: string;
      readonly message: string;
      readonly retryable: boolean;
    }
  | { readonly kind: 'restored'; readonly bucket: string; readonly to: LoggingEnabled | null }
  | {
      readonly kind: 'leftAlone';
      readonly bucket: string;
      readonly why: 'reconfigured' | 'not-logging' | 'no-record' | 'gone';
      readonly logsToTarget?: boolean;
    };

export interface FailureEntry {
  readonly bucket: string;
  readonly operation: string;
  readonly code: string;
  readonly message: string;
}
export interface KeptEntry {
  readonly bucket: string;
  readonly targetBucket: string;
  readonly targetPrefix: string;
}
export interface ExcludedEntry {
  readonly bucket: string;
  readonly reason: Exclusion;
}

export interface RunProgress {
  readonly runId: string;
  readonly trigger: Trigger;
  readonly startedAt: string;
  /** Invocations so far, this one included. */
  invocations: number;
  cursor: EngineCursor;
  counts: Counts;
  failures: FailureEntry[];
  keptExisting: KeptEntry[];
  excluded: ExcludedEntry[];
  /** Entries left out of the lists above because they were full. */
  unlisted: number;
  /** Failures with NoSuchBucket: buckets deleted during the run. */
  vanished: number;
}

export function newProgress(runId: string, trigger: Trigger, startedAt: string): RunProgress {
  const counts = Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as Record<CountName, number>;
  return {
    runId,
    trigger,
    startedAt,
    invocations: 0,
    cursor: newCursor(),
    counts,
    failures: [],
    keptExisting: [],
    excluded: [],
    unlisted: 0,
    vanished: 0,
  };
}

function pushListed<T>(progress: RunProgress, list: T[], entry: T): void {
  if (list.length < MAX_LISTED) list.push(entry);
  else progress.unlisted++;
}

/** Adds one outcome to the run's counts and lists. */
export function tally(progress: RunProgress, outcome: Outcome): void {
  progress.counts[outcome.kind]++;
  switch (outcome.kind) {
    case 'failed':
      if (outcome.code === NO_SUCH_BUCKET) progress.vanished++;
      pushListed(progress, progress.failures, {
        bucket: outcome.bucket,
        operation: outcome.operation,
        code: outcome.code,
        message: outcome.message,
      });
      return;
    case 'keptExisting':
      pushListed(progress, progress.keptExisting, {
        bucket: outcome.bucket,
        targetBucket: outcome.existing.TargetBucket ?? '',
        targetPrefix: outcome.existing.TargetPrefix ?? '',
      });
      return;
    case 'excluded':
      pushListed(progress, progress.excluded, { bucket: outcome.bucket, reason: outcome.reason });
      return;
    case 'configured':
    case 'alreadyConfigured':
    case 'restored':
    case 'leftAlone':
      return;
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Whether the bucket logs into the target after this outcome, for the Athena table's bucket list; undefined
 * when unknown (a failure, a bucket excluded by name), which leaves the list as it was for that bucket.
 */
export function logsToTarget(outcome: Outcome, targetBucket: string): boolean | undefined {
  switch (outcome.kind) {
    case 'configured':
    case 'alreadyConfigured':
      return true;
    case 'keptExisting':
      return false;
    case 'excluded':
    case 'leftAlone':
      return outcome.logsToTarget;
    case 'restored':
      return outcome.to?.TargetBucket === targetBucket;
    case 'failed':
      return undefined;
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}

/** Failures that count against `failOnErrors`: a bucket deleted during the run is not an error of ours. */
export function blockingFailures(progress: RunProgress): number {
  return progress.counts.failed - progress.vanished;
}
