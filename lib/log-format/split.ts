import { BYTE } from './bytes';
import { COLUMN_NAMES, COLUMNS, type LogRecord, MIN_FIELDS } from './columns';
import { MAX_NUMBER_DIGITS as IMPORTED_MAX_DIGITS, MAX_QUOTES_INSIDE as IMPORTED_MAX_QUOTES } from './regex';

/*
 * The fast field splitter: reads a log line straight from bytes, in one forward pass over the fields of every
 * line S3 writes (plus one backward search for the line's last quote), and yields exactly what
 * `parseLineWithRegex` (the table's RegexSerDe regex) yields, which property tests hold it to. It follows the
 * regex's grammar field by field:
 *
 * - Fields 1-8 are space-delimited (`-` is NULL), except `requestdatetime`, which runs from `[` to the first `]`.
 *   Nothing in them can be ambiguous, so there is no backtracking into them.
 * - The request URI, referrer and user agent may hold unescaped `"`. The regex closes the first two at the
 *   *first* quote after which the rest of the line matches (among their first MAX_QUOTES_INSIDE + 1), and the
 *   user agent at the *last* such quote; a
 *   quoted `"-"` is NULL when the rest matches right after it. The splitter tries the candidate quotes in that
 *   same order and checks "the rest matches" with the same grammar, so it picks what the regex picks. On a line
 *   without stray quotes the first candidate of each is the right one, so each is checked once.
 * - The fields between the quoted ones and after the user agent are tokens without spaces or quotes; `bytessent`
 *   and `objectsize` yield a number only for 1 to 15 digits. After `versionid`, each of the nine trailing fields
 *   is optional, and anything may follow the 27th after a space.
 *
 * It works on UTF-8 bytes: every character the grammar looks at is ASCII, and no byte of a multi-byte UTF-8
 * sequence is ASCII, so field boundaries fall where the regex puts them on the decoded string.
 */

/** Slots in the offsets array: field i spans bytes [out[2i], out[2i+1]); out[2i] < 0 means NULL. */
export const FIELD_SLOTS = COLUMNS.length * 2;

/** A reusable offsets array for `splitLine`. */
export function fieldOffsets(): Int32Array {
  return new Int32Array(FIELD_SLOTS);
}

const { SPACE, QUOTE, DASH, OPEN_BRACKET, CLOSE_BRACKET, DIGIT_0, DIGIT_9 } = BYTE;

function indexOf(name: (typeof COLUMN_NAMES)[number]): number {
  return COLUMN_NAMES.indexOf(name);
}

const REQUEST_TIME = indexOf('requestdatetime');
const REQUESTER = indexOf('requester');
const REQUEST_URI = indexOf('request_uri');
const HTTP_STATUS = indexOf('httpstatus');
const BYTES_SENT = indexOf('bytessent');
const OBJECT_SIZE = indexOf('objectsize');
const REFERRER = indexOf('referrer');
const USER_AGENT = indexOf('useragent');
const VERSION_ID = indexOf('versionid');
const FIELDS = COLUMNS.length;
// Held in local constants: some module loaders (tsx, esbuild's CommonJS output) turn every use of an imported
// name into a getter call, which measurably costs on a path taken for every field of every line.
const MAX_NUMBER_DIGITS = IMPORTED_MAX_DIGITS;
const MAX_QUOTES_INSIDE = IMPORTED_MAX_QUOTES;

// The grammar below is written for this layout; fail loudly at load time rather than split wrongly.
if (
  REQUEST_TIME !== 2 ||
  REQUESTER !== 4 ||
  REQUEST_URI !== 8 ||
  HTTP_STATUS !== 9 ||
  BYTES_SENT !== 11 ||
  OBJECT_SIZE !== 12 ||
  REFERRER !== 15 ||
  USER_AGENT !== 16 ||
  VERSION_ID !== MIN_FIELDS - 1 ||
  FIELDS !== 27
) {
  throw new Error('log-format/split.ts no longer matches the column layout in columns.ts');
}

/**
 * Splits the line `buf[start, end)` (no line terminator) into its 27 fields. Returns false when the line is not
 * a record (the regex does not match); then `out` holds nothing useful. `buf` may hold other lines around it.
 */
export function splitLine(buf: Buffer, start: number, end: number, out: Int32Array): boolean {
  if (carefulLines === 0) return fields(buf, start, end, out);
  carefulLines--;
  const line = buf.subarray(start, end);
  if (!fields(line, 0, line.length, out)) return false;
  for (let i = 0; i < FIELD_SLOTS; i += 2) {
    if (out[i] >= 0) {
      out[i] += start;
      out[i + 1] += start;
    }
  }
  return true;
}

