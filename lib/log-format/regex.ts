import { COLUMNS, type LogRecord, MIN_FIELDS } from './columns';

/*
 * The regular expression that reads one log line into the 27 columns: the Glue table's `input.regex` and, run
 * in JavaScript, the reference parser that the CLI and the tests hold everything else to.
 *
 * How Athena's values equal parseLineWithRegex's (Athena engine v3 reads RegexSerDe tables with Trino's
 * RegexDeserializer, "bug for bug compatible with Hive RegexSerde"; Hive's own RegexSerDe behaves the same way):
 * - Athena calls `Matcher.matches()`, so the regex must match the whole line; here it is wrapped in `^(?:...)$`.
 *   A line that does not match is a row with every column NULL in Athena and `null` here.
 * - Column N is capture group N. A group that takes no part in the match is NULL in Athena (`group()` returns
 *   null) and `undefined` in JavaScript, which becomes `null` here. Every field spells its "no value" forms
 *   (`-`, and `"-"` for the quoted fields) *outside* its group, so they are NULL in both, in every column.
 * - A string column is the group's text in both. A quoted field's group holds the text inside the quotes.
 * - `bytessent` and `objectsize` are `bigint`: their groups capture only 1 to 15 digits (MAX_NUMBER_DIGITS),
 *   which Java's `Long.parseLong` always accepts and a JavaScript number holds exactly; anything else on that
 *   field (it never happens in S3's logs) is matched outside the group, so NULL in both rather than a failed line.
 * - Only syntax that means the same in java.util.regex and JavaScript RegExp (without flags): literal
 *   characters, `[...]` classes of literals and `\]`, `[\s\S]` for "any character" (`.` differs: Java's stops
 *   at U+0085), `(?:...)`, `(...)`, `|`, `?`, `*`, `+`, `*?`, `{m,}`, `{m,n}` and `{m,n}?`. No possessive
 *   quantifiers, atomic groups, `\Q..\E`, named groups, lookbehind, backreferences or `\d \w \s \b` on their
 *   own; no capture group sits inside a repeated group (the one place where Java and JavaScript keep different
 *   captures).
 *
 * Why no line can break a query (Athena's reader does not catch a StackOverflowError, so one line that overflows
 * fails every query over its day):
 * - Unbounded repetition (`*`, `+`, `*?`) applies only to a single character class, which java.util.regex runs
 *   as a loop. A repeated *group* recurses once per iteration there, so the one repeated group (a quote and the
 *   text after it) repeats at most MAX_QUOTES_INSIDE times, whatever the line holds.
 * - The alternatives of each field exclude each other (`-` is not also a bare token, 12 is not also "any
 *   token"), so a line that does not match is not retried once per field that could be read two ways.
 * - The only choices left are the closing quotes of the request URI and the referrer (at most
 *   MAX_QUOTES_INSIDE + 1 each), the CloudFront identity (two readings of the requester) and the user agent's
 *   closing quote, found in one backward pass per try. So a line of n characters fails or matches in
 *   O(MAX_QUOTES_INSIDE² · n) steps, however many quotes it holds.
 */

/**
 * The most unescaped `"` that the request URI or the referrer may hold (the user agent may hold any number).
 * Each one is a place where the field might close, and the regex tries them one by one (in Java, one level of
 * recursion each), so they are bounded. S3 writes quotes there only as a client sent them: the real lines in
 * test/fixtures hold at most 6. A line whose URI or referrer holds more is read as if they closed at one of the
 * first MAX_QUOTES_INSIDE + 1 quotes, and usually not read at all (every column NULL).
 */
export const MAX_QUOTES_INSIDE = 8;

/** `bytessent` and `objectsize` hold a number only when they are 1 to this many digits (exact in a double). */
export const MAX_NUMBER_DIGITS = 15;

/** A run of characters other than space, that is not exactly `-` (so that `-` is read one way only). */
const NOT_DASH = '[^- ][^ ]*|-[^ ]+';

/** Like NOT_DASH, without quotes either. */
const BARE = '[^- "][^ "]*|-[^ "]+';

/** A field before the request URI: `-` (NULL) or any run of non-spaces. */
const PLAIN = `(?:-|(${NOT_DASH}))`;

/**
 * `requester`: like PLAIN, except that a CloudFront origin access identity's ARN holds spaces
 * (`arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID`). Only that exact form may hold
 * them: a general "spaces allowed" would swallow the request ID and operation that follow.
 */
const REQUESTER = `(?:-|(arn:aws[a-z-]*:iam::cloudfront:user/CloudFront Origin Access Identity [^ ]+|${NOT_DASH}))`;

/**
 * A bare field after the request URI: `-` (NULL) or a run of characters other than space and `"`. S3 never
 * writes a quote in these fields, and refusing one is what makes the end of a quoted field unambiguous.
 */
const TOKEN = `(?:-|(${BARE}))`;

