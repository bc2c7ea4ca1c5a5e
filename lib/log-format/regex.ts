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
 * - `bytessent` and `objectsize` are `bigint`: their groups capture only 1 to 15 digits, which Java's
 *   `Long.parseLong` always accepts and a JavaScript number holds exactly; anything else on that field (it
 *   never happens in S3's logs) is matched outside the group, so NULL in both rather than a failed line.
 * - Only syntax that means the same in java.util.regex and JavaScript RegExp (without flags): literal
 *   characters, `[...]` classes of literals and `\]`, `[\s\S]` for "any character" (`.` differs: Java's stops
 *   at U+0085), `(?:...)`, `(...)`, `|`, `?`, `*`, `+`, `*?` and `{m,n}`. No possessive quantifiers, atomic
 *   groups, `\Q..\E`, named groups, lookbehind, backreferences or `\d \w \s \b` on their own; no capture group
 *   sits inside a repeated group (the one place where Java and JavaScript keep different captures).
 * - Every repetition that could backtrack is bounded by a delimiter (a space or a quote), so a line that does
 *   not match fails in time proportional to its length times its number of quotes, not exponentially.
 */

/** A field before the request URI: `-` (NULL) or any run of non-spaces. */
const PLAIN = '(?:-|([^ ]+))';

/**
 * A bare field after the request URI: `-` (NULL) or a run of characters other than space and `"`. S3 never
 * writes a quote in these fields, and refusing one is what makes the end of a quoted field unambiguous.
 */
const TOKEN = '(?:-|([^ "]+))';

/** `httpstatus`: `-` or digits. Also the anchor that ends the request URI. */
const STATUS = '(?:-|([0-9]+))';

/** A `bigint` field: `-`, or 1 to 15 digits (captured), or anything else (not captured, so NULL). */
const NUMBER = '(?:-|([0-9]{1,15})|[^ "]+)';

/** `requestdatetime`: `[06/Feb/2019:00:00:38 +0000]`; the group is the text inside the brackets. */
const DATETIME = '(?:-|\\[([^\\]]+)\\])';

/**
 * Text inside a quoted field that may itself hold unescaped `"` (S3 does not escape them). The content is a run
 * of non-quotes followed by quote-delimited segments; the field's closing quote is the first (FIRST) or the last
 * (LAST) quote after which the rest of the line still matches.
 */
const FIRST_CLOSING_QUOTE = '[^"]*(?:"[^"]*)*?';
const LAST_CLOSING_QUOTE = '[^"]*(?:"[^"]*)*';

/**
 * A field S3 writes quoted (request URI, referrer, user agent): `"-"` and `-` are NULL, `"..."` yields the
 * text inside the quotes, and any other bare token is read (as NULL) rather than failing the line.
 */
function quoted(content: string): string {
  return `(?:"-"|-|"(${content})"|[^ "]+)`;
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
  PLAIN, // requester
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
