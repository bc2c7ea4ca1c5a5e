import * as os from 'node:os';

/** Where the command reads and writes: the process's streams, or stand-ins in tests. */
export interface Io {
  /** `columns` is the terminal's width when standard output is one. */
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  /** Threads to use when `--threads` is not given. */
  readonly defaultThreads: number;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, defaultThreads: os.availableParallelism() };
}

/**
 * Writes a chunk, resolving once the stream can take more, so a slow reader slows the scan instead of filling
 * memory. (A closed pipe, as in `| head`, ends the process: see main.ts.)
 */
export function writeTo(stream: NodeJS.WritableStream): (chunk: Uint8Array | string) => Promise<void> {
  return (chunk) =>
    stream.write(chunk) ? Promise.resolve() : new Promise((resolve) => stream.once('drain', () => resolve()));
}
