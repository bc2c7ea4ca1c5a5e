/**
 * What happens to one bucket: read, decide (decide.ts), record, write. Every error becomes a `failed` outcome
 * with the bucket, the operation and the AWS error code; nothing here throws, so one bucket never stops a run.
 */
import type { LoggingEnabled } from '@aws-sdk/client-s3';
import type { BucketLoggingConfig } from '../types';
import {
  decideLogging,
  decideRestore,
  desiredLogging,
  type Exclusion,
  nameExclusion,
  tagExclusion,
} from './decide';
import { errorFacts, NO_SUCH_BUCKET } from './errors';
import { StaleSettingsError, type WriteFence } from './fence';
import type { Outcome, Trigger } from './progress';
import { type BucketApi, DYNAMODB_CALL_BOUND_MS, S3_CALL_BOUND_MS } from './s3';
import type { StateStore } from './state';

/**
 * How long after a record's `updatedAt` its PutBucketLogging may still land. `updatedAt` is taken before the
 * record write, which is a settings read and a PutItem (each at most DYNAMODB_CALL_BOUND_MS, every attempt timed
 * out), and then comes one S3 call with every attempt and backoff (S3_CALL_BOUND_MS); a minute more for clocks.
 */
export const WRITE_SETTLE_MS = 2 * DYNAMODB_CALL_BOUND_MS + S3_CALL_BOUND_MS + 60_000;

/** What per-bucket work needs; prepared once per run. */
export interface BucketContext {
  readonly config: BucketLoggingConfig;
  readonly s3: BucketApi;
  readonly state: StateStore;
  readonly trigger: Trigger;
  /** What every record write of this run checks; see `WriteFence`. */
  readonly fence: WriteFence;
  readonly now: () => number;
  /** The name filters, compiled once. */
  readonly byName: (bucket: string) => Exclusion | undefined;
}

export function bucketContext(
  config: BucketLoggingConfig,
  s3: BucketApi,
  state: StateStore,
  trigger: Trigger,
  fence: WriteFence,
  now: () => number,
): BucketContext {
  return { config, s3, state, trigger, fence, now, byName: nameExclusion(config) };
}

/** A bucket not to touch yet: a writer that passed the fence before the delete may still be changing it. */
export interface Later {
  readonly kind: 'later';
  readonly bucket: string;
  /** Epoch ms from when it may be restored. */
  readonly until: number;
}

/** An error with the operation it came from. */
class StepError extends Error {
  constructor(
    readonly operation: string,
    readonly cause: unknown,
  ) {
    super(`${operation} failed`);
  }
}

/** Runs one step and labels its failure with the operation's name. */
async function step<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new StepError(operation, err);
  }
}

function failure(bucket: string, err: unknown): Outcome {
  // Not one bucket's failure: the whole run stands down (run.ts).
  if (err instanceof StepError && err.cause instanceof StaleSettingsError) throw err.cause;
  const operation = err instanceof StepError ? err.operation : 'Unknown';
  const facts = errorFacts(err instanceof StepError ? err.cause : err);
  return { kind: 'failed', bucket, operation, ...facts };
}

const pointsAt = (logging: LoggingEnabled | undefined, target: string) => logging?.TargetBucket === target;

