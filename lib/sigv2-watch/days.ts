/**
 * Days as the digest names them. Users write `yyyy-mm-dd`; the compacted table's `day` partition holds
 * `yyyy/MM/dd`. Both are UTC days. No aws-cdk-lib import (handler and CLI).
 */

const DAY_PATTERN = /^(\d{4})[-/](\d{2})[-/](\d{2})$/;

/** The default lookback window: a requester is new when it signed no SigV2 request in these days before. */
export const DEFAULT_LOOKBACK_DAYS = 30;

/** The longest lookback window: the table rarely holds more, and Athena's projection is bounded anyway. */
export const MAX_LOOKBACK_DAYS = 366;

/**
 * Reads `yyyy-mm-dd` or `yyyy/MM/dd` as a UTC day (midnight). Undefined when the text is not a real day
 * (2026-02-30 is not).
 */
export function parseDay(text: string): Date | undefined {
  const match = DAY_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date;
}

/** A UTC day as the table's partition value, `yyyy/MM/dd`. */
export function partitionDay(date: Date): string {
  return isoDay(date).replaceAll('-', '/');
}

/** A UTC day as `yyyy-mm-dd`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `days` days before `date` (UTC). */
export function daysBefore(date: Date, days: number): Date {
  return new Date(date.getTime() - days * 86_400_000);
}

/** The days the digest of `day` reads, as partition values. */
export function digestDays(day: Date, lookbackDays: number): { day: string; firstDay: string } {
  return { day: partitionDay(day), firstDay: partitionDay(daysBefore(day, lookbackDays)) };
}

/** A problem with a lookback window length, or undefined when it is a whole number from 1 to the maximum. */
export function lookbackProblem(days: number): string | undefined {
  if (Number.isInteger(days) && days >= 1 && days <= MAX_LOOKBACK_DAYS) return undefined;
  return `must be a whole number of days from 1 to ${MAX_LOOKBACK_DAYS} (got ${days})`;
}

/** Whether a UTC day is over at a time: `today` and `future` days have partial logs, or none yet. */
export type DayStatus = 'over' | 'today' | 'future';

/** The {@link DayStatus} of `day` (a UTC midnight) at `now`. Pure. */
export function dayStatus(day: Date, now: Date): DayStatus {
  const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  if (now.getTime() >= start + 86_400_000) return 'over';
  return now.getTime() >= start ? 'today' : 'future';
}
