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
const DATE_ONLY = /^(\d{4})([-/])(\d{2})\2(\d{2})$/;
const DAYS_AGO = /^-(\d{1,5})d$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The forms a day may take, for messages. */
export const DAY_FORMS = '2024-05-01, 2024/05/01, today, yesterday or -7d (7 days ago), in UTC';
/** The form a time must take, for messages. */
export const TIME_FORM = 'ISO 8601 with a zone, e.g. 2024-05-01T12:00:00Z or 2024-05-01T14:00+02:00';

/**
 * A UTC day as a day number (days since 1970-01-01): `yyyy-MM-dd`, `yyyy/MM/dd` (the form of the table's `day`
 * column), `today`, `yesterday` or `-Nd` (N days before today). Undefined for anything else, including dates
 * that are not in the calendar (2024-02-30).
 */
export function parseDay(value: string, nowMs = Date.now()): number | undefined {
  const today = Math.floor(nowMs / DAY_MS);
  if (value === 'today') return today;
  if (value === 'yesterday') return today - 1;
  const ago = DAYS_AGO.exec(value);
  if (ago) return today - Number(ago[1]);
  const date = DATE_ONLY.exec(value);
  return date ? dayNumber(Number(date[1]), Number(date[3]), Number(date[4])) : undefined;
}

/** An ISO 8601 time with a zone as epoch ms, or undefined. */
export function parseInstant(value: string): number | undefined {
  if (!TIMESTAMP.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A day number as the table's `day` column writes it: `yyyy/MM/dd`. */
export function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '/');
}

/** Epoch ms of the start of a day number. */
export function dayStartMs(day: number): number {
  return day * DAY_MS;
}

/**
 * Reads one option value: a UTC day (see `parseDay`) or an ISO 8601 instant with a zone (`2024-05-01T12:00Z`).
 * A day given to `--until` includes that whole day.
 */
export function parseWindowBound(option: '--since' | '--until', value: string, nowMs = Date.now()): number {
  const day = parseDay(value, nowMs);
  if (day !== undefined) return (option === '--until' ? day + 1 : day) * DAY_MS;
  const ms = parseInstant(value);
  if (ms !== undefined) return ms;
  throw new UsageError(
    `${option} ${value} is not a day or a time: give a day (${DAY_FORMS}) or a time (${TIME_FORM}); ` +
      `e.g. ${option} 2024-05-01`,
  );
}

/** The window of the two options; throws a usage error when it is empty. */
export function timeWindow(since?: string, until?: string): TimeWindow {
  const sinceMs = since === undefined ? undefined : parseWindowBound('--since', since);
  const untilMs = until === undefined ? undefined : parseWindowBound('--until', until);
  if (sinceMs !== undefined && untilMs !== undefined && untilMs <= sinceMs) {
    throw new UsageError(
      `--until ${until} must be later than --since ${since}; e.g. --since 2024-05-01 --until 2024-05-31`,
    );
  }
  return { sinceMs, untilMs };
}

/** The window inside both (a usage error when they do not overlap, naming `what` for the second). */
export function intersect(a: TimeWindow, b: TimeWindow, what: string): TimeWindow {
  const since = Math.max(a.sinceMs ?? -Infinity, b.sinceMs ?? -Infinity);
  const until = Math.min(a.untilMs ?? Infinity, b.untilMs ?? Infinity);
  if (until <= since) throw new UsageError(`--since/--until and ${what} have no time in common`);
  return {
    sinceMs: Number.isFinite(since) ? since : undefined,
    untilMs: Number.isFinite(until) ? until : undefined,
  };
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
