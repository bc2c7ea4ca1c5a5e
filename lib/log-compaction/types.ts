/**
 * What the LogCompaction construct and its handler share: the handler's configuration and the events the state
 * machine sends it. No aws-cdk-lib imports: the handler bundles this module.
 */
import type { CompactionInput } from './plan';

/** Environment variable that carries the {@link CompactionConfig} as JSON. */
export const CONFIG_ENV = 'COMPACTION_CONFIG';

/** The handler's configuration, set by the construct. */
export interface CompactionConfig {
  /** The log bucket: source of the raw logs, home of the staged and published files. */
  readonly logBucketName: string;
  /** Listing prefix and name suffix that find the source buckets (see `bucketListing`). */
  readonly listPrefix: string;
  readonly nameSuffix: string;
  /** The compaction source table, quoted: `"db"."table"`. */
  readonly source: string;
  /** Buckets per chunk query. */
  readonly chunkSize: number;
  /** Days before yesterday a nightly run compacts again. */
  readonly lateDays: number;
}

/** Plans a run: the days, the buckets, the chunk queries (written to S3 for the distributed map). */
export interface PlanEvent {
  readonly action: 'plan';
  /** The execution's input (`{}` nightly). */
  readonly input: CompactionInput;
  /** `$$.Execution.Name`: names the run's files. */
  readonly executionName: string;
  /** `$$.Execution.StartTime`: "yesterday" is relative to it. */
  readonly startTime: string;
}

/** What a plan returns to the state machine. */
export interface PlanResult {
  readonly run: string;
  /** Days of the run, oldest first (`yyyy/MM/dd`). */
  readonly days: string[];
  /** The newest day. */
  readonly day: string;
  readonly buckets: number;
  /** Common prefixes of the listing that are not a source bucket's folder, hence not compacted. */
  readonly skippedPrefixes: number;
  /** The first of them (up to 20), to see in the execution's output. */
  readonly skipped: string[];
  readonly queries: number;
  /** Where the chunk queries are (a JSON array of `PlanItem`), for the distributed map's ItemReader. */
  readonly itemsBucket: string;
  readonly itemsKey: string;
}

/** Publishes a run's staged files as the days' files, once every chunk query succeeded. */
export interface PublishEvent {
  readonly action: 'publish';
  readonly run: string;
  readonly days: string[];
}

/** Removes a run's staged files and plan. */
export interface CleanupEvent {
  readonly action: 'cleanup';
  readonly run: string;
}

/**
 * After a Publish that finally failed: removes the run's partly published days (see `abandonDeletes`), then its
 * staged files and plan.
 */
export interface AbandonEvent {
  readonly action: 'abandon';
  readonly run: string;
  readonly days: string[];
}

export type CompactionEvent = PlanEvent | PublishEvent | CleanupEvent | AbandonEvent;

/** Parses and checks the configuration (a deployment mistake fails loudly, naming the variable). */
export function parseConfig(text: string | undefined): CompactionConfig {
  if (text === undefined) throw new Error(`${CONFIG_ENV} is not set`);
  const config = JSON.parse(text) as CompactionConfig;
  for (const key of ['logBucketName', 'listPrefix', 'nameSuffix', 'source'] as const) {
    if (typeof config[key] !== 'string') throw new Error(`${CONFIG_ENV}.${key} must be a string`);
  }
  for (const key of ['chunkSize', 'lateDays'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 0) {
      throw new Error(`${CONFIG_ENV}.${key} must be a whole number`);
    }
  }
  return config;
}
