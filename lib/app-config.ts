import { Aws, Duration, Size } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { AccessLogBucketProps } from './access-log-bucket';
import { LogDeliveryMode } from './access-log-bucket';
import type { AccessLogTableOptions } from './access-log-table';
import type { BucketLoggingOptions } from './bucket-logging';
import { KeyFormat } from './conventions';
import type { LogCompactionOptions } from './log-compaction';
import type { Sigv2WatchOptions } from './sigv2-watch';
import { lookbackProblem } from './sigv2-watch/days';

/**
 * Turns the CDK app's context (`-c key=value` or cdk.json) into stack properties. Every setting is a context
 * key named like the prop it sets; values typed on the command line arrive as strings, values in cdk.json may
 * also be numbers or booleans. Any malformed value fails synth with a message naming the key.
 */

/** Reads one context value (`node.tryGetContext`). */
export type ContextReader = (key: string) => unknown;

/** What bin/app.ts needs to create one stack per Region. */
export interface AppConfig {
  /** Regions to deploy to, in the order given, without duplicates. */
  readonly regions: string[];
  /** Log bucket props for a Region. */
  logBucket(region: string): AccessLogBucketProps;
  /** Whether each stack gets the Athena table, workgroup and saved queries. */
  readonly athena: boolean;
  /** Athena table and workgroup settings (the same in every Region). */
  readonly accessLogTable: AccessLogTableOptions;
  /** Whether BucketLogging is deployed (undefined: the stack's default, on). */
  readonly enableBucketLogging?: boolean;
  /** BucketLogging settings, the same in every Region. */
  readonly bucketLogging: BucketLoggingOptions;
  /** Whether LogCompaction is deployed (undefined: the stack's default, on with Athena and partitioned keys). */
  readonly compaction?: boolean;
  /** LogCompaction settings, the same in every Region. */
  readonly logCompaction: LogCompactionOptions;
  /** Whether the SigV2 watch is deployed (undefined: the stack's default, on with the compaction). */
  readonly sigv2Watch?: boolean;
  /** Sigv2Watch settings, the same in every Region. */
  readonly sigv2WatchOptions: Sigv2WatchOptions;
}

/** Every context key the app reads, with its meaning; the README documents the same list. */
export const CONTEXT_KEYS = {
  regions: 'Comma-separated Region codes; one stack per Region.',
  bucketName:
    'Log bucket name; may contain {account} and {region}, and must contain {region} for several Regions.',
  deliveryMode: 'BucketPolicy (default) or Acl.',
  retention: 'Days log objects are kept (default 90).',
  transitionToInfrequentAccessAfter: 'Days before log objects move to STANDARD_IA (default: never).',
  versioned: 'true or false (default false).',
  // Athena (AccessLogTable)
  athena: 'true (default) or false: the Athena table, workgroup and saved queries.',
  databaseName: 'Glue database name (default s3_access_logs).',
  tableName: 'Glue table name (default access_logs).',
  projectionStart: 'First day the table projects: yyyy/MM/dd or NOW-<n>DAYS (default: the log retention).',
  workGroupName: 'Athena workgroup name (default s3-access-logs).',
  bytesScannedCutoffPerQuery:
    'Per-query scan cap: <n>MiB, <n>GiB or <n>TiB; a bare number is GiB (default 10GiB).',
  queryResultsRetention: 'Days Athena query results are kept (default 7).',
  // BucketLogging
  enableBucketLogging:
    'true (default) or false: turn on server access logging for every bucket of the Region.',
  prefixTemplate: 'TargetPrefix template with {bucket} (default {bucket}/).',
  keyFormat: 'partitioned (default) or simple.',
  include: 'Comma-separated bucket names, prefixes (team-a-*) or globs to configure (default: every bucket).',
  exclude: 'Comma-separated bucket names, prefixes or globs to leave alone (default: none).',
  excludeTagKey: 'Tag key that opts a bucket out (default s3-access-logs:exclude).',
  overwriteExisting: 'true or false (default false): re-point buckets that already log elsewhere.',
  concurrency: 'Buckets worked on at the same time, 1 to 256 (default 64).',
  failOnErrors: 'true or false (default false): fail the deployment when a bucket could not be configured.',
  sweepSchedule: 'EventBridge schedule of the sweep, rate(...) or cron(...) (default rate(1 day)).',
  restoreOnDelete: 'true (default) or false: on delete, give buckets back their previous logging.',
  // LogCompaction
  compaction:
    'true (default) or false: compact the logs daily into the Parquet table (needs athena, partitioned).',
  compactionSchedule:
    'EventBridge schedule of the nightly compaction, rate(...) or cron(...) (default cron(0 6 * * ? *)).',
  compactionLateDays: 'Days before yesterday each nightly run compacts again, 0 to 30 (default 2).',
  compactionChunkSize: 'Source buckets per compaction query, 1 to 5000 (default 1000).',
  compactionConcurrency: 'Compaction queries at the same time, 1 to 40 (default 4).',
  compactionBytesScannedCutoffPerQuery:
    'Per-query scan cap of the compaction workgroup, like bytesScannedCutoffPerQuery (default 1TiB).',
  // Sigv2Watch
  sigv2Watch:
    'true (default, with the compaction) or false: the daily SigV2 digest, metrics, dashboard and alarm.',
  digestEmail: 'Email address subscribed to the SigV2 digest topic (default: none).',
  lookbackDays: 'Days a SigV2 requester must have been absent to count as new, 1 to 366 (default 30).',
} as const;

