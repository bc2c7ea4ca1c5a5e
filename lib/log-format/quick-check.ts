import { BYTE } from './bytes';
import { COLUMN_NAMES } from './columns';
import {
  find as importedFind,
  quoteFreeFrom as importedQuoteFreeFrom,
  searchingCarefully as importedSearchingCarefully,
  token as importedToken,
} from './split';

/*
 * A quick check for the line most scans see: a record in the shape S3 writes, whose `sigv` field is not the
 * value asked about. It answers true only when `splitLine` would accept the line *and* put something else (or
 * NULL) in `sigv`; false means "not known": split the line. So a scan that needs only a count of records and
 * the SigV2 ones can skip splitting most lines and still count exactly (property tests hold it to `splitLine`).
 *
 * It walks the splitter's grammar along the path the splitter tries first: a plain requester (one ending in
 * `CloudFront` might be an origin access identity: not known), quoted request URI, referrer and user agent
 * (a bare one: not known), the URI and the referrer closed at their first quote, the user agent at the line's
 * last quote. The splitter takes the first path along which the whole line matches, so when this one matches,
 * it is the splitter's. Nothing is written: no offsets, no numbers.
 */

// Held in local constants: some module loaders (tsx, esbuild's CommonJS output) turn every use of an imported
// name into a getter call, which costs on a path taken for every line.
const find = importedFind;
const searchingCarefully = importedSearchingCarefully;
const token = importedToken;
const quoteFreeFrom = importedQuoteFreeFrom;

const { SPACE, QUOTE, DASH, OPEN_BRACKET, CLOSE_BRACKET, DIGIT_0, DIGIT_9 } = BYTE;
const CLOUDFRONT = Buffer.from('CloudFront');

const REQUEST_TIME = COLUMN_NAMES.indexOf('requestdatetime');
const REQUESTER = COLUMN_NAMES.indexOf('requester');
const REQUEST_URI = COLUMN_NAMES.indexOf('request_uri');
const VERSION_ID = COLUMN_NAMES.indexOf('versionid');
const SIGV = COLUMN_NAMES.indexOf('sigv');
const FIELDS = COLUMN_NAMES.length;
/** Tokens between the request URI and the referrer: errorcode, bytessent, objectsize, totaltime, turnaroundtime. */
const TOKENS_AFTER_STATUS = COLUMN_NAMES.indexOf('referrer') - COLUMN_NAMES.indexOf('httpstatus') - 1;

if (
  REQUEST_TIME !== 2 ||
  REQUESTER !== 4 ||
  REQUEST_URI !== 8 ||
  TOKENS_AFTER_STATUS !== 5 ||
  SIGV <= VERSION_ID
) {
  throw new Error('log-format/quick-check.ts no longer matches the column layout in columns.ts');
}

/**
 * True only when `buf[start, end)` is a record (as `splitLine` reads it) whose `sigv` field is not `sigv`
 * (NULL counts as not); false when that is not known quickly, and then only `splitLine` can tell.
 */
export function isRecordWithSigvOtherThan(
  buf: Buffer,
  start: number,
  end: number,
  sigv: Uint8Array,
): boolean {
  if (searchingCarefully()) return false;
  let p = start;
  for (let field = 0; field < REQUEST_URI; field++) {
    let q: number;
    if (field === REQUEST_TIME) {
      // `-`, or `[` + at least one character + the first `]`.
      if (buf[p] === DASH) q = p + 1;
      else if (buf[p] !== OPEN_BRACKET) return false;
      else {
        q = find(buf, CLOSE_BRACKET, p + 1, end);
        if (q >= end || q === p + 1) return false;
        q++;
      }
    } else {
      q = find(buf, SPACE, p, end);
      if (q === p) return false;
      if (field === REQUESTER && endsWith(buf, q, CLOUDFRONT)) return false;
    }
    if (q >= end || buf[q] !== SPACE) return false;
    p = q + 1;
  }
  // The request URI, closed at its first quote. Past `clean` the line holds no quote (as in the splitter).
  if (buf[p] !== QUOTE) return false;
  const clean = quoteFreeFrom(buf, p, end);
  let q = find(buf, QUOTE, p + 1, end);
  if (q + 2 >= end || buf[q + 1] !== SPACE) return false;
  // The status: `-` or digits.
  p = q + 2;
  q = p;
  if (buf[q] === DASH) q++;
  else while (q < end && buf[q] >= DIGIT_0 && buf[q] <= DIGIT_9) q++;
  if (q === p || q >= end || buf[q] !== SPACE) return false;
  for (let i = 0; i < TOKENS_AFTER_STATUS; i++) {
    q = token(buf, q + 1, end, clean);
    if (q < 0 || q >= end) return false;
  }
  // The referrer, closed at its first quote; then the user agent, closed at the line's last quote.
  p = q + 1;
  if (buf[p] !== QUOTE) return false;
  q = find(buf, QUOTE, p + 1, end);
  if (q + 2 >= end || buf[q + 1] !== SPACE || buf[q + 2] !== QUOTE) return false;
  const userAgent = q + 2;
  // The user agent: `"-"` if the rest matches right after it (the splitter tries that first: anything may follow
  // the 27th field, quotes included), else closed at the line's last quote.
  if (userAgent + 2 < end && buf[userAgent + 1] === DASH && buf[userAgent + 2] === QUOTE) {
    const verdict = trailing(buf, userAgent + 3, end, clean, sigv);
    if (verdict !== NO_MATCH) return verdict === OTHER;
  }
  q = clean - 1;
  if (q <= userAgent) return false;
  return trailing(buf, clean, end, clean, sigv) === OTHER;
}

const NO_MATCH = 0;
/** The rest matches, and the sigv field is `sigv`. */
const SAME = 1;
/** The rest matches, and the sigv field is something else or NULL. */
const OTHER = 2;

/** `versionid`, then up to nine optional fields, then anything after a space: which of the verdicts above. */
function trailing(buf: Buffer, p: number, end: number, clean: number, sigv: Uint8Array): number {
  let q = p;
  let verdict = OTHER;
  for (let field = VERSION_ID; field < FIELDS; field++) {
    if (q === end && field > VERSION_ID) return verdict; // the fields from here on are NULL
    if (q >= end || buf[q] !== SPACE) return NO_MATCH;
    const s = q + 1;
    q = token(buf, s, end, clean);
    if (q < 0) return NO_MATCH;
    if (field === SIGV && equals(buf, s, q, sigv)) verdict = SAME;
  }
  return verdict;
}

function endsWith(buf: Buffer, e: number, suffix: Uint8Array): boolean {
  const s = e - suffix.length;
  if (s < 0) return false;
  for (let i = 0; i < suffix.length; i++) if (buf[s + i] !== suffix[i]) return false;
  return true;
}

function equals(buf: Buffer, s: number, e: number, value: Uint8Array): boolean {
  if (e - s !== value.length) return false;
  for (let i = 0; i < value.length; i++) if (buf[s + i] !== value[i]) return false;
  return true;
}