/** `httpstatus`: `-` or digits. Also the anchor that ends the request URI. */
const STATUS = '(?:-|([0-9]+))';

/**
 * A `bigint` field: `-`, or 1 to MAX_NUMBER_DIGITS digits (captured), or any other token (not captured, so
 * NULL): more digits, or a token with a non-digit in it (other than `-` alone).
 */
const NUMBER =
  `(?:-|([0-9]{1,${MAX_NUMBER_DIGITS}})|[0-9]{${MAX_NUMBER_DIGITS + 1},}` +
  '|[0-9]*(?:[^- "0-9]|-[^ "])[^ "]*|[0-9]+-)';

/** `requestdatetime`: `[06/Feb/2019:00:00:38 +0000]`; the group is the text inside the brackets. */
const DATETIME = '(?:-|\\[([^\\]]+)\\])';

/**
 * Text inside the request URI or the referrer, which may hold up to MAX_QUOTES_INSIDE unescaped `"` (S3 does not
 * escape them): the field closes at the first of its quotes after which the rest of the line matches.
 */
const FIRST_CLOSING_QUOTE = `[^"]*(?:"[^"]*){0,${MAX_QUOTES_INSIDE}}?`;

/**
 * Text inside the user agent, which may hold any number of `"`: it closes at the last quote after which the
 * trailing fields (which hold no quotes) match. One character class, so Java loops instead of recursing.
 */
const LAST_CLOSING_QUOTE = '[\\s\\S]*';

/**
 * A field S3 writes quoted (request URI, referrer, user agent): `"-"` and `-` are NULL, `"..."` yields the
 * text inside the quotes, and any other bare token is read (as NULL) rather than failing the line.
 */
function quoted(content: string): string {
  return `(?:"-"|-|"(${content})"|${BARE})`;
}

/**
 * The first 18 fields, which every record has. The request URI ends at the first quote followed by a status
 * (a request line holds no raw space, so `" 200 ` cannot occur inside it); the referrer at the first quote
 * after which a user agent and the rest fit; the user agent at the last quote after which the trailing fields
 * fit (they never contain quotes), so a user agent may hold quotes and spaces in any arrangement.
 */
const REQUIRED = [
  PLAIN, // bucketowner
  PLAIN, // bucket_name
  DATETIME, // requestdatetime
  PLAIN, // remoteip
  REQUESTER, // requester
  PLAIN, // requestid
  PLAIN, // operation
  PLAIN, // key
  quoted(FIRST_CLOSING_QUOTE), // request_uri
  STATUS, // httpstatus
  TOKEN, // errorcode
  NUMBER, // bytessent
  NUMBER, // objectsize
  TOKEN, // totaltime
  TOKEN, // turnaroundtime
  quoted(FIRST_CLOSING_QUOTE), // referrer
  quoted(LAST_CLOSING_QUOTE), // useragent
  TOKEN, // versionid
];

/**
 * Fields 19 to 27 (hostid ... sourceregion): each optional on its own, in order, so a line that ends after any
 * of them still yields every field it has. Fields after the 27th (AWS appends new ones at the end) are
 * accepted and ignored, but only after all 27: a line cannot skip a known field.
 */
const TRAILING_COUNT = COLUMNS.length - MIN_FIELDS;
const EXTRA_FIELDS = '(?: [\\s\\S]*)?';
const TRAILING = Array.from({ length: TRAILING_COUNT }, () => TOKEN).reduceRight(
  (inner, field) => `(?: ${field}${inner})?`,
  EXTRA_FIELDS,
);

/**
 * The RegexSerDe `input.regex`, as Glue stores it (no SQL string escaping). Exactly 27 capture groups, one per
 * column in order; it must match a whole line (Athena uses `Matcher.matches()`).
 */
export const ACCESS_LOG_REGEX = REQUIRED.join(' ') + TRAILING;

/** {@link ACCESS_LOG_REGEX} compiled for JavaScript, anchored to the whole string as `matches()` is. */
export const ACCESS_LOG_PATTERN = new RegExp(`^(?:${ACCESS_LOG_REGEX})$`);

/**
 * Reads one log line (without its line terminator) exactly as the Athena table does: `null` if the line is not
 * a record; otherwise every column, `null` for `-`, `"-"`, a field the line does not have, or a non-numeric
 * `bigint` field. `requestdatetime` keeps S3's text form (`06/Feb/2019:00:00:38 +0000`).
 */
export function parseLineWithRegex(line: string): LogRecord | null {
  const match = ACCESS_LOG_PATTERN.exec(line);
  if (match === null) return null;
  const record: Record<string, string | number | null> = {};
  for (let i = 0; i < COLUMNS.length; i++) {
    const column = COLUMNS[i];
    const text = match[i + 1];
    record[column.name] = text === undefined ? null : column.type === 'bigint' ? Number(text) : text;
  }
  return record as LogRecord;
}
