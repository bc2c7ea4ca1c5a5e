import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CliError, describeError } from '../errors';
import type { Source } from '../inputs/sources';
import type { JobSpec, TaskStats, UnparsedSample } from './consumer';
import type { FromWorker, ToWorker } from './messages';
import { OrderedOutput } from './ordered-output';
import type { Task } from './task';
import { emptyStats, runTask, TaskError } from './task';

/**
 * Runs a scan's tasks on the main thread and any worker threads, and hands back each task's outcome in task
 * order. Standard input is read on the main thread only.
 */

/**
 * A runner's capacity: one local task fills it; S3 objects run 16 at a time (log objects are small, so reading
 * them is bound by request latency, not by the CPU).
 */
const CAPACITY = 16;
const cost = (task: Task) => (task.kind === 'stream' && task.source.kind === 's3' ? 1 : CAPACITY);

export interface PoolOptions {
  readonly job: JobSpec;
  /** Worker threads besides the main thread (which always works too). */
  readonly workers: number;
  /** Output chunks, in task order, with the input they come from; resolves when the next may be written. */
  readonly write?: (chunk: Uint8Array, input: string) => Promise<void>;
  readonly progress?: (bytes: number, lines: number) => void;
}

export interface TaskOutcome {
  readonly task: Task;
  readonly stats: TaskStats;
  /** Set when the task failed part way (its message names the input). */
  readonly error?: string;
  /** Set when strict mode stopped at this unparsed line. */
  readonly strict?: UnparsedSample;
}

interface Runner {
  used: number;
  start(seq: number, task: Task): void;
  close(): Promise<void>;
}

interface Callbacks {
  chunk(seq: number, chunk: Uint8Array): Promise<void>;
  progress(bytes: number, lines: number): void;
  settle(seq: number, outcome: Omit<TaskOutcome, 'task'>): void;
  /** A worker died: a bug, not a bad input, so the scan ends with an error. */
  fatal(reason: string): void;
}

