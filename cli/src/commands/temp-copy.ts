import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliError, describeError } from '../errors';
import type { Io } from '../io';
import { byteSize } from '../reports/numbers';
import { PROGRAM } from './common';

/**
 * The temporary copy of the records that `query` hands to DuckDB: a CSV file in a fresh folder under the
 * system's temporary folder (`TMPDIR`, else /tmp). It is removed when the query ends, on an error, on
 * Ctrl-C, SIGTERM and SIGHUP, and at process exit. A write that fails (a full disk) does not stop the scan
 * with a stack trace: the failure is kept and reported, naming the folder and the fix, when the copy is closed.
 */

/** The CSV copy's size relative to the log (about 65% on the benchmark's generated log; 0.7 to be safe). */
const COPY_RATIO = 0.7;
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
const SIGNAL_NAMES = Object.keys(SIGNALS) as (keyof typeof SIGNALS)[];

export class TempCopy {
  /** @param parent where to make the folder (the system's temporary folder: TMPDIR, else /tmp) */
  static create(parent = os.tmpdir()): TempCopy {
    return new TempCopy(parent);
  }

  readonly dir: string;
  readonly file: string;
  private readonly stream: fs.WriteStream;
  private failure: NodeJS.ErrnoException | undefined;
  private waiting: (() => void)[] = [];
  private written = 0;
  /** Where each input's records lie in the file (byte ranges), to drop them if the input proves corrupt. */
  private readonly ranges = new Map<string, [number, number][]>();
  private readonly onSignal: Record<keyof typeof SIGNALS, () => void> = {
    SIGINT: () => this.exitOn('SIGINT'),
    SIGTERM: () => this.exitOn('SIGTERM'),
    SIGHUP: () => this.exitOn('SIGHUP'),
  };
  private readonly onExit = () => this.remove();

  private constructor(parent: string) {
    // Watch for signals before the folder exists, so there is no moment when it would be left behind.
    for (const signal of SIGNAL_NAMES) process.once(signal, this.onSignal[signal]);
    process.once('exit', this.onExit);
    try {
      this.dir = fs.mkdtempSync(path.join(parent, `${PROGRAM}-`));
    } catch (error) {
      this.unwatch();
      throw new CliError(
        `cannot create a temporary folder in ${parent} for the copy of the records (${describeError(error)}); ` +
          'set TMPDIR to a writable folder with room for about 70% of the logs read',
      );
    }
    this.file = path.join(this.dir, 'records.csv');
    this.stream = fs.createWriteStream(this.file);
    this.stream.on('error', (error: NodeJS.ErrnoException) => {
      this.failure ??= error;
      this.wake();
    });
    this.stream.on('drain', () => this.wake());
  }

  /**
   * Appends a chunk (of records from `input`, when given); resolves when more may be written. Never rejects: a
   * failure is reported by `close`.
   */
  readonly write = async (chunk: Uint8Array | string, input?: string): Promise<void> => {
    if (this.failure !== undefined) return;
    const start = this.written;
    this.written += Buffer.byteLength(chunk);
    if (input !== undefined) {
      const ranges = this.ranges.get(input) ?? [];
      const last = ranges.at(-1);
      if (last !== undefined && last[1] === start) last[1] = this.written;
      else ranges.push([start, this.written]);
      this.ranges.set(input, ranges);
    }
    if (this.stream.write(chunk)) return;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  };

  /** Flushes the file; throws the write failure, if any, as a message naming the folder and the fix. */
  async close(): Promise<void> {
    if (this.failure === undefined) {
      await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    } else this.stream.destroy();
    const failure = this.failure;
    if (failure === undefined) return;
    const size = byteSize(this.written);
    const what =
      failure.code === 'ENOSPC'
        ? `no space left on the device (ENOSPC) after ${size}`
        : `${describeError(failure)} after ${size}`;
    throw new CliError(
      `cannot write the temporary copy of the records in ${this.dir}: ${what}. Set TMPDIR to a folder with ` +
        'more room, or read fewer days (--since/--until, or the query’s days)',
    );
  }

  /** After `close`: rewrites the file without the records of `inputs` (inputs found corrupt). */
  dropInputs(inputs: readonly string[]): void {
    const drop = inputs.flatMap((input) => this.ranges.get(input) ?? []).sort((a, b) => a[0] - b[0]);
    if (drop.length === 0) return;
    const kept = `${this.file}.kept`;
    const from = fs.openSync(this.file, 'r');
    const to = fs.openSync(kept, 'w');
    try {
      const copy = (start: number, end: number) => {
        const buffer = Buffer.allocUnsafe(Math.min(end - start, 1 << 20));
        for (let at = start; at < end; ) {
          const n = fs.readSync(from, buffer, 0, Math.min(buffer.length, end - at), at);
          if (n === 0) break;
          fs.writeSync(to, buffer, 0, n);
          at += n;
        }
      };
      let at = 0;
      for (const [start, end] of drop) {
        if (start > at) copy(at, start);
        at = Math.max(at, end);
      }
      copy(at, this.written);
    } finally {
      fs.closeSync(from);
      fs.closeSync(to);
    }
    fs.renameSync(kept, this.file);
  }

  /** Warns when the copy of `logBytes` of logs may not fit where it is written. */
  warnIfShort(io: Io, logBytes: number): void {
    let free: number;
    try {
      const stats = fs.statfsSync(this.dir);
      free = stats.bavail * stats.bsize;
    } catch {
      return;
    }
    const needed = logBytes * COPY_RATIO;
    if (needed <= free) return;
    io.stderr.write(
      `${PROGRAM}: the temporary copy of the records may need up to ${byteSize(needed)} in ` +
        `${this.dir}, which has ${byteSize(free)} free (only the days asked for are copied); ` +
        'set TMPDIR to a folder with more room if it fills\n',
    );
  }

  /** Removes the folder and stops watching for signals (safe to call more than once). */
  remove(): void {
    this.stream.destroy();
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.unwatch();
  }

  private unwatch(): void {
    for (const signal of SIGNAL_NAMES) process.off(signal, this.onSignal[signal]);
    process.off('exit', this.onExit);
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private exitOn(signal: keyof typeof SIGNALS): void {
    this.remove();
    process.exit(SIGNALS[signal]);
  }
}
