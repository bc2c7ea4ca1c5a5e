import { parseDay } from '../days';

/**
 * Which day to digest, from what started the function: the compaction's `Step Functions Execution Status
 * Change` event (its `detail.output` is the execution's JSON output, with `"day": "yyyy/MM/dd"`), or a manual
 * invocation `{ "day": "2026-11-29" }` to digest a day again. Pure.
 */
export function dayOfEvent(event: unknown): Date {
  const record = asRecord(event);
  const detail = asRecord(record?.detail);
  let day: unknown = record?.day;
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
  }
  if (typeof day !== 'string') {
    throw new Error(
      `No day to digest: expected the compaction's output with "day": "yyyy/MM/dd", or {"day": "yyyy-mm-dd"} ` +
        `(got ${String(JSON.stringify(event)).slice(0, 300)})`,
    );
  }
  const date = parseDay(day);
  if (date === undefined) throw new Error(`Not a day: '${day}' (expected yyyy/MM/dd or yyyy-mm-dd)`);
  return date;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
