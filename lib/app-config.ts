import { Aws, Duration, Size } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { ContextProvider } from 'aws-cdk-lib/cloud-assembly-schema';
import type { AccessLogBucketProps } from './access-log-bucket';
import { LogDeliveryMode } from './access-log-bucket';
import type { AccessLogTableOptions } from './access-log-table';
import { type AccessLogsStackProps, PARTS } from './access-logs-stack';
import type { BucketLoggingOptions } from './bucket-logging';
import { KeyFormat } from './conventions';
import type { LogCompactionOptions } from './log-compaction';
import { knownRegionCodes, unknownRegions } from './prop-rules';
import type { Sigv2WatchOptions } from './sigv2-watch';
import { lookbackProblem } from './sigv2-watch/days';

/**
 * Turns the CDK app's context (`-c key=value` or cdk.json) into stack properties. Every setting is a context
 * key named like the prop it sets; values typed on the command line arrive as strings, values in cdk.json may
 * also be numbers or booleans. Any malformed value, and any context key the app does not know, fails synth
 * with a message naming the key (see {@link explainFailure}).
 */

/** Reads one context value (`node.tryGetContext`). Only keys of {@link CONTEXT_KEYS} can be read. */
export type ContextReader = (key: ContextKey) => unknown;

/**
 * A setting the app cannot use. `key` names the context key (its {@link CONTEXT_KEYS} entry becomes the hint),
 * `hint` replaces that hint.
 */
export class ContextError extends Error {
  constructor(
    message: string,
    readonly key?: ContextKey,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ContextError';
  }
}

/** What bin/app.ts needs to create one stack per Region. */
export interface AppConfig {
  /** Regions to deploy to, in the order given, without duplicates. */
  readonly regions: string[];
  /**
   * Log bucket props for a Region. `account` fills `{account}` in the bucket names; without it (no
   * credentials) the name carries the AWS::AccountId token instead.
   */
  logBucket(region: string, account?: string): AccessLogBucketProps;
  /** Whether each stack gets the Athena table, workgroup and saved queries. */
  readonly accessLogTableEnabled: boolean;
  /** Athena table and workgroup settings (the same in every Region). */
  readonly accessLogTable: AccessLogTableOptions;
  /** Whether BucketLogging is deployed (undefined: the stack's default, on). */
  readonly bucketLoggingEnabled?: boolean;
  /** BucketLogging settings, the same in every Region. */
  readonly bucketLogging: BucketLoggingOptions;
  /** Whether LogCompaction is deployed (undefined: the stack's default, on with Athena and partitioned keys). */
  readonly logCompactionEnabled?: boolean;
  /** LogCompaction settings, the same in every Region. */
  readonly logCompaction: LogCompactionOptions;
  /** Whether the SigV2 watch is deployed (undefined: the stack's default, on with the compaction). */
  readonly sigv2WatchEnabled?: boolean;
  /** Sigv2Watch settings, the same in every Region. */
  readonly sigv2Watch: Sigv2WatchOptions;
  /**
   * The AccessLogsStack props of one Region (every setting above; `env` and `description` are the app's), so
   * that the per-account app, the organization's StackSet and the tests pass the same props.
   */
  stackProps(region: string, account?: string): AccessLogsStackProps;
}

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

