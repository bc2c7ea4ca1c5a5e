import { UsageError } from '../errors';

/**
 * `--since` / `--until`: which requests count, by their request time. Records are filtered exactly; S3 keys and
 * local file names are only a coarse first cut (see `mayHoldDay`).
 */
export interface TimeWindow {
  /** First instant included (epoch ms), if bounded. */
  readonly sinceMs?: number;
  /** First instant excluded (epoch ms), if bounded. */
  readonly untilMs?: number;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Reads one option value: a UTC day (`2024-05-01`) or an ISO 8601 instant with a zone (`2024-05-01T12:00Z`).
 * A day given to `--until` includes that whole day.
 */
export function parseWindowBound(option: '--since' | '--until', value: string): number {
  const date = DATE_ONLY.exec(value);
  if (date) {
    const ms = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    if (new Date(ms).toISOString().slice(0, 10) !== value) {
      throw new UsageError(`${option} ${value} is not a calendar date (expected YYYY-MM-DD)`);
    }
    return option === '--until' ? ms + DAY_MS : ms;
  }
  if (TIMESTAMP.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(
    `${option} ${value} is not a date: use YYYY-MM-DD (UTC) or an ISO 8601 time with a zone, e.g. 2024-05-01T12:00Z`,
  );
}

/** The window of the two options; throws a usage error when it is empty. */
export function timeWindow(since?: string, until?: string): TimeWindow {
  const sinceMs = since === undefined ? undefined : parseWindowBound('--since', since);
  const untilMs = until === undefined ? undefined : parseWindowBound('--until', until);
  if (sinceMs !== undefined && untilMs !== undefined && untilMs <= sinceMs) {
    throw new UsageError(`--until ${until} must be later than --since ${since}`);
  }
  return { sinceMs, untilMs };
}

export function isUnbounded(window: TimeWindow): boolean {
  return window.sinceMs === undefined && window.untilMs === undefined;
}

export function inWindow(window: TimeWindow, ms: number): boolean {
  return (
    (window.sinceMs === undefined || ms >= window.sinceMs) &&
    (window.untilMs === undefined || ms < window.untilMs)
  );
}

/**
 * The UTC days a log object's key may be dated by and still hold requests inside the window. S3 dates a key by
 * the request time (PartitionedPrefix with EventTime) or by delivery time (SimplePrefix object names,
 * DeliveryTime partitions), and delivers within hours, so a key may be dated up to a day after its requests:
 * the range keeps one extra day at the end.
 */
export function windowDays(window: TimeWindow): { readonly first: number; readonly last: number } {
  return {
    first: window.sinceMs === undefined ? -Infinity : Math.floor(window.sinceMs / DAY_MS),
    last: window.untilMs === undefined ? Infinity : Math.floor((window.untilMs - 1) / DAY_MS) + 1,
  };
}

/** Whether days `first` to `last` (inclusive) may hold requests inside the window (see `windowDays`). */
export function mayHoldDays(window: TimeWindow, first: number, last = first): boolean {
  const days = windowDays(window);
  return first <= days.last && last >= days.first;
}

/** The UTC day number of a calendar date, or undefined when it is not one. */
export function dayNumber(year: number, month: number, day: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  return ms / DAY_MS;
}

const NAME_DATE = /(?:^|\/)(\d{4})-(\d{2})-(\d{2})-\d{2}-\d{2}-\d{2}-[^/]*$/;
const FOLDER_DATE = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})\//;

/**
 * The day a log object's key (or a local path) is dated by: the `YYYY/MM/DD/` folders of the partitioned layout
 * when present, else the `YYYY-MM-DD-hh-mm-ss-<unique>` object name both layouts use. Undefined for other names,
 * which are always read.
 */
export function keyDay(key: string): number | undefined {
  const match = FOLDER_DATE.exec(key) ?? NAME_DATE.exec(key);
  if (!match) return undefined;
  return dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
}
