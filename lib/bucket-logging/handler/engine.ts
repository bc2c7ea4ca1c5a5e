/**
 * The resumable work loop. Names come page by page from a source (ListBuckets, or the state table on delete)
 * into a queue that `concurrency` workers drain. At the deadline the workers stop taking names; what is left
 * (the rest of the queue, the next page's token, the names to retry) is the cursor, which the caller saves and
 * passes to the next invocation. Work is idempotent, so a name done twice (a crash between the work and the
 * save) costs a call and changes nothing.
 */

export interface EngineCursor {
  /** Names taken from the source and not yet worked on. */
  pending: string[];
  /** Token of the next page of the source. */
  next?: string;
  /** The source has no more pages. */
  sourceDone: boolean;
  /** Names that failed retryably; the final pass tries them again. */
  retry: string[];
  /** Names not ready to be worked on (`later`); the next invocation takes them first. Absent in old cursors. */
  waiting?: string[];
}

export const newCursor = (): EngineCursor => ({ pending: [], sourceDone: false, retry: [] });

export interface NameSource {
  /** One page of names; `token` undefined asks for the first. */
  nextPage(token: string | undefined): Promise<{ names: string[]; next?: string }>;
}

/**
 * What a worker did with a name. `deferred`: failed retryably, left for the final pass (not counted yet).
 * `later`: not to be worked on yet; kept in the cursor until a later invocation finds it ready.
 */
export type WorkResult = 'done' | 'deferred' | 'later';

/**
 * Works on one name. `lane` picks the worker's own client; `mayDefer` is false in the final pass, when every
 * failure must be recorded.
 */
export type Work = (name: string, lane: number, mayDefer: boolean) => Promise<WorkResult>;

export interface EngineOptions {
  readonly concurrency: number;
  /** Epoch ms after which no new name is started. */
  readonly deadline: number;
  readonly now: () => number;
  /** Most names kept for the final pass; past it a retryable failure is recorded at once. */
  readonly maxRetry: number;
  /** True when the run must stand down at once (its settings are stale); checked before every name. */
  readonly stop?: () => boolean;
}

/** True when the cursor has nothing left. */
export function finished(cursor: EngineCursor): boolean {
  return (
    cursor.sourceDone &&
    cursor.pending.length === 0 &&
    cursor.retry.length === 0 &&
    (cursor.waiting ?? []).length === 0
  );
}

/**
 * Drains the source, then the final pass, until done or the deadline. Mutates and returns the cursor.
 * Kept as one function (~70 lines) on purpose: its lanes share the queue, the page fetch in flight and the
 * stop flag as closure state, and split up they would pass that state around by hand.
 */
export async function drive(
  cursor: EngineCursor,
  source: NameSource,
  work: Work,
  options: EngineOptions,
): Promise<EngineCursor> {
  const queue = cursor.pending;
  // What was not ready last time is taken first, as a new name (a first attempt may still be deferred).
  queue.unshift(...(cursor.waiting ?? []));
  const waiting: string[] = [];
  cursor.waiting = waiting;
  let taken = 0;
  let refill: Promise<void> | undefined;
  let sourceError: unknown;
  const expired = () => options.now() >= options.deadline || options.stop?.() === true;

  const fetchPage = (): Promise<void> => {
    refill ??= source
      .nextPage(cursor.next)
      .then((page) => {
        queue.push(...page.names);
        cursor.next = page.next;
        cursor.sourceDone = page.next === undefined;
      })
      .catch((err: unknown) => {
        sourceError ??= err;
      })
      .finally(() => {
        refill = undefined;
      });
    return refill;
  };

  const worker = async (lane: number): Promise<void> => {
    while (sourceError === undefined && !expired()) {
      if (taken >= queue.length) {
        if (cursor.sourceDone) return;
        await fetchPage();
        continue;
      }
      // Read ahead, so that workers do not wait at every page boundary.
      if (!cursor.sourceDone && queue.length - taken < options.concurrency * 2) void fetchPage();
      const name = queue[taken++];
      const mayDefer = cursor.retry.length < options.maxRetry;
      const result = await work(name, lane, mayDefer);
      if (result === 'deferred') cursor.retry.push(name);
      else if (result === 'later') waiting.push(name);
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, (_, lane) => worker(lane)));
  await refill;
  cursor.pending = queue.slice(taken);
  if (sourceError !== undefined) throw sourceError;
  if (cursor.pending.length > 0 || !cursor.sourceDone || expired()) return cursor;

  // The final pass, at a quarter of the concurrency: what still failed retryably was throttled at full speed.
  const retry = cursor.retry;
  let next = 0;
  const finalWorker = async (lane: number): Promise<void> => {
    while (next < retry.length && !expired()) {
      const name = retry[next++];
      if ((await work(name, lane, false)) === 'later') waiting.push(name);
    }
  };
  const lanes = Math.max(1, Math.floor(options.concurrency / 4));
  await Promise.all(Array.from({ length: Math.min(lanes, retry.length) }, (_, lane) => finalWorker(lane)));
  cursor.retry = retry.slice(next);
  return cursor;
}