function fields(buf: Buffer, start: number, end: number, out: Int32Array, identity = true): boolean {
  let p = start;
  // The regex tries a CloudFront origin access identity (a requester with spaces) first and, when the rest of
  // the line does not match that way, a plain requester: so does the splitter.
  let withIdentity = false;
  for (let field = 0; field < REQUEST_URI; field++) {
    let next = field === REQUESTER && identity ? originAccessIdentity(buf, p, end) : -1;
    if (next > 0) {
      set(buf, out, field, p, next);
      withIdentity = true;
    } else if (field === REQUEST_TIME) next = bracketed(buf, p, end, out);
    else next = plain(buf, p, end, out, field);
    if (next < 0 || next >= end || buf[next] !== SPACE) {
      return withIdentity && fields(buf, start, end, out, false);
    }
    p = next + 1;
  }
  const matched = firstClosingQuote(buf, p, end, out, REQUEST_URI, quoteFreeFrom(buf, p, end));
  return matched || (withIdentity && fields(buf, start, end, out, false));
}

const ARN_AWS = Buffer.from('arn:aws');
const IDENTITY_ARN_REST = Buffer.from(':iam::cloudfront:user/CloudFront Origin Access Identity ');
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

/**
 * The end of a CloudFront origin access identity ARN at `p` (`arn:aws[a-z-]*:iam::cloudfront:user/CloudFront
 * Origin Access Identity <id>`, the regex's REQUESTER alternative), or -1 when the bytes there are not one.
 * Most requesters are IAM ARNs, so this runs on most lines: plain byte loops that stop at the first difference
 * (an ordinary ARN differs at its account ID) cost far less than Buffer#compare's native call.
 */
function originAccessIdentity(buf: Buffer, p: number, end: number): number {
  let q = startsWith(buf, p, end, ARN_AWS);
  if (q < 0) return -1;
  while (q < end && ((buf[q] >= LOWER_A && buf[q] <= LOWER_Z) || buf[q] === DASH)) q++;
  const id = startsWith(buf, q, end, IDENTITY_ARN_REST);
  if (id < 0) return -1;
  const idEnd = find(buf, SPACE, id, end);
  return idEnd === id ? -1 : idEnd;
}

/** `p + prefix.length` when `buf[p, end)` starts with `prefix`, else -1. */
function startsWith(buf: Buffer, p: number, end: number, prefix: Buffer): number {
  if (end - p < prefix.length) return -1;
  for (let i = 0; i < prefix.length; i++) if (buf[p + i] !== prefix[i]) return -1;
  return p + prefix.length;
}

/*
 * Searching uses Buffer#indexOf (memchr speed, and cheap to call once optimised) rather than a loop over bytes:
 * measured on S3-like lines, ~1.6 GB/s against ~1 GB/s. A native search runs on past the line's end until it
 * finds the character, which on log lines is a few bytes into the next line. In a file that lacks it (say a
 * space-separated text file without quotes), every line would search to the end of the buffer, so once a
 * search runs far past its line, the next lines are split on views of themselves (a little slower, bounded).
 */
const FAR = 64 << 10;
const CAREFUL_LINES = 4096;
let carefulLines = 0;

/** Whether lines are being split on views of themselves (see above): quick checks leave such lines alone. */
export function searchingCarefully(): boolean {
  return carefulLines > 0;
}

/** The first `c` in `buf[p, end)`, or `end`. */
export function find(buf: Buffer, c: number, p: number, end: number): number {
  const q = buf.indexOf(c, p);
  if (q >= 0 && q <= end) return q;
  if ((q < 0 ? buf.length : q) - end > FAR) carefulLines = CAREFUL_LINES;
  return end;
}

/** A field before the request URI: any run of non-spaces (`-` is NULL). Returns its end, or -1. */
function plain(buf: Buffer, p: number, end: number, out: Int32Array, field: number): number {
  const q = find(buf, SPACE, p, end);
  if (q === p) return -1;
  set(buf, out, field, p, q);
  return q;
}

/** `requestdatetime`: `-`, or `[` + at least one character + the first `]`. Returns its end, or -1. */
function bracketed(buf: Buffer, p: number, end: number, out: Int32Array): number {
  if (p < end && buf[p] === DASH) {
    setNull(out, REQUEST_TIME);
    return p + 1;
  }
  if (p >= end || buf[p] !== OPEN_BRACKET) return -1;
  const q = find(buf, CLOSE_BRACKET, p + 1, end);
  if (q >= end || q === p + 1) return -1;
  out[2 * REQUEST_TIME] = p + 1;
  out[2 * REQUEST_TIME + 1] = q;
  return q + 1;
}

