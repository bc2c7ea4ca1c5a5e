/**
 * Cuts a byte stream into lines without copying them: each line is handed over as a range of one reusable
 * buffer, so memory stays at the buffer's size however large the input. A line ends at `\n`; a `\r` before it
 * is dropped (CRLF files). A last line without a newline is still a line.
 */

/** Receives one line as `buf[start, end)`, valid only during the call. `index` counts lines from 0. */
export type LineHandler = (buf: Buffer, start: number, end: number, index: number) => void;

/** Receives a line too long to hold (its index); its bytes are skipped. */
export type OverlongHandler = (index: number) => void;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface LineAssemblerOptions {
  /** Initial buffer size. @default 1 MiB */
  readonly bufferSize?: number;
  /** A longer line (counting a `\r` before its newline) goes to `onOverlong`, never buffered whole. @default 64 MiB */
  readonly maxLineBytes?: number;
  /** Drop everything up to and including the first newline (a byte range that starts mid-line). @default false */
  readonly skipFirstLine?: boolean;
  /** Stop at the first line that starts at or after this many bytes into the stream. @default no limit */
  readonly stopAt?: number;
}

export class LineAssembler {
  private buf: Buffer;
  /** Bytes of `buf` holding data; `[pos, len)` is an incomplete line. */
  private len = 0;
  private pos = 0;
  /** Stream offset of `buf[0]`. */
  private base = 0;
  private skipping: boolean;
  private discarding = false;
  private readonly maxLineBytes: number;
  private readonly stopAt: number;
  /** Lines emitted so far (the next line's index). */
  lines = 0;
  /** True once a line at or past `stopAt` was reached: feed no more. */
  done = false;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onOverlong: OverlongHandler,
    options: LineAssemblerOptions = {},
  ) {
    this.buf = Buffer.allocUnsafe(options.bufferSize ?? 1 << 20);
    this.maxLineBytes = options.maxLineBytes ?? 64 << 20;
    this.skipping = options.skipFirstLine ?? false;
    this.stopAt = options.stopAt ?? Infinity;
  }

  /** Free space to read into, at least `min` bytes: pass `buf[offset, offset + length)` to a read. */
  space(min = 64 << 10): { buf: Buffer; offset: number; length: number } {
    if (this.buf.length - this.len < min) this.compact(min);
    return { buf: this.buf, offset: this.len, length: this.buf.length - this.len };
  }

  /** `n` bytes were read into the space; handles every line they complete. */
  commit(n: number): void {
    const end = this.len + n;
    const view = this.buf.subarray(0, end);
    let s = this.pos;
    while (!this.done) {
      const nl = view.indexOf(NEWLINE, s);
      if (nl < 0) break;
      this.take(s, nl);
      s = nl + 1;
    }
    this.pos = s;
    this.len = end;
    if (!this.done && (this.discarding || this.skipping || end - s > this.maxLineBytes)) this.dropPending(s);
  }

  /** Copies a chunk in (for streams) and handles the lines it completes. */
  push(chunk: Uint8Array): void {
    let from = 0;
    while (from < chunk.length && !this.done) {
      const space = this.space(Math.min(chunk.length - from, 1 << 20));
      const n = Math.min(space.length, chunk.length - from);
      space.buf.set(chunk.subarray(from, from + n), space.offset);
      from += n;
      this.commit(n);
    }
  }

  /** End of input: the bytes after the last newline, if any, are the last line. */
  finish(): void {
    if (this.done || this.discarding || this.skipping) return;
    if (this.len > this.pos) this.take(this.pos, this.len);
    this.pos = this.len;
  }

  /** One complete line `buf[s, nl)` (nl is its newline or the end of input). */
  private take(s: number, nl: number): void {
    if (this.skipping || this.discarding) {
      // The end of a line that is not ours (a range's first partial line) or is too long to hold.
      this.skipping = false;
      this.discarding = false;
      return;
    }
    if (this.base + s >= this.stopAt) {
      this.done = true;
      return;
    }
    if (nl - s > this.maxLineBytes) {
      this.onOverlong(this.lines++);
      return;
    }
    const buf = this.buf;
    const e = nl > s && buf[nl - 1] === CARRIAGE_RETURN ? nl - 1 : nl;
    this.onLine(buf, s, e, this.lines++);
  }

  /**
   * Drops the incomplete line's bytes read so far: it is not ours, or is already known to be too long (reported
   * once, when it first outgrows the limit).
   */
  private dropPending(s: number): void {
    if (!this.skipping && !this.discarding) {
      if (this.base + s >= this.stopAt) {
        this.done = true;
        return;
      }
      this.discarding = true;
      this.onOverlong(this.lines++);
    }
    this.base += this.len;
    this.pos = 0;
    this.len = 0;
  }

  /** Moves the incomplete line to the front, growing the buffer if it still lacks `min` free bytes. */
  private compact(min: number): void {
    const pending = this.len - this.pos;
    let size = this.buf.length;
    while (size - pending < min) size *= 2;
    const target = size === this.buf.length ? this.buf : Buffer.allocUnsafe(size);
    this.buf.copy(target, 0, this.pos, this.len);
    this.buf = target;
    this.base += this.pos;
    this.len = pending;
    this.pos = 0;
  }
}