/**
 * The organization rollout's context keys (lib/organization-app-config.ts reads them), with their meaning; the
 * README's Organization-wide section lists the same.
 */
export const ORGANIZATION_CONTEXT_KEYS = {
  organizationId: 'Organization id (o-...): deploy to every account of targetOus with a StackSet.',
  targetOus: 'Comma-separated OU ids (ou-...) or the root id (r-...) the StackSet deploys to.',
  centralAccount: 'Account id of the central bucket, table and queries (e.g. log archive).',
  centralRegion: 'Region of the central bucket and table (default: the first of regions).',
  callAs: 'self (default: the management account) or delegated-admin.',
  failureTolerancePercentage:
    'Accounts per Region that may fail before the StackSet stops, 0-100 (default 10).',
  maxConcurrentPercentage: 'Accounts per Region deployed at once, 1-100 (default 25).',
  regionConcurrency: 'parallel (default) or sequential.',
  assetBucketPrefix: 'Prefix of the per-Region asset buckets (default s3al-assets-<organizationId>).',
} as const;

export function readAppConfig(read: ContextReader): AppConfig {
  const regions = parseRegions(read('regions'));
  const bucketName = optionalString(read, 'bucketName');
  if (bucketName !== undefined && regions.length > 1 && !bucketName.includes('{region}')) {
    throw new Error(
      `Context bucketName '${bucketName}' must contain {region} when several Regions are deployed ` +
        `(${regions.join(', ')}): bucket names are global. Example: -c bucketName=my-logs-{region}`,
    );
  }
  const deliveryMode = optionalEnum(read, 'deliveryMode', Object.values(LogDeliveryMode));
  const retention = optionalDays(read, 'retention');
  const transition = optionalDays(read, 'transitionToInfrequentAccessAfter');
  const versioned = optionalBoolean(read, 'versioned');

  const accessLogTable: AccessLogTableOptions = {
    databaseName: optionalString(read, 'databaseName'),
    tableName: optionalString(read, 'tableName'),
    projectionStart: optionalString(read, 'projectionStart'),
    workGroupName: optionalString(read, 'workGroupName'),
    bytesScannedCutoffPerQuery: optionalSize(read, 'bytesScannedCutoffPerQuery'),
    queryResultsRetention: optionalDays(read, 'queryResultsRetention'),
  };

  return {
    regions,
    athena: optionalBoolean(read, 'athena') ?? true,
    accessLogTable,
    enableBucketLogging: optionalBoolean(read, 'enableBucketLogging'),
    bucketLogging: readBucketLoggingOptions(read),
    compaction: optionalBoolean(read, 'compaction'),
    logCompaction: {
      schedule: optionalSchedule(read, 'compactionSchedule'),
      lateDays: optionalInteger(read, 'compactionLateDays'),
      chunkSize: optionalInteger(read, 'compactionChunkSize'),
      maxConcurrency: optionalInteger(read, 'compactionConcurrency'),
      bytesScannedCutoffPerQuery: optionalSize(read, 'compactionBytesScannedCutoffPerQuery'),
    },
    sigv2Watch: optionalBoolean(read, 'sigv2Watch'),
    sigv2WatchOptions: {
      digestEmail: optionalString(read, 'digestEmail'),
      lookbackDays: optionalLookbackDays(read),
    },
    logBucket: (region) => ({
      bucketName: bucketName?.replaceAll('{region}', region).replaceAll('{account}', Aws.ACCOUNT_ID),
      deliveryMode,
      retention,
      transitionToInfrequentAccessAfter: transition,
      versioned,
    }),
  };
}