/**
 * A token after the request URI: no spaces or quotes, not empty. Returns its end (a space or `end`), or -1.
 * From `clean` on the line holds no quote (it is past the last one), so there only spaces need looking for.
 */
export function token(buf: Buffer, p: number, end: number, clean: number): number {
  if (p >= clean) {
    // Most trailing fields are short (`-`, `SigV4`, `TLSv1.2`): look at a few bytes here before searching.
    const stop = Math.min(p + 12, end);
    let q = p;
    while (q < stop && buf[q] !== SPACE) q++;
    if (q === stop && stop < end) q = find(buf, SPACE, stop, end);
    return q === p ? -1 : q;
  }
  // Tokens before the last quote are short (status, error code, sizes, times): a loop checks both at once.
  let q = p;
  while (q < end) {
    const c = buf[q];
    if (c === SPACE) break;
    if (c === QUOTE) return -1;
    q++;
  }
  return q === p ? -1 : q;
}

/** The position after the line's last quote (`start` if none is at or after it): no quote from there on. */
export function quoteFreeFrom(buf: Buffer, start: number, end: number): number {
  const q = end > 0 ? buf.lastIndexOf(QUOTE, end - 1) : -1;
  if (q >= start) return q + 1;
  if (start - q > FAR) carefulLines = CAREFUL_LINES; // searched far back, as `find` can far ahead
  return start;
}

/**
 * The request URI and the referrer: `"-"` (NULL) if the rest matches after it; else closed at the first quote
 * after which the rest matches, among the first MAX_QUOTES_INSIDE + 1 (as the regex bounds them); a bare token
 * is NULL.
 */
function firstClosingQuote(
  buf: Buffer,
  p: number,
  end: number,
  out: Int32Array,
  field: number,
  clean: number,
): boolean {
  if (p >= end) return false;
  if (buf[p] !== QUOTE) {
    const q = bare(buf, p, end, out, field, clean);
    return q >= 0 && rest(field, buf, q, end, out, clean);
  }
  if (isQuotedDash(buf, p, end) && rest(field, buf, p + 3, end, out, clean)) {
    setNull(out, field);
    return true;
  }
  let candidates = MAX_QUOTES_INSIDE + 1;
  for (let q = find(buf, QUOTE, p + 1, end); q < end && candidates > 0; q = find(buf, QUOTE, q + 1, end)) {
    candidates--;
    if (rest(field, buf, q + 1, end, out, clean)) {
      out[2 * field] = p + 1;
      out[2 * field + 1] = q;
      return true;
    }
  }
  return false;
}

/** What must follow the request URI or the referrer for the line to match, from `p` on. */
function rest(field: number, buf: Buffer, p: number, end: number, out: Int32Array, clean: number): boolean {
  return field === REQUEST_URI
    ? afterRequestUri(buf, p, end, out, clean)
    : afterReferrer(buf, p, end, out, clean);
}

/** The user agent: like `firstClosingQuote`, but closed at the *last* quote after which the rest matches. */
function lastClosingQuote(buf: Buffer, p: number, end: number, out: Int32Array, clean: number): boolean {
  if (p >= end) return false;
  if (buf[p] !== QUOTE) {
    const q = bare(buf, p, end, out, USER_AGENT, clean);
    return q >= 0 && trailing(buf, q, end, out, clean);
  }
  if (isQuotedDash(buf, p, end) && trailing(buf, p + 3, end, out, clean)) {
    setNull(out, USER_AGENT);
    return true;
  }
  // `clean - 1` is the line's last quote; earlier candidates come from searching backwards.
  for (let q = clean - 1; q > p; q = buf.lastIndexOf(QUOTE, q - 1)) {
    if (trailing(buf, q + 1, end, out, clean)) {
      out[2 * USER_AGENT] = p + 1;
      out[2 * USER_AGENT + 1] = q;
      return true;
    }
  }
  return false;
}

/** A quoted field written bare (`-` or any token without quotes): NULL either way. Returns its end, or -1. */
function bare(buf: Buffer, p: number, end: number, out: Int32Array, field: number, clean: number): number {
  const q = token(buf, p, end, clean);
  if (q >= 0) setNull(out, field);
  return q;
}

function isQuotedDash(buf: Buffer, p: number, end: number): boolean {
  return p + 2 < end && buf[p + 1] === DASH && buf[p + 2] === QUOTE;
}