export const CONTEXT_KEYS = {
  regions: 'Comma-separated Region codes; one stack per Region.',
  bucketName:
    'Log bucket name; may contain {account} and {region}, and must contain {region} for several Regions.',
  deliveryMode: 'BucketPolicy (default) or Acl.',
  retention: 'Days log objects are kept (default 90).',
  transitionToInfrequentAccessAfter: 'Days before log objects move to STANDARD_IA (default: never).',
  versioned: 'true or false (default false).',
  existingBucketName:
    'Deliver into this existing bucket instead of creating one; may contain {account} and {region} (default: none).',
  // Athena (AccessLogTable)
  accessLogTableEnabled: 'true (default) or false: the Athena table, workgroup and saved queries.',
  databaseName: 'Glue database name (default s3_access_logs).',
  tableName: 'Glue table name (default access_logs).',
  projectionStart: 'First day the table projects: yyyy/MM/dd or NOW-<n>DAYS (default: the log retention).',
  workGroupName: 'Athena workgroup name (default s3-access-logs).',
  bytesScannedCutoffPerQuery:
    'Per-query scan cap: <n>MiB, <n>GiB or <n>TiB; a bare number is GiB (default 10GiB).',
  queryResultsRetention: 'Days Athena query results are kept (default 7).',
  // BucketLogging
  bucketLoggingEnabled:
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
  logCompactionEnabled:
    'true (default) or false: compact the logs daily into the Parquet table (needs the table, partitioned).',
  compactionSchedule:
    'EventBridge schedule of the nightly compaction, rate(...) or cron(...) (default cron(0 6 * * ? *)).',
  compactionLateDays: 'Days before yesterday each nightly run compacts again, 0 to 30 (default 2).',
  compactionChunkSize: 'Source buckets per compaction query, 1 to 5000 (default 1000).',
  compactionConcurrency: 'Compaction queries at the same time, 1 to 40 (default 4).',
  compactionBytesScannedCutoffPerQuery:
    'Per-query scan cap of the compaction workgroup, like bytesScannedCutoffPerQuery (default 1TiB).',
  // Sigv2Watch
  sigv2WatchEnabled:
    'true (default, with the compaction) or false: the daily SigV2 digest, metrics, dashboard and alarm.',
  digestEmail: 'Email address subscribed to the SigV2 digest topic (default: none).',
  lookbackDays: 'Days a SigV2 requester must have been absent to count as new, 1 to 366 (default 30).',
  // Organization-wide (lib/organization-app-config.ts reads them)
  ...ORGANIZATION_CONTEXT_KEYS,
  // The app itself
  allowUnknownContext:
    'true or false (default false): let context keys this app does not know pass (for other libraries).',
} as const;

/** A context key of the app. */
export type ContextKey = keyof typeof CONTEXT_KEYS;

function isContextKey(key: string): key is ContextKey {
  return Object.hasOwn(CONTEXT_KEYS, key);
}

export function readAppConfig(read: ContextReader): AppConfig {
  const regions = parseRegions(read('regions'));
  const logBucket = readLogBucket(read, regions);
  const switches: PartSwitches = {
    accessLogTableEnabled: optionalBoolean(read, 'accessLogTableEnabled') ?? true,
    bucketLoggingEnabled: optionalBoolean(read, 'bucketLoggingEnabled'),
    logCompactionEnabled: optionalBoolean(read, 'logCompactionEnabled'),
    sigv2WatchEnabled: optionalBoolean(read, 'sigv2WatchEnabled'),
  };
  const bucketLogging = readBucketLoggingOptions(read);
  checkPartsOn(read, switches, bucketLogging.keyFormat);
  const parts = {
    ...switches,
    accessLogTable: readAccessLogTableOptions(read),
    bucketLogging,
    logCompaction: readLogCompactionOptions(read),
    sigv2Watch: {
      digestEmail: optionalString(read, 'digestEmail'),
      lookbackDays: optionalLookbackDays(read),
    },
  };
  return {
    regions,
    ...parts,
    logBucket,
    stackProps: (region, account) => ({
      logBucket: logBucket(region, account),
      ...withoutSettingsOfPartsOff(parts),
    }),
  };
}

/**
 * The parts' props without the settings of a part switched off: the stack refuses those (they would be ignored),
 * and the app reads every settings key whether or not its part is on. Keys that configure only a part that is off
 * were refused already (checkPartsOn); the ones left configure something else too (in an organization rollout
 * `digestEmail` also configures the central watch).
 */
function withoutSettingsOfPartsOff<T extends Partial<AccessLogsStackProps>>(parts: T): T {
  const props: Partial<AccessLogsStackProps> = { ...parts };
  for (const [switchName, settingsName] of PARTS) {
    if (props[switchName] === false) delete props[settingsName];
  }
  return props as T;
}

