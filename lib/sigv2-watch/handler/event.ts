import { parseDay } from '../days';

/**
 * Which day to digest, from what started the function: the compaction's `Step Functions Execution Status
 * Change` event (its `detail.output` is the execution's JSON output, with `"day": "yyyy/MM/dd"`), or a manual
 * invocation `{ "day": "2026-11-29" }` to digest a day again. Pure.
 */
export function dayOfEvent(event: unknown): Date {
  return daysOfEvent(event).day;
}

/** The day to digest, and the other days the run compacted again (late logs), to refresh their metrics. */
export interface EventDays {
  readonly day: Date;
  /** Other days of the compaction's `days`, oldest first, without `day`; empty for a manual run. */
  readonly recompacted: readonly Date[];
}

/**
 * {@link dayOfEvent} and the other days the compaction compacted again, whose metrics a digest refreshes: late
 * log deliveries change their counts. Later days and values that are not days are left out; which days
 * CloudWatch still takes is decided at run time, from now (`metricsAccepted`). Pure.
 */
export function daysOfEvent(event: unknown): EventDays {
  const record = asRecord(event);
  const detail = asRecord(record?.detail);
  let day: unknown = record?.day;
  let others: unknown;
  if (detail !== undefined) {
    if (detail.status !== 'SUCCEEDED') {
      throw new Error(
        `The compaction execution did not succeed (status ${String(detail.status)}): nothing to digest`,
      );
    }
    let output: unknown;
    try {
      output = typeof detail.output === 'string' ? JSON.parse(detail.output) : detail.output;
    } catch {
      throw new Error(`The compaction's output is not JSON: ${String(detail.output).slice(0, 200)}`);
    }
    day = asRecord(output)?.day;
    others = asRecord(output)?.days;
  }
  if (typeof day !== 'string') {
    throw new Error(
      `No day to digest: expected the compaction's output with "day": "yyyy/MM/dd", or {"day": "yyyy-mm-dd"} ` +
        `(got ${String(JSON.stringify(event)).slice(0, 300)})`,
    );
  }
  const date = parseDay(day);
  if (date === undefined) throw new Error(`Not a day: '${day}' (expected yyyy/MM/dd or yyyy-mm-dd)`);
  const recompacted = (Array.isArray(others) ? others : [])
    .map((d) => (typeof d === 'string' ? parseDay(d) : undefined))
    .filter((d): d is Date => d !== undefined && d.getTime() < date.getTime())
    .sort((a, b) => a.getTime() - b.getTime())
    .filter((d, i, all) => i === 0 || d.getTime() !== all[i - 1]?.getTime());
  return { day: date, recompacted };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
