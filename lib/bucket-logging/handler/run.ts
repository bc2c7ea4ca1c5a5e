/**
 * Runs: the custom resource's create/update (reconcile every bucket), its delete (restore every recorded
 * bucket), the scheduled sweep (reconcile again) and a CreateBucket event (reconcile one bucket). A run that
 * does not finish by its deadline saves its progress under a lease and the next invocation resumes it.
 */
import { createHash } from 'node:crypto';
import type { GlueClient } from '@aws-sdk/client-glue';
import { REPORTS_PREFIX } from '../../conventions';
import type { BucketLoggingConfig } from '../types';
import { bucketContext, configureBucket, type Later, restoreBucket } from './buckets';
import { drive, finished, type NameSource, type WorkResult } from './engine';
import { errorFacts, labelled, OperationError } from './errors';
import { fenceHolds, StaleSettingsError, type WriteFence } from './fence';
import { type TableUpdate, updateTableBuckets } from './glue';
import { logsToTarget, newProgress, type Outcome, type RunProgress, type Trigger, tally } from './progress';
import type { BucketApi } from './s3';
import type { StateStore } from './state';

/**
 * The settings' fingerprint: what a sweep or an event checks against the one the last deploy wrote. Only the
 * settings that decide what a bucket gets, each named, so that a release that parses the configuration
 * differently (a new field with a default) does not make every sweep stale until the next deployment.
 */
export function configFingerprint(config: BucketLoggingConfig): string {
  const deciding = [
    config.region,
    config.targetBucket,
    config.prefixTemplate,
    config.keyFormat,
    config.include,
    config.exclude,
    config.excludeTagKey,
    config.overwriteExisting,
  ];
  return createHash('sha256').update(JSON.stringify(deciding)).digest('hex').slice(0, 32);
}

/** One structured log line (JSON). */
export type Logger = (entry: Record<string, unknown>) => void;