/** ` httpstatus errorcode bytessent objectsize totaltime turnaroundtime referrer ...` */
function afterRequestUri(buf: Buffer, p: number, end: number, out: Int32Array, clean: number): boolean {
  if (p >= end || buf[p] !== SPACE) return false;
  let q = status(buf, p + 1, end, out);
  for (let field = HTTP_STATUS + 1; field < REFERRER; field++) {
    if (q < 0 || q >= end) return false; // a token must follow, after a space
    const s = q + 1;
    q = token(buf, s, end, clean);
    if (q < 0) return false;
    if (field === BYTES_SENT || field === OBJECT_SIZE) setNumber(buf, out, field, s, q);
    else set(buf, out, field, s, q);
  }
  if (q >= end) return false;
  return firstClosingQuote(buf, q + 1, end, out, REFERRER, clean);
}

/** `httpstatus`: `-` or digits only. Returns its end, or -1. */
function status(buf: Buffer, p: number, end: number, out: Int32Array): number {
  if (p < end && buf[p] === DASH) {
    setNull(out, HTTP_STATUS);
    return p + 1 < end && buf[p + 1] === SPACE ? p + 1 : -1;
  }
  let q = p;
  while (q < end && buf[q] >= DIGIT_0 && buf[q] <= DIGIT_9) q++;
  if (q === p || q >= end || buf[q] !== SPACE) return -1;
  out[2 * HTTP_STATUS] = p;
  out[2 * HTTP_STATUS + 1] = q;
  return q;
}

/** ` useragent ...` */
function afterReferrer(buf: Buffer, p: number, end: number, out: Int32Array, clean: number): boolean {
  if (p >= end || buf[p] !== SPACE) return false;
  return lastClosingQuote(buf, p + 1, end, out, clean);
}

/**
 * ` versionid` then up to nine trailing fields, each optional on its own but none skipped; after all 27, a space
 * and anything (fields AWS may add later).
 */
function trailing(buf: Buffer, p: number, end: number, out: Int32Array, clean: number): boolean {
  let q = p;
  for (let field = VERSION_ID; field < FIELDS; field++) {
    if (q === end && field > VERSION_ID) {
      for (let absent = field; absent < FIELDS; absent++) setNull(out, absent);
      return true;
    }
    if (q >= end || buf[q] !== SPACE) return false;
    const s = q + 1;
    q = token(buf, s, end, clean);
    if (q < 0) return false;
    set(buf, out, field, s, q);
  }
  return true;
}

function set(buf: Buffer, out: Int32Array, field: number, s: number, e: number): void {
  if (e - s === 1 && buf[s] === DASH) {
    out[2 * field] = -1;
  } else {
    out[2 * field] = s;
    out[2 * field + 1] = e;
  }
}

function setNull(out: Int32Array, field: number): void {
  out[2 * field] = -1;
}

/** A `bigint` field has a value only when it is 1 to 15 digits. */
function setNumber(buf: Buffer, out: Int32Array, field: number, s: number, e: number): void {
  let digits = e - s <= MAX_NUMBER_DIGITS;
  for (let i = s; digits && i < e; i++) digits = buf[i] >= DIGIT_0 && buf[i] <= DIGIT_9;
  out[2 * field] = digits ? s : -1;
  out[2 * field + 1] = e;
}

/** Field `field` of a split line as the table types it: a string, a number (bigint columns) or null. */
export function fieldValue(buf: Buffer, out: Int32Array, field: number): string | number | null {
  const s = out[2 * field];
  if (s < 0) return null;
  const e = out[2 * field + 1];
  if (COLUMNS[field].type === 'bigint') {
    let n = 0;
    for (let i = s; i < e; i++) n = n * 10 + (buf[i] - DIGIT_0);
    return n;
  }
  return buf.toString('utf8', s, e);
}

/** The record of a split line, keyed by column name, as `parseLineWithRegex` returns it. */
export function recordOf(buf: Buffer, out: Int32Array): LogRecord {
  const record: Record<string, string | number | null> = {};
  for (let i = 0; i < FIELDS; i++) record[COLUMN_NAMES[i]] = fieldValue(buf, out, i);
  return record as LogRecord;
}

/** Convenience for one line of text: the same result as `parseLineWithRegex(line)`. */
export function parseLine(line: string): LogRecord | null {
  const buf = Buffer.from(line, 'utf8');
  const out = fieldOffsets();
  return splitLine(buf, 0, buf.length, out) ? recordOf(buf, out) : null;
}
