import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { CliError, IncompleteError } from '../errors';
import { resolveInputs } from '../inputs/resolve';
import { knownSize } from '../inputs/sources';
import type { TimeWindow } from '../inputs/time-window';
import { timeWindow } from '../inputs/time-window';
import type { Io } from '../io';
import { writeTo } from '../io';
import { progressBar } from '../progress';
import { grouped } from '../reports/numbers';
import type { JobSpec, ScanSummary } from '../scan';
import { scan } from '../scan';

/** Options every scanning command takes. */
export interface ScanOptions {
  readonly since?: string;
  readonly until?: string;
  readonly threads?: number;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly strict?: boolean;
}

export const PROGRAM = 's3-access-logs';

/** Help for the inputs argument of every scanning command. */
export const INPUTS_HELP =
  'log files, folders (read recursively), .gz files, - for standard input, s3://bucket/prefix';

function threadCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new InvalidArgumentError('expected a whole number from 1 to 256');
  return n;
}

export function addScanOptions(command: Command): Command {
  return command
    .option(
      '--since <day|time>',
      'only requests at or after this: a UTC day (2024-05-01, 2024/05/01, today, yesterday, -7d) or an ISO 8601 time with a zone',
    )
    .option('--until <day|time>', 'only requests before this; a day includes that whole day')
    .addOption(
      new Option('--threads <n>', 'threads to read on (default: one per CPU)').argParser(threadCount),
    )
    .option('-q, --quiet', 'no progress bar and no summary of unparsed lines (errors are still printed)')
    .option('-v, --verbose', 'say how much was read, how the work was spread over threads, and how fast')
    .option(
      '--strict',
      'all or nothing: stop with exit code 1 at the first input that cannot be read or line that is not a record',
    );
}

/** The lines that did not parse, on standard error: counted, and located by input. */
function reportUnparsed(io: Io, summary: ScanSummary): void {
  if (summary.unparsed === 0) return;
  const n = grouped(summary.unparsed);
  const head =
    summary.unparsed === 1
      ? '1 line is not an S3 server access log record and was skipped:'
      : `${n} lines are not S3 server access log records and were skipped:`;
  const rows = summary.unparsedInputs.map((u) => {
    const where =
      u.records === 0 && u.unparsed > 1
        ? `all ${grouped(u.unparsed)} lines (not an access log?)`
        : `line${u.unparsed === 1 ? '' : 's'} ${u.lines.join(', ')}${u.unparsed > u.lines.length ? ', ...' : ''}`;
    return `  ${u.input}: ${where}
      ${u.preview}`;
  });
  const listed = summary.unparsedInputs.reduce((sum, u) => sum + u.unparsed, 0);
  const more =
    summary.unparsed > listed ? `  ... and ${summary.unparsed - listed} more in other inputs\n` : '';
  io.stderr.write(`${PROGRAM}: ${head}\n${rows.join('\n')}\n${more}`);
}

export interface ScanRun {
  readonly summary: ScanSummary;
  readonly window: TimeWindow;
  /** Files and S3 objects read (after duplicates are dropped). */
  readonly inputs: number;
  /** Inputs that could not be read, or not to the end: one message each, already on standard error. */
  readonly failed: readonly string[];
}

function inputCount(n: number): string {
  return `${grouped(n)} input${n === 1 ? '' : 's'}`;
}

/**
 * Ends a command whose output is written: exit 3 when some inputs could not be read (the output covers the
 * rest), so a script can tell a partial answer from a whole one.
 */
export function endRun(run: ScanRun): void {
  if (run.failed.length === 0) return;
  throw new IncompleteError(
    `incomplete: ${inputCount(run.failed.length)} could not be read, or not to the end (named above); the output covers the ` +
      `other ${inputCount(run.inputs - run.failed.length)} (exit code 3; --strict stops at the first unreadable input)`,
  );
}

/**
 * Resolves the inputs, scans them with a progress bar, and reports what went wrong on the way. Throws CliError
 * when the scan cannot give a complete answer (an input failed part way, or strict mode met a bad line).
 */
