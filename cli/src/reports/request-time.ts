/**
 * S3's request time, `06/Feb/2019:00:00:38 +0000` (the `requestdatetime` column), read straight from bytes:
 * the SigV2 report needs it for first and last seen, and `--since`/`--until` for every record.
 */

/** Month 1-12 from its three-letter English name, or 0. */
function month(a: number, b: number, c: number): number {
  switch ((a << 16) | (b << 8) | c) {
    case 0x4a616e: // Jan
      return 1;
    case 0x466562: // Feb
      return 2;
    case 0x4d6172: // Mar
      return 3;
    case 0x417072: // Apr
      return 4;
    case 0x4d6179: // May
      return 5;
    case 0x4a756e: // Jun
      return 6;
    case 0x4a756c: // Jul
      return 7;
    case 0x417567: // Aug
      return 8;
    case 0x536570: // Sep
      return 9;
    case 0x4f6374: // Oct
      return 10;
    case 0x4e6f76: // Nov
      return 11;
    case 0x446563: // Dec
      return 12;
    default:
      return 0;
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), in integer steps. */
function daysFromCivil(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The fixed width of `dd/MMM/yyyy:HH:mm:ss +hhmm`. */
const LENGTH = 26;

function digits(buf: Uint8Array, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Epoch milliseconds of the request time in `buf[s, e)`, or NaN when it is not in S3's form. Called for every
 * SigV2 line and, with --since/--until, every line, so it reads digits in place instead of building a Date.
 */
export function requestTimeMs(buf: Uint8Array, s: number, e: number): number {
  if (e - s !== LENGTH || buf[s + 2] !== 0x2f || buf[s + 6] !== 0x2f || buf[s + 20] !== 0x20)
    return Number.NaN;
  if (buf[s + 11] !== 0x3a || buf[s + 14] !== 0x3a || buf[s + 17] !== 0x3a) return Number.NaN;
  const m = month(buf[s + 3], buf[s + 4], buf[s + 5]);
  const sign = buf[s + 21] === 0x2b ? 1 : buf[s + 21] === 0x2d ? -1 : 0;
  const day = digits(buf, s, 2);
  const year = digits(buf, s + 7, 4);
  const hour = digits(buf, s + 12, 2);
  const minute = digits(buf, s + 15, 2);
  const second = digits(buf, s + 18, 2);
  const offset = sign * (digits(buf, s + 22, 2) * 60 + digits(buf, s + 24, 2));
  if (m === 0 || sign === 0 || !(day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60)) {
    return Number.NaN;
  }
  // NaN digits fail the range checks above; an offset with bad digits is NaN and makes the result NaN.
  const days = daysFromCivil(year, m, day);
  return ((days * 24 + hour) * 60 + minute - offset) * 60_000 + second * 1000;
}

/** The same for a string value. */
export function requestTimeOf(text: string): number {
  const buf = Buffer.from(text, 'latin1');
  return requestTimeMs(buf, 0, buf.length);
}

/** ISO 8601 in UTC without milliseconds: `2019-02-06T00:00:38Z`. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
