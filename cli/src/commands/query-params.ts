import type { SavedQuery, SavedQueryParameter } from 's3-access-logs/saved-queries';
import { describeError, UsageError } from '../errors';
import { DAY_FORMS, dayStartMs, dayText, parseDay, parseInstant, TIME_FORM } from '../inputs/time-window';
import { PROGRAM } from './common';

/**
 * A saved query's `--param` values, checked before anything is read. A day written `2024-05-01` compared with
 * the `day` column's `2024/05/01` would match nothing and print "(no rows)": a silent wrong answer. So days are
 * read in any accepted form and passed on as `yyyy/MM/dd`, times are checked as ISO 8601, and a range that ends
 * before it starts, or a time window outside the days, is the user's mistake (exit 2).
 */

/** How a parameter's value is read, by the parameter's name (every saved query's parameters are listed). */
export type ParameterKind = 'first-day' | 'last-day' | 'from-time' | 'to-time' | 'text';

const KINDS: Readonly<Record<string, ParameterKind>> = {
  first_day: 'first-day',
  last_day: 'last-day',
  from_time: 'from-time',
  to_time: 'to-time',
  bucket: 'text',
  key: 'text',
  requester: 'text',
  remote_ip: 'text',
};

export function parameterKind(parameter: SavedQueryParameter): ParameterKind | undefined {
  return KINDS[parameter.name];
}

export interface CheckedParameters {
  /** The values to bind, in order: days as `yyyy/MM/dd`, times as ISO 8601 UTC. */
  readonly values: string[];
  /** The days asked for (day numbers, inclusive), when the query takes them. */
  readonly days?: { readonly first: number; readonly last: number };
}

/** Athena takes parameters as SQL literals (`'2024/01/15'`); here the quotes are optional. */
export function unquote(value: string): string {
  return /^'.*'$/s.test(value) ? value.slice(1, -1).replaceAll("''", "'") : value;
}

function example(query: SavedQuery): string {
  return `${PROGRAM} query ${query.name} logs/ ${query.parameters.map((p) => `--param ${p.example}`).join(' ')}`;
}

export function checkParameters(
  query: SavedQuery,
  given: readonly string[],
  nowMs = Date.now(),
): CheckedParameters {
  if (given.length !== query.parameters.length) {
    throw new UsageError(
      `${query.name} takes ${query.parameters.length} --param values in this order (got ${given.length}):\n` +
        query.parameters.map((p) => `  --param ${p.example}    ${p.name}: ${p.description}`).join('\n') +
        `\ne.g. ${example(query)}`,
    );
  }
  const values: string[] = [];
  let first: number | undefined;
  let last: number | undefined;
  let from: number | undefined;
  let to: number | undefined;
  const bad = (p: SavedQueryParameter, i: number, value: string, forms: string) =>
    new UsageError(
      `--param ${value} (parameter ${i + 1}, ${p.name}) is not ${forms}\ne.g. ${example(query)}`,
    );
  query.parameters.forEach((p, i) => {
    const value = unquote(given[i]);
    const kind = parameterKind(p) ?? 'text';
    switch (kind) {
      case 'first-day':
      case 'last-day': {
        const day = parseDay(value, nowMs);
        if (day === undefined) throw bad(p, i, value, `a day: ${DAY_FORMS}`);
        if (kind === 'first-day') first = day;
        else last = day;
        values.push(dayText(day));
        return;
      }
      case 'from-time':
      case 'to-time': {
        const ms = parseInstant(value);
        if (ms === undefined) throw bad(p, i, value, `a time: ${TIME_FORM}`);
        if (kind === 'from-time') from = ms;
        else to = ms;
        values.push(new Date(ms).toISOString());
        return;
      }
      case 'text':
        values.push(value);
        return;
      default: {
        const unexpected: never = kind;
        throw new Error(`unknown parameter kind ${unexpected}`);
      }
    }
  });
  if (first !== undefined && last !== undefined && last < first) {
    throw new UsageError(
      `the last day (${dayText(last)}) is before the first day (${dayText(first)}): give the first day, then the last\n` +
        `e.g. ${example(query)}`,
    );
  }
  if (from !== undefined && to !== undefined && to <= from) {
    throw new UsageError(
      `to_time (${new Date(to).toISOString()}) must be later than from_time (${new Date(from).toISOString()})\n` +
        `e.g. ${example(query)}`,
    );
  }
  if (first !== undefined && last !== undefined && (from !== undefined || to !== undefined)) {
    const start = dayStartMs(first);
    const end = dayStartMs(last + 1);
    const f = from ?? start;
    const t = to ?? end;
    if (f < start || t > end) {
      // A window may overlap the days and still reach beyond them: say which.
      const where = t <= start ? 'lies before' : f >= end ? 'lies after' : 'reaches beyond';
      throw new UsageError(
        `the time window (from_time to to_time) ${where} the days ${dayText(first)} to ${dayText(last)}: ` +
          'the days must cover the whole window (the query reads only those days)\n' +
          `e.g. ${example(query)}`,
      );
    }
  }
  return {
    values,
    days: first !== undefined && last !== undefined ? { first, last } : undefined,
  };
}

/** DuckDB could not convert a value the user gave: the user's mistake, named (exit 2). */
export function parameterError(error: unknown, query: SavedQuery, values: readonly string[]): unknown {
  const message = describeError(error);
  if (!/Conversion Error|Invalid Input Error/i.test(message)) return error;
  const at = values.findIndex((v) => v !== '' && message.includes(v));
  const which = at < 0 ? 'a --param value' : `--param ${values[at]} (${query.parameters[at].name})`;
  return new UsageError(`${query.name}: ${which} could not be used: ${message}`);
}
