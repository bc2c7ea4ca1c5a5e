import * as fs from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CliError, describeError } from '../errors';
import { fileError } from '../inputs/resolve';
import { s3Client, s3Error } from '../inputs/s3-client';
import type { FileSource, S3Source, Source } from '../inputs/sources';
import { isGzipMagic, knownSize } from '../inputs/sources';
import type { JobSpec, TaskStats } from './consumer';
import { LineConsumer, StrictStop } from './consumer';
import { LineAssembler } from './lines';

/**
 * One unit of scanning work: a byte range of a plain file (a whole small file is one range), or a whole
 * stream (gzip file, S3 object, standard input). Plain data, so it crosses to worker threads as is.
 */
export type Task =
  | { readonly kind: 'range'; readonly source: FileSource; readonly start: number; readonly end: number }
  | { readonly kind: 'stream'; readonly source: Exclude<Source, FileSource> | FileSource };

/** How a running task reports back: output in order (resolves when it may go on), and progress. */
export interface TaskHooks {
  emit(chunk: Buffer): Promise<void>;
  progress(bytes: number, lines: number): void;
}

/** Thrown for a task that failed part way: the message names the input; `stats` holds what was read before. */
export class TaskError extends Error {
  constructor(
    message: string,
    readonly stats: TaskStats,
    readonly strict?: StrictStop,
  ) {
    super(message);
  }
}

/** Gzip data that inflated but is wrong (a checksum that does not match, an invalid block): corrupt, not cut. */
export class CorruptGzip extends CliError {}

/** The stats of a task that read nothing. */
export function emptyStats(): TaskStats {
  return { lines: 0, records: 0, outside: 0, unparsed: 0, samples: [] };
}

/** Output waits until this many characters are gathered, so messages between threads stay few. */
const OUTPUT_CHUNK = 256 << 10;
/** Reads of 256 KiB keep what was just read in the L2 cache while it is split (measured a little faster). */
const READ_SIZE = 256 << 10;
const YIELD_EVERY = 8 << 20;
/** Read past a range's end to finish its last line (a longer line grows the buffer as needed). */
const TAIL_BYTES = 4 << 10;

/**
 * S3 writes a log object every few minutes per bucket, so a folder often holds tens of thousands of small files:
 * a 1 MiB line buffer per file was a gigabyte of garbage per thousand megabytes of files (the tester's 67,961
 * files: 10 s of GC). Files known to be small start with 64 KiB; the buffer grows for a longer line.
 */
const SMALL_BUFFER = 64 << 10;

function smallFile(task: Task): boolean {
  // A gzip object's size is its compressed size: it may inflate past the buffer, which then grows.
  const size = task.kind === 'range' ? task.end - task.start : knownSize(task.source);
  return size !== undefined && size < SMALL_BUFFER / 2;
}

export async function runTask(task: Task, job: JobSpec, hooks: TaskHooks): Promise<TaskStats> {
  const consumer = new LineConsumer(job);
  const range = task.kind === 'range' ? task : undefined;
  const readFrom = range && range.start > 0 ? range.start - 1 : 0;
  const assembler = new LineAssembler(consumer.onLine, consumer.onOverlong, {
    // A range that starts mid-file reads from the byte before it: if that is a newline, the range starts on a
    // line; either way the partial first line belongs to the previous range.
    skipFirstLine: range !== undefined && range.start > 0,
    stopAt: range ? range.end - readFrom : undefined,
    bufferSize: smallFile(task) ? SMALL_BUFFER : undefined,
  });
  let lastLines = 0;
  const flush = async (min: number) => {
    hooks.progress(0, assembler.lines - lastLines);
    lastLines = assembler.lines;
    const chunk = consumer.takeOutput(min);
    if (chunk) await hooks.emit(chunk);
  };
  try {
    if (range) await readRange(range, readFrom, assembler, hooks, flush);
    else {
      for await (const chunk of decompressed(await openStream(task.source), (n) => hooks.progress(n, 0))) {
        assembler.push(chunk);
        await flush(OUTPUT_CHUNK);
      }
      assembler.finish();
    }
    await flush(0);
  } catch (error) {
    const name = task.source.name;
    if (error instanceof CorruptGzip) {
      // Corrupt data inflates to garbage until zlib notices (at the latest, at the checksum at the end): nothing
      // from this file counts, and what is still buffered is not written.
      const stats: TaskStats = { ...emptyStats(), lines: assembler.lines, untrusted: true };
      throw new TaskError(`${name}: ${error.message}`, stats);
    }
    const stats = consumer.stats(assembler.lines);
    if (error instanceof StrictStop) throw new TaskError(`${name}: ${error.message}`, stats, error);
    // The records read before the damage (a truncated gzip, a failed read) are kept: write them out too.
    await flush(0).catch(() => {});
    const message = error instanceof CliError ? error.message : describeError(error);
    throw new TaskError(message.startsWith(`${name}:`) ? message : `${name}: ${message}`, stats);
  }
  return consumer.stats(assembler.lines);
}

