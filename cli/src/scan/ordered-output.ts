/**
 * Writes the output of tasks that run at the same time in task order. The lowest unfinished task (the head)
 * writes straight through; later tasks' chunks wait in memory, and a task whose waiting output passes a limit
 * is paused (its `chunk` promise stays pending) until it becomes the head. So memory stays bounded by the
 * tasks in flight, and a slow reader of standard output slows the whole scan down instead of filling memory.
 */

/** Waiting output per task beyond which that task is paused. */
const WAITING_LIMIT = 16 << 20;

interface Waiting {
  chunks: Uint8Array[];
  bytes: number;
  resume: (() => void)[];
  done: boolean;
}

export class OrderedOutput {
  private head = 0;
  private readonly waiting = new Map<number, Waiting>();
  private written: Promise<void> = Promise.resolve();
  /** Tasks after this one are dropped (a fatal error in strict mode). */
  private cutoff = Infinity;

  /** @param write writes a chunk of task `seq` */
  constructor(private readonly write: (chunk: Uint8Array, seq: number) => Promise<void>) {}

  /** A chunk of task `seq`; resolves when the task may produce more. */
  chunk(seq: number, chunk: Uint8Array): Promise<void> {
    if (seq > this.cutoff) return Promise.resolve();
    if (seq === this.head) return this.enqueue(chunk, seq);
    const entry = this.entry(seq);
    entry.chunks.push(chunk);
    entry.bytes += chunk.length;
    if (entry.bytes < WAITING_LIMIT) return Promise.resolve();
    return new Promise((resolve) => entry.resume.push(resolve));
  }

  /** Task `seq` will send nothing more. */
  finish(seq: number): void {
    this.entry(seq).done = true;
    this.advance();
  }

  /** Writes nothing from tasks after `seq`. */
  stopAfter(seq: number): void {
    this.cutoff = Math.min(this.cutoff, seq);
  }

  /** Resolves when everything handed over so far is written. */
  drained(): Promise<void> {
    return this.written;
  }

  private entry(seq: number): Waiting {
    let entry = this.waiting.get(seq);
    if (entry === undefined) {
      entry = { chunks: [], bytes: 0, resume: [], done: false };
      this.waiting.set(seq, entry);
    }
    return entry;
  }

  private advance(): void {
    for (;;) {
      const entry = this.waiting.get(this.head);
      if (entry === undefined) return;
      for (const chunk of entry.chunks) void this.enqueue(chunk, this.head);
      entry.chunks = [];
      entry.bytes = 0;
      for (const resume of entry.resume.splice(0)) resume();
      if (!entry.done) return;
      this.waiting.delete(this.head);
      this.head++;
    }
  }

  private enqueue(chunk: Uint8Array, seq: number): Promise<void> {
    if (this.head > this.cutoff) return Promise.resolve();
    this.written = this.written.then(() => this.write(chunk, seq));
    return this.written;
  }
}
