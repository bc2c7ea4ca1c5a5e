/**
 * The fence: which runs may still write a bucket record (and so change a bucket), decided from the state
 * table's settings item. A deploy run writes its generation and settings when it starts; the delete marks the
 * item deleted. A pure decision: the stores check it (DynamoDB in the same transaction as the record write).
 */
import type { Settings } from './schema';

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