/** The log bucket's context keys, as props for a Region and account (names filled in). */
function readLogBucket(read: ContextReader, regions: string[]): AppConfig['logBucket'] {
  const bucketName = optionalBucketNameTemplate(read, 'bucketName', regions);
  const existingBucketName = optionalBucketNameTemplate(read, 'existingBucketName', regions);
  const deliveryMode = optionalEnum(read, 'deliveryMode', Object.values(LogDeliveryMode));
  const retention = optionalDays(read, 'retention');
  const transitionToInfrequentAccessAfter = optionalDays(read, 'transitionToInfrequentAccessAfter');
  const versioned = optionalBoolean(read, 'versioned');
  return (region, account) => ({
    bucketName: fillBucketName(bucketName, region, account),
    existingBucketName: fillBucketName(existingBucketName, region, account),
    deliveryMode,
    retention,
    transitionToInfrequentAccessAfter,
    versioned,
  });
}

/** AccessLogTable's context keys, named like its props. */
function readAccessLogTableOptions(read: ContextReader): AccessLogTableOptions {
  return {
    databaseName: optionalString(read, 'databaseName'),
    tableName: optionalString(read, 'tableName'),
    projectionStart: optionalString(read, 'projectionStart'),
    workGroupName: optionalString(read, 'workGroupName'),
    bytesScannedCutoffPerQuery: optionalSize(read, 'bytesScannedCutoffPerQuery'),
    queryResultsRetention: optionalDays(read, 'queryResultsRetention'),
  };
}

/** LogCompaction's context keys, named after its props with `compaction` in front (validated by the construct). */
function readLogCompactionOptions(read: ContextReader): LogCompactionOptions {
  return {
    schedule: optionalSchedule(read, 'compactionSchedule'),
    lateDays: optionalInteger(read, 'compactionLateDays'),
    chunkSize: optionalInteger(read, 'compactionChunkSize'),
    maxConcurrency: optionalInteger(read, 'compactionConcurrency'),
    bytesScannedCutoffPerQuery: optionalSize(read, 'compactionBytesScannedCutoffPerQuery'),
  };
}

/** The context keys that only configure one part of the stack, by part. */
const PART_KEYS = {
  accessLogTableEnabled: [
    'databaseName',
    'tableName',
    'projectionStart',
    'workGroupName',
    'bytesScannedCutoffPerQuery',
    'queryResultsRetention',
  ],
  logCompactionEnabled: [
    'compactionSchedule',
    'compactionLateDays',
    'compactionChunkSize',
    'compactionConcurrency',
    'compactionBytesScannedCutoffPerQuery',
  ],
  sigv2WatchEnabled: ['digestEmail', 'lookbackDays'],
  // prefixTemplate and keyFormat are left out: the table reads the layout they give too.
  bucketLoggingEnabled: [
    'include',
    'exclude',
    'excludeTagKey',
    'overwriteExisting',
    'concurrency',
    'failOnErrors',
    'sweepSchedule',
    'restoreOnDelete',
  ],
} as const satisfies Record<string, readonly ContextKey[]>;

/** The switches that turn parts of the stack on or off, as read (undefined: the stack's default). */
interface PartSwitches {
  readonly accessLogTableEnabled: boolean;
  readonly bucketLoggingEnabled?: boolean;
  readonly logCompactionEnabled?: boolean;
  readonly sigv2WatchEnabled?: boolean;
}

/**
 * Refuses a part turned on that cannot run (the compaction without Athena) and a setting of a part that is off:
 * the stack would ignore it, and a user who sets it expects it to apply, just as with a mistyped key.
 */