async function readRange(
  { source, start, end }: { source: FileSource; start: number; end: number },
  from: number,
  assembler: LineAssembler,
  hooks: TaskHooks,
  flush: (min: number) => Promise<void>,
): Promise<void> {
  let fd: number;
  try {
    fd = fs.openSync(source.path, 'r');
  } catch (error) {
    throw fileError(source.name, error);
  }
  try {
    let position = from;
    let sinceYield = 0;
    for (;;) {
      // No more than the range still holds (plus a little for its last line), so a small file's buffer stays small.
      const space = assembler.space(Math.min(READ_SIZE, Math.max(end - position, 0) + TAIL_BYTES));
      let n: number;
      try {
        n = fs.readSync(fd, space.buf, space.offset, Math.min(space.length, READ_SIZE), position);
      } catch (error) {
        throw fileError(source.name, error);
      }
      if (n === 0) break;
      // Progress counts only this range's own bytes, so ranges add up to the file's size.
      hooks.progress(clamp(position + n, start, end) - clamp(position, start, end), 0);
      position += n;
      assembler.commit(n);
      if (assembler.done) break;
      await flush(OUTPUT_CHUNK);
      // On the main thread, let worker messages in now and then: awaiting above alone runs no timers or I/O.
      sinceYield += n;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    assembler.finish();
  } finally {
    fs.closeSync(fd);
  }
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(n, low), high);
}

/** The raw bytes of a stream source. */
async function openStream(source: Source): Promise<AsyncIterable<Uint8Array>> {
  switch (source.kind) {
    case 'file':
      return fs.createReadStream(source.path);
    case 'stdin':
      return process.stdin;
    case 's3':
      return getObject(source);
    default: {
      const unexpected: never = source;
      throw new Error(`unknown source ${JSON.stringify(unexpected)}`);
    }
  }
}

async function getObject(source: S3Source): Promise<AsyncIterable<Uint8Array>> {
  const { GetObjectCommand } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  try {
    const response = await (await s3Client()).send(
      new GetObjectCommand({ Bucket: source.bucket, Key: source.key }),
    );
    if (!(response.Body instanceof Readable)) throw new Error('the response has no body stream');
    return response.Body;
  } catch (error) {
    throw s3Error(source.name, error);
  }
}

/** The stream's bytes, gunzipped when they start with the gzip magic; `onRaw` counts bytes before gunzip. */
async function* decompressed(
  raw: AsyncIterable<Uint8Array>,
  onRaw: (n: number) => void,
): AsyncIterable<Uint8Array> {
  const it = raw[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  async function* counted(): AsyncIterable<Uint8Array> {
    onRaw(first.value.length);
    yield first.value;
    for (let next = await it.next(); !next.done; next = await it.next()) {
      onRaw(next.value.length);
      yield next.value;
    }
  }
  if (!isGzipMagic(first.value)) {
    yield* counted();
    return;
  }
  const gunzip = pipeline(Readable.from(counted()), createGunzip(), () => {});
  try {
    yield* gunzip;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A cut file ends early (Z_BUF_ERROR, "unexpected end of file"): what came before the cut is sound. Any
    // other zlib error means the bytes themselves are wrong, and so may be what inflated before it was noticed.
    if (code === 'Z_BUF_ERROR')
      throw new CliError(`gzip data is truncated or corrupt (${describeError(error)})`);
    if (code?.startsWith('Z_')) throw new CorruptGzip(`gzip data is corrupt (${describeError(error)})`);
    throw error;
  }
}
