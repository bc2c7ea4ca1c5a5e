import type { Source } from '../inputs/sources';
import { knownSize } from '../inputs/sources';
import type { Timeline } from '../reports/html-timeline';
import { emptyTimeline, mergeTimeline } from '../reports/html-timeline';
import type { Sigv2Tally } from '../reports/sigv2-aggregate';
import { mergeTally } from '../reports/sigv2-aggregate';
import type { JobSpec } from './consumer';
import { MAX_SAMPLES } from './consumer';
import { planTasks, runPool } from './pool';

/**
 * A scan of every source: parallel across inputs and, for large plain files, across byte ranges of one file.
 * Below ~32 MiB of input, starting threads costs more than it saves, so it runs on the main thread.
 */

export type { JobSpec, RecordOutput } from './consumer';

export interface ScanRequest {
  readonly sources: readonly Source[];
  readonly job: JobSpec;
  /** Threads to use at most (1 = main thread only). */
  readonly threads: number;
  /** Output chunks in input order; resolves when the next may be written. */
  readonly write?: (chunk: Uint8Array, input: string) => Promise<void>;
  readonly progress?: (bytes: number, lines: number) => void;
  /** Smallest input worth starting threads for. @default 32 MiB */
  readonly parallelMinBytes?: number;
  /** Byte range size when splitting files for threads. @default 32 MiB, or 8 MiB when records are output */
  readonly rangeBytes?: number;
}

/** An unparsed line, located for the person reading the report. */
export interface LocatedLine {
  /** The input's name (path, `-` or `s3://...`). */
  readonly input: string;
  /** 1-based line number in that input (after gunzip). */
  readonly line: number;
  readonly preview: string;
}

/** An input with lines that are not records: how many, and where the first ones are. */
export interface UnparsedInput {
  readonly input: string;
  /** Records read from this input, inside the time window or not. */
  readonly records: number;
  readonly unparsed: number;
  /** Line numbers of the first few unparsed lines. */
  readonly lines: number[];
  /** The first unparsed line, shortened. */
  readonly preview: string;
}

export interface ScanSummary {
  /** Records inside the time window. */
  readonly records: number;
  /** Records outside it. */
  readonly outside: number;
  readonly unparsed: number;
  /** Inputs with unparsed lines, in input order (the first MAX_SAMPLES of them). */
  readonly unparsedInputs: UnparsedInput[];
  /** Inputs that failed part way, one message each (naming the input). */
  readonly errors: string[];
  /** Inputs found corrupt (see TaskStats.untrusted): none of their records are counted above. */
  readonly untrusted: string[];
  /** Strict mode: the line that stopped the scan. */
  readonly stoppedAt?: LocatedLine;
  readonly sigv2: Sigv2Tally;
  /** Present when the job asked for it. */
  readonly timeline?: Timeline;
  /** How the work was spread: tasks (sources and byte ranges) and worker threads besides the main thread. */
  readonly tasks: number;
  readonly workers: number;
}

const PARALLEL_MIN_BYTES = 32 << 20;
/** Line numbers listed per input in the summary of unparsed lines. */
const LINES_PER_INPUT = 5;
const MiB = 1 << 20;

export async function scan(request: ScanRequest): Promise<ScanSummary> {
  const { sources, job } = request;
  const bytes = sources.reduce((sum, s) => sum + (knownSize(s) ?? 0), 0);
  const parallel = request.threads > 1 && bytes >= (request.parallelMinBytes ?? PARALLEL_MIN_BYTES);
  // Ranges: whole files in strict mode (so a line number is known the moment it stops). Otherwise about four per
  // thread so threads finish together, but at most 32 MiB (fewer messages) or, when records are output, 8 MiB
  // (less output waiting in memory to be put back in order).
  const cap = job.output === 'none' ? 32 * MiB : 8 * MiB;
  const rangeBytes =
    job.strict || !parallel
      ? Infinity
      : (request.rangeBytes ?? Math.max(MiB, Math.min(cap, bytes / (request.threads * 4))));
  const tasks = planTasks(sources, rangeBytes);
  // The main thread scans beside the workers, except when it writes records (see pool.ts).
  const helpers = job.output === 'none' ? request.threads - 1 : request.threads;
  const workers = parallel ? Math.max(1, Math.min(helpers, tasks.length - 1)) : 0;
  const outcomes = await runPool(tasks, {
    job,
    workers,
    write: request.write,
    progress: request.progress,
  });

  let records = 0;
  let outside = 0;
  let unparsed = 0;
  const unparsedInputs: { -readonly [K in keyof UnparsedInput]: UnparsedInput[K] }[] = [];
  const errors: string[] = [];
  const untrusted: string[] = [];
  let stoppedAt: LocatedLine | undefined;
  const sigv2: Sigv2Tally = new Map();
  const timeline = job.timeline ? emptyTimeline() : undefined;
  // Lines before each range of a file, to turn indices within a range into line numbers.
  let linesBefore = 0;
  let previous: Source | undefined;
  // Records of the input so far, outside the time window included: they show the input is an access log, also
  // when they come in ranges before its first unparsed line.
  let inputRecords = 0;
  for (const { task, stats, error, strict } of outcomes) {
    if (task.source !== previous) {
      linesBefore = 0;
      inputRecords = 0;
    }
    previous = task.source;
    const input = task.source.name;
    records += stats.records;
    outside += stats.outside;
    unparsed += stats.unparsed;
    inputRecords += stats.records + stats.outside;
    if (stats.unparsed > 0 || stats.records > 0 || stats.outside > 0) {
      let entry = unparsedInputs.find((u) => u.input === input);
      if (entry === undefined && stats.unparsed > 0 && unparsedInputs.length < MAX_SAMPLES) {
        entry = { input, records: 0, unparsed: 0, lines: [], preview: stats.samples[0]?.preview ?? '' };
        unparsedInputs.push(entry);
      }
      if (entry !== undefined) {
        entry.records = inputRecords;
        entry.unparsed += stats.unparsed;
        for (const sample of stats.samples) {
          if (entry.lines.length < LINES_PER_INPUT) entry.lines.push(linesBefore + sample.index + 1);
        }
      }
    }
    if (strict) stoppedAt = { input, line: linesBefore + strict.index + 1, preview: strict.preview };
    else if (error !== undefined) errors.push(error);
    if (stats.untrusted) untrusted.push(input);
    if (stats.sigv2) mergeTally(sigv2, stats.sigv2);
    if (timeline && stats.timeline) mergeTimeline(timeline, stats.timeline);
    linesBefore += stats.lines;
  }
  return {
    records,
    outside,
    unparsed,
    unparsedInputs,
    errors,
    untrusted,
    stoppedAt,
    sigv2,
    timeline,
    tasks: tasks.length,
    workers,
  };
}