export async function runPool(tasks: readonly Task[], options: PoolOptions): Promise<TaskOutcome[]> {
  const outcomes: TaskOutcome[] = new Array(tasks.length);
  const write = options.write;
  const output = new OrderedOutput(async (chunk, seq) => write?.(chunk, tasks[seq].source.name));
  let wake: () => void = () => {};
  let stopped = false;
  let fatal: string | undefined;
  const callbacks: Callbacks = {
    chunk: (seq, chunk) => output.chunk(seq, chunk),
    progress: (bytes, lines) => options.progress?.(bytes, lines),
    settle: (seq, outcome) => {
      outcomes[seq] = { task: tasks[seq], ...outcome };
      if (outcome.strict) {
        stopped = true;
        output.stopAfter(seq);
      }
      output.finish(seq);
      wake();
    },
    fatal: (reason) => {
      fatal ??= reason;
      wake();
    },
  };
  const check = () => {
    if (fatal !== undefined) throw new CliError(`internal error: ${fatal}`);
  };
  const inline = inlineRunner(options.job, callbacks);
  const workers = Array.from({ length: options.workers }, () => workerRunner(options.job, callbacks));
  try {
    let next = 0;
    while (next < tasks.length && !stopped) {
      const task = tasks[next];
      const stdin = task.kind === 'stream' && task.source.kind === 'stdin';
      // Only the main thread reads stdin. It scans files too when it has nothing else to do (it needs no
      // start-up, so it begins while workers load); when records are written, writing them is its job.
      const eligible =
        stdin || workers.length === 0
          ? [inline]
          : options.job.output === 'none'
            ? [inline, ...workers]
            : workers;
      const runner = eligible
        .filter((r) => r.used + cost(task) <= CAPACITY)
        .sort((a, b) => a.used - b.used)[0];
      if (runner === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        check();
        continue;
      }
      runner.used += cost(task);
      runner.start(next, task);
      next++;
    }
    // Wait for every started task (strict mode stops starting new ones).
    while ([inline, ...workers].some((r) => r.used > 0)) {
      await new Promise<void>((resolve) => (wake = resolve));
      check();
    }
    await output.drained();
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
  return outcomes.filter((o) => o !== undefined);
}

function inlineRunner(job: JobSpec, callbacks: Callbacks): Runner {
  const runner: Runner = {
    used: 0,
    start(seq, task) {
      const done = (outcome: Omit<TaskOutcome, 'task'>) => {
        runner.used -= cost(task);
        callbacks.settle(seq, outcome);
      };
      runTask(task, job, { emit: (chunk) => callbacks.chunk(seq, chunk), progress: callbacks.progress }).then(
        (stats) => done({ stats }),
        (error: unknown) => {
          if (error instanceof TaskError)
            done({ stats: error.stats, error: error.message, strict: error.strict?.sample });
          else
            done({
              stats: emptyStats(),
              error: `${task.source.name}: internal error: ${describeError(error)}`,
            });
        },
      );
    },
    close: async () => {},
  };
  return runner;
}

/**
 * A worker thread. Compiled, it runs `worker.js`; in a repository checkout (this file is TypeScript) it
 * registers tsx first, as bin/s3-access-logs.js does for the main thread.
 */
function spawn(job: JobSpec): Worker {
  const compiled = path.extname(__filename) === '.js';
  if (compiled) return new Worker(path.join(__dirname, 'worker.js'), { workerData: job });
  // Only reached from TypeScript sources, where tsx (a devDependency) is installed; never in the package.
  const tsx = ['--require', require.resolve('tsx/cjs')];
  return new Worker(path.join(__dirname, 'worker.ts'), { execArgv: tsx, workerData: job });
}

function workerRunner(job: JobSpec, callbacks: Callbacks): Runner {
  const worker = spawn(job);
  const running = new Map<number, Task>();
  let exited = false;
  const send = (message: ToWorker) => worker.postMessage(message);
  const runner: Runner = {
    used: 0,
    start(seq, task) {
      running.set(seq, task);
      send({ type: 'task', seq, task });
    },
    close: async () => {
      if (exited) return;
      exited = true;
      await worker.terminate();
    },
  };
  const settle = (seq: number, outcome: Omit<TaskOutcome, 'task'>) => {
    const task = running.get(seq);
    if (task === undefined) return;
    running.delete(seq);
    runner.used -= cost(task);
    callbacks.settle(seq, outcome);
  };
  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'output':
        void callbacks.chunk(message.seq, message.chunk).then(() => {
          if (!exited) send({ type: 'ack', seq: message.seq });
        });
        break;
      case 'progress':
        callbacks.progress(message.bytes, message.lines);
        break;
      case 'done':
        settle(message.seq, { stats: message.stats });
        break;
      case 'failed':
        settle(message.seq, { stats: message.stats, error: message.message, strict: message.strict });
        break;
      default: {
        const unexpected: never = message;
        throw new Error(`unknown message ${JSON.stringify(unexpected)}`);
      }
    }
  });
  const died = (reason: string) => {
    if (exited) return;
    exited = true;
    callbacks.fatal(
      `a scan worker stopped (${reason}) while reading ${[...running.values()].map((t) => t.source.name).join(', ') || 'nothing'}`,
    );
  };
  worker.on('error', (error) => died(describeError(error)));
  worker.on('exit', (code) => died(`exit code ${code}`));
  return runner;
}

/** Splits plain files into byte ranges of about `rangeBytes`; gzip files and other streams stay whole. */
export function planTasks(sources: readonly Source[], rangeBytes: number): Task[] {
  const tasks: Task[] = [];
  for (const source of sources) {
    if (source.kind !== 'file' || source.gzip) {
      tasks.push({ kind: 'stream', source });
      continue;
    }
    const count = Math.max(1, Math.round(source.size / rangeBytes));
    const step = Math.ceil(source.size / count);
    for (let i = 0; i < count; i++) {
      tasks.push({ kind: 'range', source, start: i * step, end: Math.min(source.size, (i + 1) * step) });
    }
  }
  return tasks;
}
