/**
 * The compaction's steps over an abstract object store: the state machine calls them through the handler, the
 * tests with an in-memory store. Decisions come from ../plan; this file only sequences the I/O.
 */
import {
  abandonDeletes,
  bucketsFromPrefixes,
  DAILY_PREFIX,
  daysToCompact,
  planItems,
  publishSteps,
  RUNS_PREFIX,
  runId,
  stagingPrefix,
} from '../plan';
import type {
  AbandonEvent,
  CleanupEvent,
  CompactionConfig,
  PlanEvent,
  PlanResult,
  PublishEvent,
} from '../types';

/** Skipped prefixes named in the run's output and log (the output must stay small). */
export const MAX_REPORTED_SKIPPED = 20;

/** The object store operations the steps need (the log bucket). */
export interface ObjectStore {
  /** Common prefixes under `prefix` with delimiter `/`, every page. */
  listCommonPrefixes(prefix: string): Promise<string[]>;
  /** Every key under `prefix`. */
  listKeys(prefix: string): Promise<string[]>;
  put(key: string, body: string): Promise<void>;
  copy(from: string, to: string): Promise<void>;
  /** Deletes keys (any number; none is a no-op). */
  delete(keys: readonly string[]): Promise<void>;
}

/** Plans a run: which days, which buckets, and one UNLOAD per day and chunk, written as JSON for the map. */
export async function plan(
  event: PlanEvent,
  config: CompactionConfig,
  store: ObjectStore,
): Promise<PlanResult> {
  const run = runId(event.executionName);
  const days = daysToCompact(event.input ?? {}, event.startTime, config.lateDays);
  const listing = { prefix: config.listPrefix, suffix: config.nameSuffix };
  const { buckets, skipped } = bucketsFromPrefixes(
    listing,
    await store.listCommonPrefixes(config.listPrefix),
  );
  if (skipped.length > 0) {
    // Not an error: a stray folder in the log bucket is not a bucket's logs. Said, so a missed bucket is seen.
    console.warn(
      JSON.stringify({
        message: `Not compacted: ${skipped.length} prefixes of the log bucket are not a source bucket's folder`,
        skipped: skipped.slice(0, MAX_REPORTED_SKIPPED),
      }),
    );
  }
  const items = planItems(
    { logBucketName: config.logBucketName, source: config.source, chunkSize: config.chunkSize },
    run,
    days,
    buckets,
  );
  const itemsKey = `${RUNS_PREFIX}${run}/plan.json`;
  await store.put(itemsKey, JSON.stringify(items));
  return {
    run,
    days,
    day: days[days.length - 1],
    buckets: buckets.length,
    skippedPrefixes: skipped.length,
    skipped: skipped.slice(0, MAX_REPORTED_SKIPPED),
    queries: items.length,
    itemsBucket: config.logBucketName,
    itemsKey,
  };
}

/**
 * Makes each day's staged files its published files: deletes the other runs' files, copies this run's, and
 * deletes other runs' files once more (a run that published the same day meanwhile). Safe to repeat.
 */
export async function publish(
  event: PublishEvent,
  store: ObjectStore,
): Promise<{ days: string[]; day: string }> {
  for (const day of event.days) {
    const staged = await store.listKeys(stagingPrefix(event.run, day));
    const live = `${DAILY_PREFIX}${day}/`;
    const first = publishSteps(event.run, day, await store.listKeys(live), staged);
    await store.delete(first.deletes);
    for (const copy of first.copies) await store.copy(copy.from, copy.to);
    const again = publishSteps(event.run, day, await store.listKeys(live), staged);
    await store.delete(again.deletes);
  }
  return { days: event.days, day: event.days[event.days.length - 1] };
}

/** Removes the run's staged files and plan. */
export async function cleanup(event: CleanupEvent, store: ObjectStore): Promise<void> {
  await store.delete(await store.listKeys(`${RUNS_PREFIX}${runId(event.run)}/`));
}

/**
 * After a Publish that finally failed: each day this run left half published holds no file afterwards (the next
 * run compacts it again), a day it published in full keeps that copy alone, a day it never reached is
 * untouched; then the run's staged files and plan go. Safe to repeat. Returns the days emptied.
 */
export async function abandon(event: AbandonEvent, store: ObjectStore): Promise<{ emptied: string[] }> {
  const emptied: string[] = [];
  for (const day of event.days) {
    const staged = await store.listKeys(stagingPrefix(event.run, day));
    const live = `${DAILY_PREFIX}${day}/`;
    const published = await store.listKeys(live);
    const deletes = abandonDeletes(event.run, day, published, staged);
    await store.delete(deletes);
    if (deletes.length > 0 && deletes.every((k) => k.startsWith(`${live}${event.run}.`))) emptied.push(day);
  }
  await cleanup({ action: 'cleanup', run: event.run }, store);
  if (emptied.length > 0) {
    console.warn(
      JSON.stringify({
        message: 'Publish failed: these days hold no compacted file until the next run compacts them again',
        emptied,
      }),
    );
  }
  return { emptied };
}
