import { COLUMN_NAMES } from 's3-access-logs/log-format';
import { isRecordWithSigvOtherThan as importedQuickCheck } from 's3-access-logs/log-format/quick-check';
import { fieldOffsets, splitLine as importedSplitLine } from 's3-access-logs/log-format/split';
import type { TimeWindow } from '../inputs/time-window';
import { isUnbounded } from '../inputs/time-window';
import type { Timeline } from '../reports/html-timeline';
import { TimelineAccumulator } from '../reports/html-timeline';
import { RecordEncoder } from '../reports/record-encoder';
import { requestTimeMs as importedRequestTimeMs } from '../reports/request-time';
import type { Sigv2Tally } from '../reports/sigv2-aggregate';
import { isSigV2 as importedIsSigV2, Sigv2Accumulator } from '../reports/sigv2-aggregate';

/** What every line turns into: nothing (aggregates only), JSON Lines, CSV rows, or elements of a JSON array. */
export type RecordOutput = 'none' | 'jsonl' | 'csv' | 'json-array';

/** What a scan does with each line; the same on every thread. */
export interface JobSpec {
  readonly output: RecordOutput;
  /** Tally SigV2 requests by requester. */
  readonly sigv2: boolean;
  /** Count signed requests per day and SigV2 requesters over time (the HTML report). @default false */
  readonly timeline?: boolean;
  readonly window: TimeWindow;
  /** Stop at the first line that is not a record. */
  readonly strict: boolean;
}

/** A line that is not a record, by its 0-based index in the task. */
export interface UnparsedSample {
  readonly index: number;
  readonly preview: string;
}

/** What one task (a source, or a byte range of one) found. */
export interface TaskStats {
  /** Lines in the task, empty ones included (to number lines across byte ranges). */
  readonly lines: number;
  /** Parsed records inside the time window. */
  readonly records: number;
  /** Parsed records outside the time window (skipped). */
  readonly outside: number;
  readonly unparsed: number;
  /** The first few unparsed lines. */
  readonly samples: UnparsedSample[];
  readonly sigv2?: Sigv2Tally;
  readonly timeline?: Timeline;
  /**
   * Set when the input turned out corrupt (a gzip checksum that does not match): nothing read from it can be
   * trusted, so the counts above are zero and records already written from it are suspect.
   */
  readonly untrusted?: true;
}

/** Thrown in strict mode at the first line that is not a record. */
export class StrictStop extends Error {
  constructor(readonly sample: UnparsedSample) {
    super(`line ${sample.index + 1} is not an S3 server access log record`);
  }
}

export const MAX_SAMPLES = 20;

// The per-line calls, held here: some module loaders (tsx, esbuild's CommonJS output) turn every use of an
// imported name into a getter call, which costs on a path taken millions of times a second.
const splitLine = importedSplitLine;
const requestTimeMs = importedRequestTimeMs;
const isSigV2 = importedIsSigV2;
const isRecordWithSigvOtherThan = importedQuickCheck;
const SIGV2 = Buffer.from('SigV2');
const PREVIEW_CHARS = 100;
const REQUEST_TIME = COLUMN_NAMES.indexOf('requestdatetime');

/** The request time of a split line (epoch ms), NaN if it has none or it is not in S3's form. */
function timeOf(buf: Buffer, out: Int32Array): number {
  const s = out[2 * REQUEST_TIME];
  return s < 0 ? Number.NaN : requestTimeMs(buf, s, out[2 * REQUEST_TIME + 1]);
}

/** A short, printable view of a line that did not parse. */
function preview(buf: Buffer, s: number, e: number): string {
  const text = buf.toString('utf8', s, Math.min(e, s + PREVIEW_CHARS * 4)).slice(0, PREVIEW_CHARS);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  return text.length < e - s ? `${printable}…` : printable;
}

/**
 * The per-line work of a scan: split, filter by time, tally SigV2, write the record. One per task; `onLine` and
 * `onOverlong` plug into a LineAssembler.
 */
export class LineConsumer {
  private readonly out = fieldOffsets();
  private readonly windowed: boolean;
  /**
   * Whether a record that is not SigV2 needs nothing beyond being counted (no window, timeline or output), so
   * the quick check may stand in for splitting it.
   */
  private readonly countOnly: boolean;
  private readonly tally: Sigv2Accumulator | undefined;
  private readonly timeline: TimelineAccumulator | undefined;
  private readonly encoder = new RecordEncoder();
  private records = 0;
  private outside = 0;
  private unparsed = 0;
  private readonly samples: UnparsedSample[] = [];

  constructor(private readonly job: JobSpec) {
    this.windowed = !isUnbounded(job.window);
    this.countOnly = !this.windowed && !job.timeline && job.output === 'none';
    this.tally = job.sigv2 ? new Sigv2Accumulator() : undefined;
    this.timeline = job.timeline ? new TimelineAccumulator() : undefined;
  }

  readonly onLine = (buf: Buffer, s: number, e: number, index: number): void => {
    if (s === e) return; // an empty line is no record and no error
    if (this.countOnly && isRecordWithSigvOtherThan(buf, s, e, SIGV2)) {
      this.records++;
      return;
    }
    const out = this.out;
    if (!splitLine(buf, s, e, out)) {
      this.refuse({ index, preview: preview(buf, s, e) });
      return;
    }
    let time = Number.NaN;
    if (this.windowed) {
      time = timeOf(buf, out);
      const { sinceMs, untilMs } = this.job.window;
      if (!(time >= (sinceMs ?? -Infinity) && time < (untilMs ?? Infinity))) {
        this.outside++;
        return;
      }
    }
    this.records++;
    if (this.timeline !== undefined) {
      if (!this.windowed) time = timeOf(buf, out);
      this.timeline.add(buf, out, time);
    }
    if (this.tally !== undefined && isSigV2(buf, out)) {
      this.tally.add(buf, out, this.windowed || this.timeline !== undefined ? time : timeOf(buf, out));
    }
    switch (this.job.output) {
      case 'none':
        break;
      case 'jsonl':
        this.encoder.json(buf, out, '', '\n');
        break;
      case 'json-array':
        // Each element carries its own separator; the writer drops the very first comma.
        this.encoder.json(buf, out, ',\n', '');
        break;
      case 'csv':
        this.encoder.csv(buf, out);
        break;
      default: {
        const unexpected: never = this.job.output;
        throw new Error(`unknown output ${unexpected}`);
      }
    }
  };

  readonly onOverlong = (index: number): void => {
    this.refuse({ index, preview: '(a line longer than 64 MiB)' });
  };

  /** Output gathered so far, once there are at least `min` bytes of it (any for 0). */
  takeOutput(min = 0): Buffer | undefined {
    const length = this.encoder.length;
    return length === 0 || length < min ? undefined : this.encoder.take();
  }

  stats(lines: number): TaskStats {
    return {
      lines,
      records: this.records,
      outside: this.outside,
      unparsed: this.unparsed,
      samples: this.samples,
      sigv2: this.tally?.tally(),
      timeline: this.timeline?.timeline(),
    };
  }

  private refuse(sample: UnparsedSample): void {
    if (this.job.strict) throw new StrictStop(sample);
    this.unparsed++;
    if (this.samples.length < MAX_SAMPLES) this.samples.push(sample);
  }
}