function checkPartsOn(read: ContextReader, on: PartSwitches, keyFormat: KeyFormat | undefined): void {
  if (on.logCompactionEnabled === true && !on.accessLogTableEnabled) {
    throw new ContextError(
      'Context logCompactionEnabled=true needs the Athena table (the compaction reads and writes Athena tables), ' +
        'but accessLogTableEnabled=false: remove accessLogTableEnabled=false, or set logCompactionEnabled=false.',
      'logCompactionEnabled',
    );
  }
  const compactionOff = !on.accessLogTableEnabled
    ? 'accessLogTableEnabled=false'
    : on.logCompactionEnabled === false
      ? 'logCompactionEnabled=false'
      : on.logCompactionEnabled === undefined && keyFormat === KeyFormat.SIMPLE
        ? 'keyFormat=simple'
        : undefined;
  // In an organization rollout the central watch reads the SigV2 settings too, whatever the members' switch.
  const organization = isSet(read('organizationId'));
  const off: Record<keyof typeof PART_KEYS, string | undefined> = {
    accessLogTableEnabled: on.accessLogTableEnabled ? undefined : 'accessLogTableEnabled=false',
    logCompactionEnabled: compactionOff,
    sigv2WatchEnabled:
      compactionOff ??
      (on.sigv2WatchEnabled === false && !organization ? 'sigv2WatchEnabled=false' : undefined),
    bucketLoggingEnabled: on.bucketLoggingEnabled === false ? 'bucketLoggingEnabled=false' : undefined,
  };
  for (const part of Object.keys(PART_KEYS) as (keyof typeof PART_KEYS)[]) {
    const reason = off[part];
    if (reason === undefined) continue;
    const key = PART_KEYS[part].find((k) => isSet(read(k)));
    if (key === undefined) continue;
    throw new ContextError(
      `Context ${key}=${formatValue(read(key))} has no effect: the part it configures is off (${reason}). ` +
        `Remove ${key}, or turn the part on.`,
      key,
    );
  }
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** A bucket name that may hold {account} and {region}; several Regions need {region} (names are global). */
function optionalBucketNameTemplate(
  read: ContextReader,
  key: 'bucketName' | 'existingBucketName',
  regions: string[],
): string | undefined {
  const name = optionalString(read, key);
  if (name !== undefined && regions.length > 1 && !name.includes('{region}')) {
    throw new ContextError(
      `Context ${key} '${name}' must contain {region} when several Regions are deployed ` +
        `(${regions.join(', ')}): bucket names are global. Example: -c ${key}=my-logs-{region}`,
      key,
    );
  }
  return name;
}

/**
 * Fills the placeholders. The literal account, when known, keeps the name free of tokens, which CloudFormation
 * needs to import a retained bucket automatically (`cdk deploy --import-existing-resources`).
 */
function fillBucketName(template: string | undefined, region: string, account?: string): string | undefined {
  return template?.replaceAll('{region}', region).replaceAll('{account}', account ?? Aws.ACCOUNT_ID);
}

/** `lookbackDays`, checked here so that a wrong value fails with the key's name and no stack trace. */
function optionalLookbackDays(read: ContextReader): number | undefined {
  const days = optionalInteger(read, 'lookbackDays');
  const problem = days === undefined ? undefined : lookbackProblem(days);
  if (problem !== undefined) throw new ContextError(`Context lookbackDays ${problem}`, 'lookbackDays');
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

export function parseRegions(value: unknown): string[] {
  if (value === undefined || value === null || value === '') {
    throw new ContextError(
      'Context regions is empty: pass -c regions=us-east-1,eu-west-1 (or set it in cdk.json).',
      'regions',
    );
  }
  const list = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const regions = [...new Set(list.map((r) => r.trim()).filter((r) => r !== ''))];
  const unknown = unknownRegions(regions);
  if (unknown.length > 0) {
    throw new ContextError(
      `Context regions names unknown Region code(s): ${unknown.join(', ')}. ` +
        'Use codes such as us-east-1 or eu-west-1.',
      'regions',
      `known Region codes: ${knownRegionCodes().join(', ')}`,
    );
  }
  if (regions.length === 0) {
    throw new ContextError('Context regions lists no Region: pass -c regions=us-east-1', 'regions');
  }
  return regions;
}

export function optionalString(read: ContextReader, key: ContextKey): string | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new ContextError(`Context ${key} must be a string (got ${JSON.stringify(value)})`, key);
  }
  return value;
}

