import { COLUMN_NAMES, COLUMNS } from 's3-access-logs/log-format';
import { fieldValue } from 's3-access-logs/log-format/split';
import { csvCell } from './record-text';

/**
 * Writes split lines as JSON or CSV bytes straight into an output buffer. A field of printable ASCII that needs
 * no escaping (nearly every field of every S3 log line) is copied byte for byte; anything else goes through
 * the string path (`jsonRecord` / `csvRecord` in record-text.ts), so the bytes are always exactly what those
 * produce, only several times faster.
 */

const FIELDS = COLUMNS.length;
const IS_NUMBER = COLUMNS.map((c) => c.type === 'bigint');
const JSON_KEYS = COLUMN_NAMES.map((name, i) =>
  Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:`),
);
const NULL = Buffer.from('null');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/** Bytes that JSON.stringify writes as they are: printable ASCII but `"` and `\`. */
function jsonPlain(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) return false;
  }
  return true;
}

/** Bytes that csvCell writes as they are: printable ASCII but `"` and `,`, and not empty. */
function csvPlain(buf: Buffer, s: number, e: number): boolean {
  if (s === e) return false;
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === COMMA) return false;
  }
  return true;
}

/** The first buffer; it doubles as records need. */
const INITIAL_BYTES = 64 << 10;

export class RecordEncoder {
  // Allocated on the first record written: a scan that only counts (sigv2, report) never writes one, and a
  // folder of thousands of small log objects would otherwise allocate a buffer per object for the GC to reclaim.
  private out = Buffer.alloc(0);
  private len = 0;

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.len;
  }

  json(buf: Buffer, offsets: Int32Array, prefix: string, suffix: string): void {
    this.text(prefix);
    for (let i = 0; i < FIELDS; i++) {
      this.bytes(JSON_KEYS[i], 0, JSON_KEYS[i].length);
      const s = offsets[2 * i];
      if (s < 0) {
        this.bytes(NULL, 0, NULL.length);
        continue;
      }
      const e = offsets[2 * i + 1];
      if (IS_NUMBER[i]) {
        // Digits only (the splitter checked); a leading zero is not JSON, so that rare case is re-printed.
        if (e - s > 1 && buf[s] === 0x30) this.text(String(fieldValue(buf, offsets, i)));
        else this.bytes(buf, s, e);
      } else if (jsonPlain(buf, s, e)) {
        this.byte(QUOTE);
        this.bytes(buf, s, e);
        this.byte(QUOTE);
      } else {
        this.text(JSON.stringify(buf.toString('utf8', s, e)));
      }
    }
    this.byte(0x7d); // }
    this.text(suffix);
  }

  csv(buf: Buffer, offsets: Int32Array): void {
    for (let i = 0; i < FIELDS; i++) {
      if (i > 0) this.byte(COMMA);
      const s = offsets[2 * i];
      if (s < 0) continue;
      const e = offsets[2 * i + 1];
      if (IS_NUMBER[i] && e - s > 1 && buf[s] === 0x30) this.text(String(fieldValue(buf, offsets, i)));
      else if (csvPlain(buf, s, e)) this.bytes(buf, s, e);
      else this.text(csvCell(buf.toString('utf8', s, e)));
    }
    this.byte(0x0a);
  }

  /**
   * Everything written so far, leaving the encoder empty. The chunk is a copy that owns its memory exactly, so a
   * worker thread can hand it to the main thread without another copy, and the working buffer is reused.
   */
  take(): Buffer {
    const chunk = Buffer.allocUnsafeSlow(this.len);
    this.out.copy(chunk, 0, 0, this.len);
    this.len = 0;
    return chunk;
  }

  private room(n: number): void {
    if (this.len + n <= this.out.length) return;
    let size = Math.max(this.out.length * 2, INITIAL_BYTES);
    while (size < this.len + n) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.out.copy(bigger, 0, 0, this.len);
    this.out = bigger;
  }

  private byte(c: number): void {
    this.room(1);
    this.out[this.len++] = c;
  }

  private bytes(from: Buffer, s: number, e: number): void {
    this.room(e - s);
    // Short runs are cheaper to copy here than through a native call.
    if (e - s < 16) {
      const out = this.out;
      let at = this.len;
      for (let i = s; i < e; i++) out[at++] = from[i];
      this.len = at;
    } else {
      this.len += from.copy(this.out, this.len, s, e);
    }
  }

  private text(value: string): void {
    if (value === '') return;
    this.room(value.length * 3);
    this.len += this.out.write(value, this.len, 'utf8');
  }
}
