/**
 * Types shared by the BucketLogging construct and its Lambda handler, so that the two sides cannot drift.
 * This module must stay free of aws-cdk-lib imports: the bundled handler imports it.
 */
import { KeyFormat } from '../conventions';

/** The Glue table whose partition-projection bucket list bucket logging keeps current. */
export interface GlueTableRef {
  /** Glue database of the table. */
  readonly databaseName: string;
  /** Name of the table. */
  readonly tableName: string;
}

/**
 * Everything the handler needs to know, built once by the construct. The custom resource carries it as the
 * `Config` property and the function as the `BUCKET_LOGGING_CONFIG` environment variable (for the sweep and
 * the CreateBucket events), both as JSON: CloudFormation turns numbers and booleans of resource properties
 * into strings, a JSON document keeps their types.
 */
export interface BucketLoggingConfig {
  /** Region whose buckets are configured (the stack's). */
  readonly region: string;
  /** The log bucket every source bucket logs into. */
  readonly targetBucket: string;
  /** TargetPrefix template with `{bucket}`. */
  readonly prefixTemplate: string;
  readonly keyFormat: KeyFormat;
  /** Name patterns a bucket must match (empty: every bucket). */
  readonly include: readonly string[];
  /** Name patterns that exclude a bucket. */
  readonly exclude: readonly string[];
  /** Tag key that opts a bucket out, whatever its value. */
  readonly excludeTagKey: string;
  readonly overwriteExisting: boolean;
  /** Buckets worked on at the same time. */
  readonly concurrency: number;
  readonly failOnErrors: boolean;
  readonly restoreOnDelete: boolean;
  /** DynamoDB table holding previous configurations and run progress. */
  readonly stateTableName: string;
  /** The Athena table whose bucket list is kept current, if any. */
  readonly glueTable?: GlueTableRef;
}

/** Properties of the custom resource, as the handler receives them. */
export interface BucketLoggingResourceProperties {
  readonly ServiceToken: string;
  /** `JSON.stringify(BucketLoggingConfig)`. */
  readonly Config: string;
  /**
   * BucketLogging's `tableRevision`: the handler does nothing with its value; a change of it is what makes
   * CloudFormation send an Update (a run that puts the table's bucket list back). Absent without one.
   */
  readonly TableRevision?: string;
}

/** What the handler takes from the custom resource's properties, checked. */
export interface ParsedResourceProperties {
  readonly config: BucketLoggingConfig;
  readonly tableRevision?: string;
}

/** Parses and checks the custom resource's properties; a message names the property (a construct bug). */
export function parseResourceProperties(properties: unknown): ParsedResourceProperties {
  if (typeof properties !== 'object' || properties === null) {
    throw new Error('bucket logging resource properties are not an object');
  }
  const { Config: config, TableRevision: tableRevision } = properties as Record<string, unknown>;
  if (config !== undefined && typeof config !== 'string') {
    throw new Error('resource property Config must be a string (JSON)');
  }
  if (tableRevision !== undefined && (typeof tableRevision !== 'string' || tableRevision === '')) {
    throw new Error('resource property TableRevision must be a non-empty string when present');
  }
  return { config: parseConfig(config), tableRevision };
}

/**
 * Buckets worked on at the same time. Measured against a stub with 50 ms calls: 64 workers configure 10,000
 * buckets in well under a minute; S3's bucket-configuration APIs throttle long before Lambda runs out of sockets.
 */
export const DEFAULT_CONCURRENCY = 64;

/** Environment variable that holds the configuration (JSON) for the sweep and CreateBucket events. */
export const CONFIG_ENV = 'BUCKET_LOGGING_CONFIG';

/** What a run counts; the custom resource exposes each as an attribute of the same name. */
export const COUNT_NAMES = [
  'configured',
  'alreadyConfigured',
  'keptExisting',
  'excluded',
  'failed',
  'restored',
  'leftAlone',
] as const;

/** One of {@link COUNT_NAMES}: a custom resource attribute, e.g. `bucketLogging.count('configured')`. */
export type CountName = (typeof COUNT_NAMES)[number];
export type Counts = Record<CountName, number>;

/** Custom resource attribute with the S3 key of the run's JSON report. */
export const REPORT_KEY_ATTRIBUTE = 'reportKey';

/** Parses and checks a configuration; a message names the field, because a bad one is a construct bug. */
export function parseConfig(json: string | undefined): BucketLoggingConfig {
  if (json === undefined || json === '') throw new Error('bucket logging configuration is missing');
  const raw: unknown = JSON.parse(json);
  if (typeof raw !== 'object' || raw === null)
    throw new Error('bucket logging configuration is not an object');
  const c = raw as Record<string, unknown>;
  const str = (k: string): string => {
    if (typeof c[k] !== 'string' || c[k] === '') throw new Error(`configuration field ${k} must be a string`);
    return c[k] as string;
  };
  const bool = (k: string): boolean => {
    if (typeof c[k] !== 'boolean') throw new Error(`configuration field ${k} must be a boolean`);
    return c[k] as boolean;
  };
  const list = (k: string): string[] => {
    const v = c[k];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      throw new Error(`configuration field ${k} must be a list of strings`);
    }
    return v as string[];
  };
  const keyFormat = str('keyFormat');
  if (!Object.values<string>(KeyFormat).includes(keyFormat)) {
    throw new Error(`configuration field keyFormat must be one of ${Object.values(KeyFormat).join(', ')}`);
  }
  const concurrency = c.concurrency;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error('configuration field concurrency must be a positive integer');
  }
  let glueTable: GlueTableRef | undefined;
  if (c.glueTable !== undefined) {
    const g = c.glueTable as Record<string, unknown>;
    if (typeof g?.databaseName !== 'string' || typeof g?.tableName !== 'string') {
      throw new Error('configuration field glueTable needs databaseName and tableName');
    }
    glueTable = { databaseName: g.databaseName, tableName: g.tableName };
  }
  return {
    region: str('region'),
    targetBucket: str('targetBucket'),
    prefixTemplate: str('prefixTemplate'),
    keyFormat: keyFormat as KeyFormat,
    include: list('include'),
    exclude: list('exclude'),
    excludeTagKey: str('excludeTagKey'),
    overwriteExisting: bool('overwriteExisting'),
    concurrency,
    failOnErrors: bool('failOnErrors'),
    restoreOnDelete: bool('restoreOnDelete'),
    stateTableName: str('stateTableName'),
    glueTable,
  };
}