export async function runScan(
  io: Io,
  inputs: readonly string[],
  options: ScanOptions,
  job: Omit<JobSpec, 'window' | 'strict'> & {
    readonly window?: TimeWindow;
    /** The caller drops the records of corrupt inputs after the scan (query's temporary copy). */
    readonly dropsUntrusted?: boolean;
  },
  write?: (chunk: Uint8Array, input: string) => Promise<void>,
  /** Called before the scan starts, with the bytes to read (sources of unknown size not counted). */
  beforeScan?: (knownBytes: number) => void,
): Promise<ScanRun> {
  const { dropsUntrusted, ...spec } = job;
  const window = job.window ?? timeWindow(options.since, options.until);
  const { sources, empty, failed, skippedByName } = await resolveInputs(inputs, window);
  if (failed.length > 0 && (options.strict || sources.length === 0))
    throw new CliError(failed.join(`\n${PROGRAM}: `));
  for (const message of failed) io.stderr.write(`${PROGRAM}: ${message}\n`);
  if (!options.quiet) {
    for (const input of empty) io.stderr.write(`${PROGRAM}: ${input}: no log files found\n`);
    if (skippedByName > 0) {
      io.stderr.write(
        `${PROGRAM}: ${grouped(skippedByName)} log file${skippedByName === 1 ? '' : 's'} not read: ` +
          "named for days outside the time asked for (--since/--until, or the query's days)\n",
      );
    }
  }
  const total = sources.every((s) => knownSize(s) !== undefined)
    ? sources.reduce((sum, s) => sum + (knownSize(s) ?? 0), 0)
    : undefined;
  beforeScan?.(sources.reduce((sum, s) => sum + (knownSize(s) ?? 0), 0));
  const progress = progressBar(io.stderr, total, { quiet: options.quiet });
  const started = process.hrtime.bigint();
  let summary: ScanSummary;
  try {
    summary = await scan({
      sources,
      job: { ...spec, window, strict: options.strict ?? false },
      threads: options.threads ?? io.defaultThreads,
      write,
      progress: progress?.add,
    });
  } finally {
    progress?.finish();
  }
  if (options.verbose) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const workers = `${summary.workers} worker thread${summary.workers === 1 ? '' : 's'}`;
    const where = summary.workers > 0 ? `the main thread and ${workers}` : 'the main thread';
    const mb = total === undefined ? '' : `, ${(total / 1e6 / seconds).toFixed(0)} MB/s`;
    io.stderr.write(
      `${PROGRAM}: ${grouped(summary.records)} records from ${sources.length} ` +
        `input${sources.length === 1 ? '' : 's'} ` +
        `(${summary.tasks} tasks on ${where}) in ${seconds.toFixed(2)} s${mb}\n`,
    );
  }
  if (summary.stoppedAt) {
    const at = summary.stoppedAt;
    throw new CliError(
      `${at.input}:${at.line}: not an S3 server access log record (--strict): ${at.preview}`,
    );
  }
  if (!options.quiet) reportUnparsed(io, summary);
  // A corrupt input's records may be garbage: say what became of them.
  const consequence =
    job.output === 'none' || dropsUntrusted
      ? 'none of its records are counted'
      : 'the records already written from it cannot be trusted: discard them';
  const errors = summary.errors.map((message) =>
    summary.untrusted.some((input) => message.startsWith(`${input}: `))
      ? `${message}; ${consequence}`
      : message,
  );
  if (errors.length > 0 && options.strict) throw new CliError(errors.join(`\n${PROGRAM}: `));
  for (const message of errors) io.stderr.write(`${PROGRAM}: ${message}\n`);
  const named = sources.length + failed.length;
  const read = summary.records + summary.outside + summary.unparsed;
  if (named > 0 && failed.length + errors.length === named && read === 0)
    throw new CliError('nothing could be read: every input failed (named above)');
  return { summary, window, inputs: named, failed: [...failed, ...errors] };
}

/** Standard output with backpressure. */
export function stdoutWriter(io: Io): (chunk: Uint8Array | string) => Promise<void> {
  return writeTo(io.stdout);
}