/** `lookbackDays`, checked here so that a wrong value fails with the key's name and no stack trace. */
function optionalLookbackDays(read: ContextReader): number | undefined {
  const days = optionalInteger(read, 'lookbackDays');
  const problem = days === undefined ? undefined : lookbackProblem(days);
  if (problem !== undefined) throw new Error(`Context lookbackDays ${problem}`);
  return days;
}

/** BucketLogging's context keys (validated again by the construct, which names the prop). */
function readBucketLoggingOptions(read: ContextReader): BucketLoggingOptions {
  return {
    prefixTemplate: optionalString(read, 'prefixTemplate'),
    keyFormat: optionalEnum(read, 'keyFormat', Object.values(KeyFormat)),
    include: optionalList(read, 'include'),
    exclude: optionalList(read, 'exclude'),
    excludeTagKey: optionalString(read, 'excludeTagKey'),
    overwriteExisting: optionalBoolean(read, 'overwriteExisting'),
    concurrency: optionalInteger(read, 'concurrency'),
    failOnErrors: optionalBoolean(read, 'failOnErrors'),
    sweepSchedule: optionalSchedule(read, 'sweepSchedule'),
    restoreOnDelete: optionalBoolean(read, 'restoreOnDelete'),
  };
}

/** All Region codes aws-cdk-lib knows, from its region-info fact tables. */
function knownRegions(): Set<string> {
  return new Set(RegionInfo.regions.map((r) => r.name));
}

export function parseRegions(value: unknown): string[] {
  if (value === undefined || value === null || value === '') {
    throw new Error('Context regions is empty: pass -c regions=us-east-1,eu-west-1 (or set it in cdk.json).');
  }
  const list = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const regions = [...new Set(list.map((r) => r.trim()).filter((r) => r !== ''))];
  const known = knownRegions();
  const unknown = regions.filter((r) => !known.has(r));
  if (unknown.length > 0) {
    throw new Error(
      `Context regions names unknown Region code(s): ${unknown.join(', ')}. ` +
        `Use codes such as us-east-1 or eu-west-1 (known: ${[...known].sort().join(', ')}).`,
    );
  }
  if (regions.length === 0) throw new Error('Context regions lists no Region: pass -c regions=us-east-1');
  return regions;
}

export function optionalString(read: ContextReader, key: string): string | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new Error(`Context ${key} must be a string (got ${JSON.stringify(value)})`);
  return value;
}

export function optionalBoolean(read: ContextReader, key: string): boolean | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context ${key} must be true or false (got ${JSON.stringify(value)})`);
}

export function optionalDays(read: ContextReader, key: string): Duration | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const days = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(days) || days < 0) {
    throw new Error(`Context ${key} must be a whole number of days (got ${JSON.stringify(value)})`);
  }
  return Duration.days(days);
}

export function optionalEnum<T extends string>(
  read: ContextReader,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const match = allowed.find((a) => a.toLowerCase() === String(value).toLowerCase());
  if (match === undefined) {
    throw new Error(`Context ${key} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return match;
}

/** A size as `<n>MiB`, `<n>GiB` or `<n>TiB`; a bare whole number is GiB. */
export function optionalSize(read: ContextReader, key: string): Size | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const match = /^(\d+)\s*(MiB|GiB|TiB)?$/i.exec(String(value).trim());
  if (match === null) {
    throw new Error(
      `Context ${key} must be a whole number with MiB, GiB or TiB, e.g. 10GiB (got ${JSON.stringify(value)})`,
    );
  }
  const amount = Number(match[1]);
  switch ((match[2] ?? 'GiB').toLowerCase()) {
    case 'mib':
      return Size.mebibytes(amount);
    case 'tib':
      return Size.tebibytes(amount);
    default:
      return Size.gibibytes(amount);
  }
}

/** A comma-separated list (or a JSON array in cdk.json); empty entries dropped. */
export function optionalList(read: ContextReader, key: string): string[] | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (typeof value !== 'string') {
    throw new Error(`Context ${key} must be a comma-separated list (got ${JSON.stringify(value)})`);
  }
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function optionalInteger(read: ContextReader, key: string): number | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n))
    throw new Error(`Context ${key} must be a whole number (got ${JSON.stringify(value)})`);
  return n;
}

/** An EventBridge schedule expression: `rate(1 day)`, `cron(0 3 * * ? *)`. */
export function optionalSchedule(read: ContextReader, key: string): events.Schedule | undefined {
  const value = optionalString(read, key);
  if (value === undefined) return undefined;
  if (!/^(rate|cron)\(.+\)$/.test(value.trim())) {
    throw new Error(`Context ${key} must be rate(...) or cron(...), e.g. rate(12 hours) (got '${value}')`);
  }
  return events.Schedule.expression(value.trim());
}