export function optionalBoolean(read: ContextReader, key: ContextKey): boolean | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ContextError(`Context ${key} must be true or false (got ${JSON.stringify(value)})`, key);
}

export function optionalDays(read: ContextReader, key: ContextKey): Duration | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const days = wholeNumber(value);
  if (days === undefined) {
    throw new ContextError(
      `Context ${key} must be a whole number of days (got ${JSON.stringify(value)})`,
      key,
    );
  }
  return Duration.days(days);
}

export function optionalEnum<T extends string>(
  read: ContextReader,
  key: ContextKey,
  allowed: readonly T[],
): T | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const match = allowed.find((a) => a.toLowerCase() === String(value).toLowerCase());
  if (match === undefined) {
    throw new ContextError(
      `Context ${key} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`,
      key,
    );
  }
  return match;
}

/** A size as `<n>MiB`, `<n>GiB` or `<n>TiB`; a bare whole number is GiB. */
export function optionalSize(read: ContextReader, key: ContextKey): Size | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const match = /^(\d+)\s*(MiB|GiB|TiB)?$/i.exec(String(value).trim());
  if (match === null) {
    throw new ContextError(
      `Context ${key} must be a whole number with MiB, GiB or TiB, e.g. 10GiB (got ${JSON.stringify(value)})`,
      key,
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
export function optionalList(read: ContextReader, key: ContextKey): string[] | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (typeof value !== 'string') {
    throw new ContextError(
      `Context ${key} must be a comma-separated list (got ${JSON.stringify(value)})`,
      key,
    );
  }
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function optionalInteger(read: ContextReader, key: ContextKey): number | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const n = wholeNumber(value);
  if (n === undefined) {
    throw new ContextError(`Context ${key} must be a whole number (got ${JSON.stringify(value)})`, key);
  }
  return n;
}

/**
 * A whole number of zero or more: a JSON number, or a string of decimal digits. `Number()` alone would also take
 * `0x1E`, `1e2`, `0b11` or ` ` (0), none of which a user means as a count.
 */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A single known Region code (not a list), e.g. `centralRegion`. */
export function optionalRegion(read: ContextReader, key: ContextKey): string | undefined {
  const value = optionalString(read, key)?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.includes(',')) {
    throw new ContextError(
      `Context ${key} must be one Region code, not a list (got '${value}'). Example: -c ${key}=us-east-1`,
      key,
    );
  }
  if (unknownRegions([value]).length > 0) {
    throw new ContextError(
      `Context ${key} names an unknown Region code (got '${value}'). Use a code such as us-east-1 or eu-west-1.`,
      key,
    );
  }
  return value;
}

/**
 * An EventBridge schedule expression, checked here because EventBridge would only refuse it at deploy time:
 * `rate(<n> minute|minutes|hour|hours|day|days)` (singular exactly for 1), or `cron(...)` with six fields of
 * which day-of-month or day-of-week is `?`.
 */
export function optionalSchedule(read: ContextReader, key: ContextKey): events.Schedule | undefined {
  const value = optionalString(read, key)?.trim();
  if (value === undefined) return undefined;
  const problem = scheduleProblem(value);
  if (problem !== undefined) {
    throw new ContextError(
      `Context ${key} '${value}' ${problem}. Examples: rate(1 day), rate(12 hours), cron(0 3 * * ? *)`,
      key,
    );
  }
  return events.Schedule.expression(value);
}

function scheduleProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) {
    const match = /^(\d+) (minute|hour|day)(s?)$/.exec(rate[1].trim());
    if (match === null) return 'must be rate(<n> minutes|hours|days)';
    const n = Number(match[1]);
    if (n < 1) return 'must have a rate of at least 1';
    if ((n === 1) !== (match[3] === '')) return `must use the ${n === 1 ? 'singular' : 'plural'} unit`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
      return `must have six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
    }
    if (fields[2] !== '?' && fields[4] !== '?') return 'must have ? in day-of-month or day-of-week';
    return undefined;
  }
  return 'must be rate(...) or cron(...)';
}

// ---------------------------------------------------------------------------------------------------------
// Unknown keys

/** Exact keys that the CDK CLI itself writes into cdk.json or cdk.context.json, or passes to every app. */
const CDK_OWNED_KEYS = new Set(['cli-telemetry', 'acknowledged-issue-numbers', 'cdk-migrate']);

/**
 * Key prefixes CDK owns: settings the CLI passes (`aws:cdk:*`, legacy `aws-cdk:*`), feature flags
 * (`@aws-cdk/*`, `@aws-cdk-containers/*`), and the lookup results cached in cdk.context.json, which are keyed
 * `<provider>:<account, Region and query>`.
 */
const CDK_OWNED_PREFIXES = [
  'aws:cdk:',
  'aws-cdk:',
  '@aws-cdk',
  ...Object.values(ContextProvider).map((p) => `${p}:`),
];

/** Whether `key` belongs to the CDK (CLI, feature flags, cached lookups) rather than to this app. */
export function isCdkOwnedKey(key: string): boolean {
  return CDK_OWNED_KEYS.has(key) || CDK_OWNED_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * Fails on a context key that neither this app nor the CDK owns: a mistyped key (`retension`) would
 * otherwise be ignored and the default used. `allowUnknownContext=true` lets keys of other libraries through.
 */
export function checkContextKeys(context: Readonly<Record<string, unknown>>): void {
  refuseRenamedKeys(context);
  if (optionalBoolean((key) => context[key], 'allowUnknownContext')) return;
  const unknown = Object.keys(context).filter((key) => !isContextKey(key) && !isCdkOwnedKey(key));
  if (unknown.length === 0) return;
  const described = unknown.map((key) => {
    const near = closestKey(key);
    return `${key}=${formatValue(context[key])} (${near ? `did you mean ${near}?` : 'no setting is close'})`;
  });
  throw new ContextError(
    `Unknown context key${unknown.length > 1 ? 's' : ''} ${described.join(', ')}: fix the spelling, or pass ` +
      '-c allowUnknownContext=true if another library reads it.',
    undefined,
    'the keys of this app are listed in README "Configuration"; keys CDK owns (aws:cdk:*, @aws-cdk/* feature ' +
      'flags, cdk.context.json lookups, cli-telemetry) always pass.',
  );
}

/**
 * The switches' context keys of earlier 0.x releases, with their new names (named like the stack's props,
 * `<part>Enabled`). Refused by name, even with allowUnknownContext, so that a cdk.json written for an earlier
 * release never has a part silently left on.
 */
export const RENAMED_CONTEXT_KEYS: Readonly<Record<string, ContextKey>> = {
  athena: 'accessLogTableEnabled',
  enableBucketLogging: 'bucketLoggingEnabled',
  compaction: 'logCompactionEnabled',
  sigv2Watch: 'sigv2WatchEnabled',
};

function refuseRenamedKeys(context: Readonly<Record<string, unknown>>): void {
  const old = Object.keys(RENAMED_CONTEXT_KEYS).find((key) => Object.hasOwn(context, key));
  if (old === undefined) return;
  const renamed = RENAMED_CONTEXT_KEYS[old];
  throw new ContextError(
    `Context key ${old} was renamed to ${renamed}: write -c ${renamed}=${formatValue(context[old])} ` +
      `(or "${renamed}" in cdk.json) instead.`,
    renamed,
  );
}

/** The known key nearest to `key` in edit distance (case ignored), if it is near enough to be a typo. */
export function closestKey(key: string): ContextKey | undefined {
  let best: { key: ContextKey; distance: number } | undefined;
  for (const known of Object.keys(CONTEXT_KEYS) as ContextKey[]) {
    const distance = editDistance(key.toLowerCase(), known.toLowerCase());
    if (best === undefined || distance < best.distance) best = { key: known, distance };
  }
  if (best === undefined) return undefined;
  return best.distance <= Math.max(2, Math.ceil(best.key.length / 4)) ? best.key : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

// ---------------------------------------------------------------------------------------------------------
// Messages

/** What the app prints for a failed synth: one line, and an optional hint line. */
export interface FailureMessage {
  readonly line: string;
  readonly hint?: string;
}

/**
 * Turns anything thrown while reading the context or building the stacks into one line for the user. A
 * construct names the prop it rejects (`retention must be at least 1 day (got 0)`), and every prop the app
 * sets has a context key of the same name, so the first key the user set that the message names is the one
 * to fix: the line leads with that key and its value as typed.
 */
export function explainFailure(err: unknown, context: Readonly<Record<string, unknown>>): FailureMessage {
  const message = oneLine(err instanceof Error ? err.message : String(err));
  if (err instanceof ContextError) {
    return { line: message, hint: err.hint ?? (err.key ? keyHint(err.key) : undefined) };
  }
  const key = aliasedKeyNamed(message, context) ?? firstSetKeyNamed(message, context);
  const line = asContext(message);
  if (key === undefined) {
    return {
      line,
      hint: 'no context key matched this error; cdk synth --debug-app shows where it was thrown.',
    };
  }
  return { line: `Context ${key}=${formatValue(context[key])}: ${line}`, hint: keyHint(key) };
}

/**
 * A construct's message as the app's user acts on it: a stack switch written as a prop (`an AccessLogsStack's
 * logCompactionEnabled: false`, the words a library user needs) becomes the context the app reads
 * (`-c logCompactionEnabled=false`).
 */
function asContext(message: string): string {
  const switches = Object.keys(PART_KEYS).join('|');
  return message.replace(
    new RegExp(`(?:an AccessLogsStack's )?(?<![A-Za-z0-9_])(${switches}): (true|false)(?![A-Za-z0-9_])`, 'g'),
    '-c $1=$2',
  );
}

/**
 * Construct props the app sets from a context key of another name, by the construct whose errors name them
 * (`LogCompaction <path>: lateDays must be ...`): the user typed `compactionLateDays`.
 */
const PROP_CONTEXT_KEYS: Readonly<Record<string, Readonly<Record<string, ContextKey>>>> = {
  LogCompaction: {
    lateDays: 'compactionLateDays',
    chunkSize: 'compactionChunkSize',
    maxConcurrency: 'compactionConcurrency',
    bytesScannedCutoffPerQuery: 'compactionBytesScannedCutoffPerQuery',
    schedule: 'compactionSchedule',
  },
};

/** The set context key behind the first aliased prop the message names, for a message of that construct. */
function aliasedKeyNamed(
  message: string,
  context: Readonly<Record<string, unknown>>,
): ContextKey | undefined {
  let first: { key: ContextKey; at: number } | undefined;
  for (const [construct, props] of Object.entries(PROP_CONTEXT_KEYS)) {
    if (!message.startsWith(`${construct} `)) continue;
    for (const [prop, key] of Object.entries(props)) {
      const value = context[key];
      if (value === undefined || value === null || value === '') continue;
      const at = message.search(new RegExp(`(?<![A-Za-z0-9_])${prop}(?![A-Za-z0-9_])`));
      if (at >= 0 && (first === undefined || at < first.at)) first = { key, at };
    }
  }
  return first?.key;
}

function firstSetKeyNamed(
  message: string,
  context: Readonly<Record<string, unknown>>,
): ContextKey | undefined {
  let first: { key: ContextKey; at: number } | undefined;
  for (const key of Object.keys(CONTEXT_KEYS) as ContextKey[]) {
    const value = context[key];
    if (value === undefined || value === null || value === '') continue;
    // Whole identifiers only: `exclude` must not match inside `excludeTagKey`.
    const at = message.search(new RegExp(`(?<![A-Za-z0-9_])${key}(?![A-Za-z0-9_])`));
    if (at >= 0 && (first === undefined || at < first.at)) first = { key, at };
  }
  return first?.key;
}

function keyHint(key: ContextKey): string {
  return `${key}: ${CONTEXT_KEYS[key]}`;
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}

function formatValue(value: unknown): string {
  return typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value);
}
