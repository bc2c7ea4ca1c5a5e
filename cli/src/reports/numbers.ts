/**
 * How a request with no requester (the log's `-`: unauthenticated) is named in every text and report, the
 * digest's included (lib/sigv2-watch/message.ts writes the same).
 */
export const NO_REQUESTER = '(no requester)';

/** `1234567` → `1,234,567`. (toLocaleString does the same but starts ICU's formatter: ~10 ms per run.) */
export function grouped(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  const sign = n < 0 ? '-' : '';
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** A size for people: `512 bytes`, `3.4 kB`, `12 MB`, `1.5 GB` (decimal units, as `df -H` prints them). */
export function byteSize(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} byte${Math.round(bytes) === 1 ? '' : 's'}`;
  let value = bytes;
  let unit: (typeof UNITS)[number] = UNITS[0];
  for (const u of UNITS) {
    value /= 1000;
    unit = u;
    if (value < 1000) break;
  }
  return `${value < 10 ? value.toFixed(1) : grouped(Math.round(value))} ${unit}`;
}
