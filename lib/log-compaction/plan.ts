/**
 * The compaction's decisions, free of I/O: which days a run compacts, which top-level prefixes of the log bucket
 * are source buckets, the chunk queries of a run, and how a run's staged files replace a day's published ones.
 * The handler (handler/index.ts) is the thin S3 shell around them. No aws-cdk-lib imports.
 */
import { BUCKET_PLACEHOLDER, RESERVED_PREFIX } from '../conventions';
import { athenaUnload, chunkBuckets, isBucketName } from './sql';

/** Where the compacted table's files live: `<DAILY_PREFIX>yyyy/MM/dd/`. */
export const DAILY_PREFIX = `${RESERVED_PREFIX}daily/`;
/** Where a run stages its chunk files (`<run>/<yyyy/MM/dd>/chunk-00000/`) and its plan (`<run>/plan.json`). */
export const RUNS_PREFIX = `${RESERVED_PREFIX}compaction-runs/`;

/**
 * Most days one execution compacts: its plan holds every day's chunk queries (50,000 buckets: about 3.4 MB a
 * day), written by one Lambda invocation. A backfill of a longer window is several executions.
 */
export const MAX_DAYS_PER_RUN = 31;

/** A mistake in an execution's input: the message names the field and the fix. */
export class InvalidInputError extends Error {
  public override readonly name = 'InvalidInput';
}

/** What a manual execution may pass (the nightly one passes nothing). */
export interface CompactionInput {
  /** One day to (re)compact: `yyyy-MM-dd` or `yyyy/MM/dd`. */
  readonly day?: unknown;
  /** First day of a backfill (with `to`). */
  readonly from?: unknown;
  /** Last day of a backfill, inclusive (with `from`). */
  readonly to?: unknown;
}

const DAY_TEXT = /^(\d{4})[-/](\d{2})[-/](\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** A day as `yyyy/MM/dd` (UTC). */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replaceAll('-', '/');
}

function parseDay(field: string, value: unknown): number {
  const m = typeof value === 'string' ? DAY_TEXT.exec(value.trim()) : null;
  const time = m === null ? Number.NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (m === null || dayOf(time) !== `${m[1]}/${m[2]}/${m[3]}`) {
    throw new InvalidInputError(
      `"${field}" must be a day as yyyy-MM-dd, e.g. {"${field}": "2026-11-29"} (got ${JSON.stringify(value)})`,
    );
  }
  return time;
}

/**
 * The days a run compacts, oldest first. Nightly (no input): yesterday (UTC, at the execution's start) and the
 * `lateDays` before it, so logs S3 delivered late are picked up. `{"day"}`: that day. `{"from", "to"}`: every day
 * of the range. A day after yesterday is refused: its logs are still arriving.
 */
export function daysToCompact(input: CompactionInput, startTime: string, lateDays: number): string[] {
  const start = Date.parse(startTime);
  if (Number.isNaN(start)) throw new Error(`the execution start time '${startTime}' is not a time`);
  const yesterday = Math.floor(start / MS_PER_DAY) * MS_PER_DAY - MS_PER_DAY;
  let first: number;
  let last: number;
  if (input.day !== undefined) {
    if (input.from !== undefined || input.to !== undefined) {
      throw new InvalidInputError('pass either "day" or "from" and "to", not both');
    }
    first = last = parseDay('day', input.day);
  } else if (input.from !== undefined || input.to !== undefined) {
    first = parseDay('from', input.from);
    last = parseDay('to', input.to);
    if (first > last) throw new InvalidInputError(`"from" (${input.from}) is after "to" (${input.to})`);
  } else {
    first = yesterday - lateDays * MS_PER_DAY;
    last = yesterday;
  }
  if (last > yesterday) {
    throw new InvalidInputError(
      `${dayOf(last)} is not over yet (UTC) or its logs are still arriving: compact days up to ${dayOf(yesterday)}`,
    );
  }
  const count = Math.round((last - first) / MS_PER_DAY) + 1;
  if (count > MAX_DAYS_PER_RUN) {
    throw new InvalidInputError(
      `${count} days asked for; one execution compacts at most ${MAX_DAYS_PER_RUN}: split the range`,
    );
  }
  return Array.from({ length: count }, (_, i) => dayOf(first + i * MS_PER_DAY));
}

/** Where to list the log bucket to find every source bucket that delivered logs. */
export interface BucketListing {
  /** List with this prefix and delimiter `/`. */
  readonly prefix: string;
  /** What follows the bucket's name in each common prefix, before the `/`. */
  readonly suffix: string;
}

/**
 * The listing that yields one common prefix per source bucket, from the target prefix template (`{bucket}` is
 * the source bucket) of the partitioned layout, `<prefix><account>/<region>/<bucket>/yyyy/MM/dd/`: up to the
 * template's first `{bucket}` (default `{bucket}/`: the top level), else up to the bucket after the Region.
 */
export function bucketListing(prefixTemplate: string, account: string, region: string): BucketListing {
  const at = prefixTemplate.indexOf(BUCKET_PLACEHOLDER);
  if (at < 0) return { prefix: `${prefixTemplate}${account}/${region}/`, suffix: '' };
  const rest = prefixTemplate.slice(at + BUCKET_PLACEHOLDER.length);
  const slash = rest.indexOf('/');
  return { prefix: prefixTemplate.slice(0, at), suffix: slash < 0 ? rest : rest.slice(0, slash) };
}