export interface Deps {
  readonly s3: BucketApi;
  readonly state: StateStore;
  /** Needed only when the configuration names a Glue table. */
  readonly glue?: GlueClient;
  readonly log: Logger;
  readonly now: () => number;
  readonly newId: () => string;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface RunOptions {
  readonly trigger: Trigger;
  /** Identifies the run across invocations (`sweep`, `deploy#<request id>`, ...). */
  readonly runKey: string;
  /** Epoch ms after which no new bucket is started. */
  readonly deadline: number;
  /** Epoch ms when this invocation ends for certain (the lease lasts until then). */
  readonly leaseUntil: number;
  /** Stop without work when the custom resource is being deleted (the sweep). */
  readonly stopIfDeleted?: boolean;
  /**
   * What every record write checks. A deploy run (`generation`, its run key) writes the settings item on its
   * first invocation; a sweep or event (`fingerprint`) stands down when its settings are not the deployed ones.
   */
  readonly fence: WriteFence;
}

export type RunResult =
  /** `stale`: a newer deployment (or the delete) took over; the run stood down. */
  | { readonly status: 'busy' | 'stopped' | 'stale' }
  | { readonly status: 'unfinished'; readonly progress: RunProgress; readonly table?: TableUpdate }
  | {
      readonly status: 'finished';
      readonly progress: RunProgress;
      readonly table?: TableUpdate;
      readonly reportKey?: string;
    };

/** Retryable failures kept for the final pass; past this a run's final pass would not fit its record. */
const MAX_RETRY = 2_000;

export const iso = (ms: number) => new Date(ms).toISOString();

/** Create, update and sweep: every bucket of the Region, from ListBuckets. */
export function reconcile(config: BucketLoggingConfig, deps: Deps, options: RunOptions): Promise<RunResult> {
  const ctx = bucketContext(config, deps.s3, deps.state, options.trigger, options.fence, deps.now);
  const source: PageSource = {
    operation: 'ListBuckets',
    nextPage: async (token) => {
      const page = await deps.s3.listPage(token);
      // A bucket whose Region S3 did not say and GetBucketLocation could not tell: reported, not assumed ours.
      const outcomes = (page.unresolved ?? []).map(
        (u): Outcome => ({
          kind: 'failed',
          bucket: u.bucket,
          operation: 'GetBucketLocation',
          code: u.code,
          message: u.message,
          retryable: false,
        }),
      );
      return { names: page.names, next: page.next, outcomes };
    },
  };
  return resumable(config, deps, options, source, (name, lane) => configureBucket(ctx, name, lane), true);
}

/** Delete: every bucket with a state record, from the state table. */
export function restore(config: BucketLoggingConfig, deps: Deps, options: RunOptions): Promise<RunResult> {
  const ctx = bucketContext(config, deps.s3, deps.state, options.trigger, options.fence, deps.now);
  const source: PageSource = {
    operation: 'Scan (state table)',
    nextPage: (token) => deps.state.recordedBuckets(token),
  };
  return resumable(config, deps, options, source, (name, lane) => restoreBucket(ctx, name, lane), false);
}

/** A source of names, with outcomes found while listing (a bucket whose Region is unknown). */
interface PageSource {
  readonly operation: string;
  nextPage(token: string | undefined): Promise<{ names: string[]; next?: string; outcomes?: Outcome[] }>;
}

/**
 * One invocation of a run: take the lease and check the fence, work through buckets until done or the deadline,
 * then update the table and either save the cursor for the next invocation or finish with a report.
 */
async function resumable(
  config: BucketLoggingConfig,
  deps: Deps,
  options: RunOptions,
  pages: PageSource,
  perBucket: (name: string, lane: number) => Promise<Outcome | Later>,
  seesEveryBucket: boolean,
): Promise<RunResult> {
  const holder = deps.newId();
  const start = await startInvocation(config, deps, options, holder);
  if (start.kind === 'exit') return start.result;
  const { progress, firstInvocation } = start;
  const pass = await workThrough(config, deps, options, pages, perBucket, progress);
  if (pass.stale) return standDown(deps, options, holder, undefined);
  const invocation: Invocation = { deps, options, holder, progress };
  if (pass.sourceError !== undefined) return pauseAfterSourceError(invocation, pass.sourceError);
  const done = finished(progress.cursor);
  // Only a run that saw every bucket in this invocation may drop listed buckets it did not see.
  const table = await updateTable(config, deps, pass.observed, seesEveryBucket && done && firstInvocation);
  if (!done) return pause(invocation, table);
  return finish(config, invocation, table);
}

/** The invocation that holds the run's lease, and the run's progress so far. */
interface Invocation {
  readonly deps: Deps;
  readonly options: RunOptions;
  readonly holder: string;
  readonly progress: RunProgress;
}

type Start =
  | { readonly kind: 'exit'; readonly result: RunResult }
  | { readonly kind: 'run'; readonly progress: RunProgress; readonly firstInvocation: boolean };

/**
 * Takes the run's lease and decides whether this invocation works: not when another holds the lease, the
 * resource is being deleted (the sweep) or the fence no longer holds. Returns the progress to resume.
 */
async function startInvocation(
  config: BucketLoggingConfig,
  deps: Deps,
  options: RunOptions,
  holder: string,
): Promise<Start> {
  const claimed = await labelled('DynamoDB PutItem (run lease)', () =>
    deps.state.claimRun(options.runKey, holder, options.leaseUntil, deps.now()),
  );
  if (claimed === undefined) {
    deps.log({ level: 'info', event: 'run-busy', runKey: options.runKey });
    return { kind: 'exit', result: { status: 'busy' } };
  }
  // Checked after taking the lease: a delete sets the marker first and then waits for the lease, so one of
  // the two always sees the other.
  const settings = await labelled('DynamoDB GetItem (settings)', () => deps.state.getSettings());
  if (options.stopIfDeleted && settings?.deleted) {
    await deps.state.finishRun(options.runKey, holder);
    deps.log({ level: 'info', event: 'run-stopped', runKey: options.runKey, reason: 'resource deleted' });
    return { kind: 'exit', result: { status: 'stopped' } };
  }
  let progress = claimed.progress;
  if (progress === null && options.fence.kind === 'generation') {
    // A deploy run's first invocation: its settings become the resource's, and its progress is saved at once,
    // so that no later invocation of this run (a resumed one) writes them again over a delete's marker.
    const started = newProgress(deps.newId(), options.trigger, iso(deps.now()));
    const generation = options.fence.generation;
    await labelled('DynamoDB PutItem (settings)', () =>
      deps.state.startDeploy(generation, configFingerprint(config), iso(deps.now())),
    );
    await labelled('DynamoDB PutItem (run progress)', () =>
      deps.state.saveRun(options.runKey, holder, options.leaseUntil, started),
    );
    progress = started;
  } else if (!fenceHolds(settings, options.fence)) {
    return { kind: 'exit', result: await standDown(deps, options, holder, settings?.generation) };
  }
  progress ??= newProgress(deps.newId(), options.trigger, iso(deps.now()));
  const firstInvocation = progress.invocations === 0;
  progress.invocations++;
  deps.log({
    level: 'info',
    event: 'run-start',
    runKey: options.runKey,
    runId: progress.runId,
    invocation: progress.invocations,
  });
  return { kind: 'run', progress, firstInvocation };
}

/** What one invocation's pass over the buckets saw. */
interface Pass {
  /** Whether each bucket seen logs into the target (undefined: unknown), for the table's bucket list. */
  readonly observed: Map<string, boolean | undefined>;
  /** A newer deployment or the delete took over during the pass. */
  readonly stale: boolean;
  /** Listing failed after the SDK's retries; what was done is kept. */
  readonly sourceError?: OperationError;
}

/** Works through the names from the cursor on, recording each outcome, until done, the deadline or a stop. */
async function workThrough(
  config: BucketLoggingConfig,
  deps: Deps,
  options: RunOptions,
  pages: PageSource,
  perBucket: (name: string, lane: number) => Promise<Outcome | Later>,
  progress: RunProgress,
): Promise<Pass> {
  const observed = new Map<string, boolean | undefined>();
  let stale = false;
  const work = async (name: string, lane: number, mayDefer: boolean): Promise<WorkResult> => {
    let outcome: Outcome | Later;
    try {
      outcome = await perBucket(name, lane);
    } catch (err) {
      if (!(err instanceof StaleSettingsError)) throw err;
      stale = true;
      return 'later';
    }
    if (outcome.kind === 'later') return 'later';
    if (outcome.kind === 'failed' && outcome.retryable && mayDefer) {
      deps.log({
        level: 'warn',
        event: 'bucket-deferred',
        bucket: name,
        code: outcome.code,
        operation: outcome.operation,
      });
      return 'deferred';
    }
    record(deps, progress, observed, config, outcome);
    return 'done';
  };
  const source: NameSource = {
    nextPage: async (token) => {
      const page = await labelled(pages.operation, () => pages.nextPage(token));
      for (const outcome of page.outcomes ?? []) record(deps, progress, observed, config, outcome);
      return page;
    },
  };
  try {
    await drive(progress.cursor, source, work, {
      concurrency: config.concurrency,
      deadline: options.deadline,
      now: deps.now,
      maxRetry: MAX_RETRY,
      stop: () => stale,
    });
  } catch (err) {
    // Listing itself failed (after the SDK's retries): keep what was done, let the next invocation resume.
    const sourceError = err instanceof OperationError ? err : new OperationError(pages.operation, err);
    return { observed, stale, sourceError };
  }
  return { observed, stale };
}

/** Saves the cursor after a listing failure: a permanent one fails the run, a transient one is resumed. */
async function pauseAfterSourceError(
  { deps, options, holder, progress }: Invocation,
  sourceError: OperationError,
): Promise<RunResult> {
  await labelled('DynamoDB PutItem (run progress)', () =>
    deps.state.saveRun(options.runKey, holder, 0, progress),
  );
  // A permanent error fails the run (a deploy with a message naming it); a transient one is resumed.
  if (!sourceError.retryable) throw sourceError;
  deps.log({
    level: 'warn',
    event: 'run-paused',
    runKey: options.runKey,
    runId: progress.runId,
    operation: sourceError.operation,
    code: sourceError.code,
    message: sourceError.message,
  });
  return { status: 'unfinished', progress };
}

/** Saves the cursor at the deadline, releasing the lease, for the next invocation to resume. */
async function pause(
  { deps, options, holder, progress }: Invocation,
  table: TableUpdate | undefined,
): Promise<RunResult> {
  await labelled('DynamoDB PutItem (run progress)', () =>
    deps.state.saveRun(options.runKey, holder, 0, progress),
  );
  deps.log({
    level: 'info',
    event: 'run-paused',
    runKey: options.runKey,
    runId: progress.runId,
    counts: progress.counts,
    pending: progress.cursor.pending.length,
    retry: progress.cursor.retry.length,
  });
  return { status: 'unfinished', progress, table };
}

/** Writes the report and ends the run. */
async function finish(
  config: BucketLoggingConfig,
  { deps, options, holder, progress }: Invocation,
  table: TableUpdate | undefined,
): Promise<RunResult> {
  const reportKey = await writeReport(config, deps, progress, table);
  await deps.state.finishRun(options.runKey, holder);
  deps.log({
    level: 'info',
    event: 'run-finished',
    runKey: options.runKey,
    runId: progress.runId,
    trigger: progress.trigger,
    invocations: progress.invocations,
    counts: progress.counts,
    reportKey,
    table,
  });
  return { status: 'finished', progress, table, reportKey };
}

/** A run whose settings are no longer the resource's: it drops its progress and changes nothing more. */
async function standDown(
  deps: Deps,
  options: RunOptions,
  holder: string,
  current: string | undefined,
): Promise<RunResult> {
  await deps.state.finishRun(options.runKey, holder);
  deps.log({
    level: 'warn',
    event: 'run-stale',
    runKey: options.runKey,
    fence: options.fence,
    current,
    reason: 'a newer deployment or the delete took over; this run stands down',
  });
  return { status: 'stale' };
}

/** Adds one outcome to the run's counts, the table's observations and the log. */
export function record(
  deps: Deps,
  progress: RunProgress,
  observed: Map<string, boolean | undefined>,
  config: BucketLoggingConfig,
  outcome: Outcome,
): void {
  tally(progress, outcome);
  observed.set(outcome.bucket, logsToTarget(outcome, config.targetBucket));
  // The steady state (already configured) would be one line per bucket per sweep: not logged.
  if (outcome.kind !== 'alreadyConfigured') {
    deps.log({
      level: outcome.kind === 'failed' ? 'error' : 'info',
      event: 'bucket',
      runId: progress.runId,
      outcome: outcome.kind,
      ...outcomeFields(outcome),
    });
  }
}

function outcomeFields(outcome: Outcome): Record<string, unknown> {
  const { kind: _kind, ...fields } = outcome;
  return fields;
}

export async function updateTable(
  config: BucketLoggingConfig,
  deps: Deps,
  observed: ReadonlyMap<string, boolean | undefined>,
  complete: boolean,
): Promise<TableUpdate | undefined> {
  if (config.glueTable === undefined || deps.glue === undefined) return undefined;
  const update = await updateTableBuckets(deps.glue, config.glueTable, observed, complete);
  deps.log({ level: update.status === 'failed' ? 'error' : 'info', event: 'table-buckets', ...update });
  return update;
}

/** The S3 key of a run's report: by day, then by start time, so that a listing reads in order. */
export function reportKeyFor(progress: RunProgress): string {
  const day = progress.startedAt.slice(0, 10).replaceAll('-', '/');
  const stamp = progress.startedAt.replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${REPORTS_PREFIX}${day}/${stamp}-${progress.trigger}-${progress.runId.slice(0, 8)}.json`;
}

/** Writes the run's JSON report; a failure to write it is logged, the run's work stands. */
export async function writeReport(
  config: BucketLoggingConfig,
  deps: Deps,
  progress: RunProgress,
  table: TableUpdate | undefined,
): Promise<string | undefined> {
  const key = reportKeyFor(progress);
  const { cursor: _cursor, ...summary } = progress;
  const report = {
    ...summary,
    finishedAt: iso(deps.now()),
    region: config.region,
    targetBucket: config.targetBucket,
    prefixTemplate: config.prefixTemplate,
    keyFormat: config.keyFormat,
    overwriteExisting: config.overwriteExisting,
    table: table ?? null,
  };
  try {
    await deps.s3.putJson(config.targetBucket, key, report);
    return key;
  } catch (err) {
    deps.log({ level: 'error', event: 'report-failed', key, ...errorFacts(err) });
    return undefined;
  }
}
