/**
 * S3's request time, `06/Feb/2019:00:00:38 +0000` (the `requestdatetime` column), read straight from bytes:
 * the SigV2 report needs it for first and last seen, and `--since`/`--until` for every record.
 */

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

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

/** Epoch milliseconds of the request time in `buf[s, e)`, or NaN when it is not in S3's form. */
export function requestTimeMs(buf: Uint8Array, s: number, e: number): number {
  if (e - s !== LENGTH || buf[s + 2] !== 0x2f || buf[s + 6] !== 0x2f || buf[s + 20] !== 0x20)
    return Number.NaN;
  const month = MONTHS[String.fromCharCode(buf[s + 3], buf[s + 4], buf[s + 5])];
  if (month === undefined) return Number.NaN;
  const sign = buf[s + 21] === 0x2b ? 1 : buf[s + 21] === 0x2d ? -1 : 0;
  const day = digits(buf, s, 2);
  const year = digits(buf, s + 7, 4);
  const hour = digits(buf, s + 12, 2);
  const minute = digits(buf, s + 15, 2);
  const second = digits(buf, s + 18, 2);
  const offset = sign * (digits(buf, s + 22, 2) * 60 + digits(buf, s + 24, 2));
  if (buf[s + 11] !== 0x3a || buf[s + 14] !== 0x3a || buf[s + 17] !== 0x3a || sign === 0) return Number.NaN;
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return Number.NaN;
  return Date.UTC(year, month, day, hour, minute, second) - offset * 60_000;
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
