/**
 * A CloudTrail CreateBucket event: one bucket, configured at once if it is in this Region, under the same
 * fence as a sweep (it stands down when its settings are not the deployed ones, or the resource is deleted).
 */
import type { BucketLoggingConfig } from '../types';
import { type BucketContext, bucketContext, configureBucket } from './buckets';
import { fenceHolds, StaleSettingsError, type WriteFence } from './fence';
import { newProgress, type Outcome } from './progress';
import { configFingerprint, type Deps, iso, type RunResult, record, updateTable, writeReport } from './run';
import type { BucketApi } from './s3';

/** A CreateBucket event: the one bucket, if it is in this Region. */
export async function reconcileOne(
  config: BucketLoggingConfig,
  deps: Deps,
  bucket: string,
  retryPauseMs: number,
): Promise<RunResult> {
  const fence: WriteFence = { kind: 'fingerprint', fingerprint: configFingerprint(config) };
  const settings = await deps.state.getSettings();
  if (settings?.deleted) return { status: 'stopped' };
  if (!fenceHolds(settings, fence)) {
    deps.log({
      level: 'warn',
      event: 'event-stale',
      bucket,
      reason: 'settings changed since; the next run decides',
    });
    return { status: 'stale' };
  }
  if (!(await inRegion(deps.s3, bucket))) {
    deps.log({ level: 'info', event: 'bucket-not-in-region', bucket, region: config.region });
    return { status: 'stopped' };
  }
  const ctx: BucketContext = bucketContext(config, deps.s3, deps.state, 'bucket-created', fence, deps.now);
  const progress = newProgress(deps.newId(), 'bucket-created', iso(deps.now()));
  progress.invocations = 1;
  let outcome: Outcome;
  try {
    outcome = await configureBucket(ctx, bucket, 0);
    if (outcome.kind === 'failed' && outcome.retryable) {
      // The final pass of a one-bucket run: once more, after a pause.
      await deps.sleep(retryPauseMs);
      outcome = await configureBucket(ctx, bucket, 0);
    }
  } catch (err) {
    // The delete (or a deploy with other settings) passed while this event waited: it changes nothing.
    if (!(err instanceof StaleSettingsError)) throw err;
    deps.log({ level: 'warn', event: 'event-stale', bucket, reason: err.message });
    return { status: 'stale' };
  }
  const observed = new Map<string, boolean | undefined>();
  record(deps, progress, observed, config, outcome);
  progress.cursor.sourceDone = true;
  const table = await updateTable(config, deps, observed, false);
  const reportKey = await writeReport(config, deps, progress, table);
  return { status: 'finished', progress, table, reportKey };
}

/** ListBuckets with the name as prefix and the Region as filter: no GetBucketLocation permission needed. */
async function inRegion(s3: BucketApi, bucket: string): Promise<boolean> {
  let token: string | undefined;
  do {
    const page = await s3.listPage(token, bucket);
    if (page.names.includes(bucket)) return true;
    token = page.next;
  } while (token !== undefined);
  return false;
}
