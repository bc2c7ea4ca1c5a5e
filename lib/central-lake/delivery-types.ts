/**
 * What the central delivery's construct tells its handler, and the event it handles. No aws-cdk-lib import:
 * the handler bundles this module.
 */

/** Environment variable that carries the {@link DeliveryConfig} as JSON. */
export const DELIVERY_CONFIG_ENV = 'CENTRAL_DELIVERY_CONFIG';

/** The handler's settings. */
export interface DeliveryConfig {
  /** The member's log bucket, which holds the compacted days. */
  readonly logBucketName: string;
  /** Where the compacted table keeps a day: `<dailyPrefix><yyyy/MM/dd>/`. */
  readonly dailyPrefix: string;
  /** The central bucket. */
  readonly centralBucketName: string;
  /** Its Region (copies go to that Region's endpoint). */
  readonly centralRegion: string;
  /** Its owner: every call to the central bucket states it, so a bucket of the same name elsewhere is refused. */
  readonly centralAccount: string;
}

/** The EventBridge event of a compaction run that succeeded (Step Functions Execution Status Change). */
export interface CompactionSucceededEvent {
  /** The member account (EventBridge fills it in). */
  readonly account: string;
  /** The member Region. */
  readonly region: string;
  readonly detail: {
    readonly status: string;
    /** The execution's output, a JSON string with `day` and `days` (the compaction's contract). */
    readonly output?: string | null;
  };
}

export function parseDeliveryConfig(json: string | undefined): DeliveryConfig {
  if (json === undefined) throw new Error(`${DELIVERY_CONFIG_ENV} is not set`);
  return JSON.parse(json) as DeliveryConfig;
}