/** Create, update, sweep and CreateBucket events: bring one bucket to the wanted configuration. */
export async function configureBucket(ctx: BucketContext, bucket: string, lane: number): Promise<Outcome> {
  // StaleSettingsError passes through `failure`: the run stands down rather than fail each bucket.
  const { config, s3, state } = ctx;
  const byName = ctx.byName(bucket);
  if (byName !== undefined) return { kind: 'excluded', bucket, reason: byName };
  try {
    // Both reads at once: the tags usually say "go ahead", and the configuration is needed then.
    const [tags, logging] = await Promise.allSettled([
      step('GetBucketTagging', () => s3.getTags(bucket, lane)),
      step('GetBucketLogging', () => s3.getLogging(bucket, lane)),
    ]);
    if (tags.status === 'rejected') throw tags.reason;
    const byTag = tagExclusion(tags.value, config.excludeTagKey);
    if (byTag !== undefined) {
      const logsToTarget =
        logging.status === 'fulfilled' ? pointsAt(logging.value, config.targetBucket) : undefined;
      return { kind: 'excluded', bucket, reason: byTag, logsToTarget };
    }
    if (logging.status === 'rejected') throw logging.reason;
    const current = logging.value;
    const desired = desiredLogging(config, bucket);
    let decision = decideLogging(current, desired, { overwriteExisting: config.overwriteExisting });
    if (decision.kind === 'needs-record') {
      const record = await step('GetStateRecord', () => state.getRecord(bucket));
      decision = decideLogging(current, desired, {
        overwriteExisting: config.overwriteExisting,
        record: record ?? null,
      });
    }
    switch (decision.kind) {
      case 'already-configured':
        return { kind: 'alreadyConfigured', bucket };
      case 'keep-existing':
      case 'needs-record':
        return { kind: 'keptExisting', bucket, existing: current! };
      case 'put': {
        // Durably first: whatever happens next, the record says what the bucket had before us.
        const at = new Date(ctx.now()).toISOString();
        await step('RecordState', () =>
          state.recordChange(bucket, current ?? null, desired, ctx.trigger, at, ctx.fence),
        );
        await step('PutBucketLogging', () => s3.putLogging(bucket, desired, lane));
        return { kind: 'configured', bucket, why: decision.why };
      }
      default: {
        const never: never = decision;
        throw new Error(`unknown decision ${JSON.stringify(never)}`);
      }
    }
  } catch (err) {
    return failure(bucket, err);
  }
}

/**
 * Delete: give one recorded bucket back the configuration it had before us, if it still logs into a log
 * bucket we applied. Whatever the record last says we applied: a failed or reverted re-point leaves buckets
 * on an earlier one, which is still ours (the record keeps them all).
 */
export async function restoreBucket(
  ctx: BucketContext,
  bucket: string,
  lane: number,
): Promise<Outcome | Later> {
  const { config, s3, state } = ctx;
  try {
    const record = await step('GetStateRecord', () => state.getRecord(bucket));
    if (record === undefined) return { kind: 'leftAlone', bucket, why: 'no-record' };
    // Written just before the delete's marker: its PutBucketLogging may still be on its way.
    const settled = Date.parse(record.updatedAt) + WRITE_SETTLE_MS;
    if (Number.isFinite(settled) && ctx.now() < settled) return { kind: 'later', bucket, until: settled };
    let current: LoggingEnabled | undefined;
    try {
      current = await s3.getLogging(bucket, lane);
    } catch (err) {
      if (errorFacts(err).code !== NO_SUCH_BUCKET)
        return failure(bucket, new StepError('GetBucketLogging', err));
      await step('DeleteStateRecord', () => state.deleteRecord(bucket));
      return { kind: 'leftAlone', bucket, why: 'gone', logsToTarget: false };
    }
    const decision = decideRestore(current, record, config.targetBucket);
    switch (decision.kind) {
      case 'restore':
        await step('PutBucketLogging', () => s3.putLogging(bucket, decision.to, lane));
        await step('DeleteStateRecord', () => state.deleteRecord(bucket));
        return { kind: 'restored', bucket, to: decision.to };
      case 'leave':
        // The record described a change that someone has since replaced: it no longer says anything true.
        await step('DeleteStateRecord', () => state.deleteRecord(bucket));
        return {
          kind: 'leftAlone',
          bucket,
          why: decision.why,
          logsToTarget: pointsAt(current, config.targetBucket),
        };
      default: {
        const never: never = decision;
        throw new Error(`unknown decision ${JSON.stringify(never)}`);
      }
    }
  } catch (err) {
    return failure(bucket, err);
  }
}