/** The source buckets of a listing, and the common prefixes left out (to be logged and reported). */
export interface SourceBuckets {
  /** Sorted, unique. */
  readonly buckets: string[];
  /** Common prefixes that are not `<prefix><bucket name><suffix>/`, sorted; the project's own is not listed. */
  readonly skipped: string[];
}

/**
 * The source buckets among the common prefixes of a listing (`<prefix><name><suffix>/`): names that can be S3
 * buckets, legacy us-east-1 names (uppercase, underscores, up to 255 characters) included. The project's own
 * `_s3-access-logs/` is left out; anything else left out is returned as `skipped`, so a run says what it did
 * not compact.
 */
export function bucketsFromPrefixes(
  listing: BucketListing,
  commonPrefixes: readonly string[],
): SourceBuckets {
  const end = `${listing.suffix}/`;
  const names = new Set<string>();
  const skipped = new Set<string>();
  for (const p of commonPrefixes) {
    if (p === RESERVED_PREFIX) continue;
    const name =
      p.startsWith(listing.prefix) && p.endsWith(end) && p.length > listing.prefix.length + end.length
        ? p.slice(listing.prefix.length, p.length - end.length)
        : undefined;
    if (name !== undefined && isBucketName(name)) names.add(name);
    else skipped.add(p);
  }
  return { buckets: [...names].sort(), skipped: [...skipped].sort() };
}

/** One chunk query of a run: an item of the state machine's distributed map. */
export interface PlanItem {
  readonly day: string;
  readonly chunk: number;
  /** The UNLOAD statement. */
  readonly query: string;
}

/** What the plan needs to know about the deployment. */
export interface PlanSettings {
  readonly logBucketName: string;
  /** The compaction source table, quoted: `"db"."table"`. */
  readonly source: string;
  readonly chunkSize: number;
}

/** The key prefix under which run `run` stages day `day`. */
export function stagingPrefix(run: string, day: string): string {
  return `${RUNS_PREFIX}${run}/${day}/`;
}

/** A run id usable in S3 keys, from the execution name. */
export function runId(executionName: string): string {
  // Published files start with the run id, and Athena skips files whose names start with '_' or '.'.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/.test(executionName)) {
    throw new InvalidInputError(
      `execution name '${executionName}' must be 1 to 80 letters, digits, '-' or '_', starting with a letter or ` +
        'digit (it names the run’s files)',
    );
  }
  return executionName;
}

/** Every chunk query of a run: for each day, the buckets in chunks, each UNLOADed to its own staging prefix. */
export function planItems(
  settings: PlanSettings,
  run: string,
  days: readonly string[],
  buckets: readonly string[],
) {
  const chunks = chunkBuckets(buckets, settings.chunkSize);
  return days.flatMap((day) =>
    chunks.map(
      (chunk, i): PlanItem => ({
        day,
        chunk: i,
        query: athenaUnload(
          { source: settings.source, day, buckets: chunk },
          `s3://${settings.logBucketName}/${stagingPrefix(run, day)}chunk-${String(i).padStart(5, '0')}/`,
        ),
      }),
    ),
  );
}

/** The S3 operations that make a run's staged files the day's published files. */
export interface PublishSteps {
  /** Published keys of other runs, deleted first, and again after the copies (a concurrent run's). */
  readonly deletes: string[];
  /** Staged key to published key. */
  readonly copies: { readonly from: string; readonly to: string }[];
}

/**
 * How run `run` publishes day `day`: every published file not of this run goes, and every staged file is
 * copied to `<DAILY_PREFIX><day>/<run>.<chunk>-<file>`. Run twice, the second time copies the same names over
 * themselves and deletes nothing of this run: one copy of each record. A day with nothing staged (no logs)
 * ends with no file: an empty partition.
 */
export function publishSteps(
  run: string,
  day: string,
  published: readonly string[],
  staged: readonly string[],
) {
  const live = `${DAILY_PREFIX}${day}/`;
  // '.' cannot appear in a run id, so no run's files look like another's ('r2' and 'r2-x').
  const own = `${live}${run}.`;
  const from = stagingPrefix(run, day);
  const steps: PublishSteps = {
    deletes: published.filter((k) => k.startsWith(live) && !k.startsWith(own)),
    copies: staged
      .filter((k) => k.startsWith(from) && !k.endsWith('/'))
      .map((k) => ({ from: k, to: `${own}${k.slice(from.length).replaceAll('/', '-')}` })),
  };
  return steps;
}

/**
 * What a run whose Publish finally failed deletes of day `day`'s published files, so that the day holds one
 * whole copy or none, never part of one: when the run's own files there are not all its staged files (copying
 * stopped halfway, after the other runs' files were deleted), its own files go and the day is left with none
 * (the next run compacts it again); when they are all there, the other runs' files go, as the publish would have
 * finished; a day the run never reached is left as it is.
 */
export function abandonDeletes(
  run: string,
  day: string,
  published: readonly string[],
  staged: readonly string[],
): string[] {
  const own = `${DAILY_PREFIX}${day}/${run}.`;
  const ours = new Set(published.filter((k) => k.startsWith(own)));
  if (ours.size === 0) return [];
  const steps = publishSteps(run, day, published, staged);
  const complete = steps.copies.length === ours.size && steps.copies.every((c) => ours.has(c.to));
  return complete ? steps.deletes : [...ours].sort();
}
