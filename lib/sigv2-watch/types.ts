/**
 * What the Sigv2Watch construct and its handler share: the configuration the construct passes (one JSON
 * environment variable, typed here so the two sides cannot drift) and the event the handler emits. No
 * aws-cdk-lib import.
 */

/** The environment variable that carries {@link WatchConfig} as JSON. */
export const CONFIG_ENV = 'SIGV2_WATCH_CONFIG';

/** The handler's configuration. */
export interface WatchConfig {
  /** Glue database of the compacted table. */
  readonly databaseName: string;
  /** The compacted table. */
  readonly tableName: string;
  /** The Athena workgroup the digest queries run in. */
  readonly workGroupName: string;
  /** Days before the digest's day a requester must have been absent to count as new. */
  readonly lookbackDays: number;
  /** The topic the digest is published to. */
  readonly topicArn: string;
  /** CloudWatch namespace of the metrics. */
  readonly namespace: string;
  /** The event bus the digest event goes to. */
  readonly eventBusName: string;
}

/** `source` of the digest event on EventBridge. */
export const EVENT_SOURCE = 's3-access-logs';

/** `detail-type` of the digest event; the detail is the digest (lib/sigv2-watch/digest.ts) as JSON. */
export const EVENT_DETAIL_TYPE = 'SigV2 Digest';
