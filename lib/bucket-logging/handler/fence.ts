/**
 * The fence: which runs may still write a bucket record (and so change a bucket), decided from the state
 * table's settings item. A deploy run writes its generation and settings when it starts; the delete marks the
 * item deleted. A pure decision: the stores check it before each record write (DynamoDB: a strongly consistent
 * read, then the record's own conditional PutItem).
 *
 * Read-then-write leaves a window: a writer that read the settings just before they changed may still write
 * its record afterwards, at most FENCE_WINDOW_MS after the change. Each side closes it:
 * - The delete waits FENCE_WINDOW_MS after its marker before it scans the records (`deleteMayRestoreFrom`): a
 *   record written in the window is then in its scan, and the PutBucketLogging that follows it is waited for
 *   by the restore (WRITE_SETTLE_MS, buckets.ts).
 * - A deploy run that replaces another (a new generation) does not wait: the older run's last record write
 *   may land after the new generation, and its PutBucketLogging after that. That is harmless: the record
 *   keeps every log bucket we applied (`targets`), so the bucket is ours to every later run, and a
 *   versioned write that lost to the newer run re-reads the settings and stands down; the newer run (if it
 *   reaches the bucket after) or the next sweep reconciles the bucket, and the delete restores it.
 * No transaction with a check of the settings item: every record write would include that one item, and
 * DynamoDB cancels a transaction on an item another one is using, so concurrent writers would fail each other.
 */

import { DYNAMODB_CALL_BOUND_MS, REQUEST_TIMEOUT_MS } from './s3';
import type { Settings } from './schema';

/** For the clocks of two Lambda hosts (the marker's time and the delete's later invocations) to disagree. */
const CLOCK_MARGIN_MS = 30_000;

/**
 * How long after the settings item's `at` a record write that passed the fence before the change may still
 * land: the change's own PutItem (`at` is taken before it is sent, and it may land only at its last attempt),
 * the writer's settings read coming back (one request), the writer's record PutItem, and the clocks.
 * 3 + 0.25 + 3 minutes + 30 s: 6 minutes 45 seconds.
 */
export const FENCE_WINDOW_MS =
  DYNAMODB_CALL_BOUND_MS + REQUEST_TIMEOUT_MS + DYNAMODB_CALL_BOUND_MS + CLOCK_MARGIN_MS;

/**
 * Epoch ms from when the delete (its marker `marker`) may look for records to restore: no record write that
 * passed the fence before the marker can land after it. A marker without a readable time (not written by this
 * release) does not hold the delete up.
 */
export function deleteMayRestoreFrom(marker: Settings): number {
  const at = Date.parse(marker.at);
  return Number.isFinite(at) ? at + FENCE_WINDOW_MS : Number.NEGATIVE_INFINITY;
}

/**
 * What a record write must find in the settings item. A deploy run checks its generation (a newer deploy or
 * the delete takes it over); a sweep or an event checks the settings' fingerprint (a deploy with other
 * settings, or the delete, changes it).
 */
export type WriteFence =
  | { readonly kind: 'generation'; readonly generation: string }
  | { readonly kind: 'fingerprint'; readonly fingerprint: string }
  /** The delete's restore: it writes no record, and holds while its own marker is the settings item. */
  | { readonly kind: 'delete'; readonly generation: string };

/** The fingerprint a deleted resource's settings carry: no run's settings match it. */
export const DELETED_FINGERPRINT = 'deleted';

/**
 * True when a write under `fence` may go ahead. No settings item (a table of a release without one, before
 * its first deploy of this release) lets a sweep or event through; a deploy run always writes it first.
 */
export function fenceHolds(settings: Settings | undefined, fence: WriteFence): boolean {
  switch (fence.kind) {
    case 'generation':
      return settings?.deleted === false && settings.generation === fence.generation;
    case 'fingerprint':
      return settings === undefined || (!settings.deleted && settings.fingerprint === fence.fingerprint);
    case 'delete':
      return settings?.deleted === true && settings.generation === fence.generation;
    default: {
      const never: never = fence;
      throw new Error(`unknown fence ${JSON.stringify(never)}`);
    }
  }
}

/** A record write refused by its fence: this run's settings are no longer the resource's. */
export class StaleSettingsError extends Error {
  readonly name = 'StaleSettings';
}
