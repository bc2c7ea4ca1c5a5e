/**
 * LogCompaction's defaults and the checks on its props, apart from the construct so that they are tested
 * without synthesizing a stack.
 */
import { Duration, Size, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { MIN_BYTES_SCANNED_CUTOFF } from '../access-log-table/table-settings';
import { KeyFormat, reservedPrefixProblem } from '../conventions';

export const DEFAULTS = {
  tableName: 'access_logs_daily',
  sourceTableName: 'access_logs_compaction_source',
  workGroupName: 's3-access-logs-compaction',
  bytesScannedCutoffPerQuery: Size.tebibytes(1),
  // Six hours after midnight UTC: S3 delivers most logs within a few hours; later ones are caught by lateDays.
  schedule: events.Schedule.cron({ minute: '0', hour: '6' }),
  lateDays: 2,
  chunkSize: 1000,
  maxConcurrency: 4,
  projectionStart: 'NOW-90DAYS',
} as const;

/** Largest accepted values: beyond them a run is more likely a typo than a plan. */
export const LIMITS = { lateDays: 30, chunkSize: 5000, maxConcurrency: 40 } as const;

/** A nightly run's length is bounded by the state machine's timeout. */
export const RUN_TIMEOUT = Duration.hours(24);

const NAME = /^[a-z0-9_]{1,255}$/;
const WORKGROUP = /^[a-zA-Z0-9._-]{1,128}$/;
const START = /^(\d{4}\/\d{2}\/\d{2}|NOW-\d+(YEARS|MONTHS|WEEKS|DAYS))$/;

/**
 * Every problem with the props, as messages naming the prop and the fix. Tokens are skipped. A flat list of
 * independent checks, one per prop, so its ~65 lines read as a table rather than a flow.
 */
export function compactionProblems(props: {
  readonly tableName: string;
  readonly sourceTableName: string;
  readonly workGroupName: string;
  readonly prefixTemplate: string;
  readonly keyFormat: KeyFormat;
  readonly bytesScannedCutoffPerQuery: number;
  readonly lateDays: number;
  readonly chunkSize: number;
  readonly maxConcurrency: number;
  readonly projectionStart: string;
  readonly schedule?: events.Schedule;
}): string[] {
  const problems: string[] = [];
  const resolved = (v: unknown) => !Token.isUnresolved(v);
  for (const prop of ['tableName', 'sourceTableName'] as const) {
    if (resolved(props[prop]) && !NAME.test(props[prop])) {
      problems.push(`${prop} '${props[prop]}' must be 1 to 255 lower-case letters, digits or underscores.`);
    }
  }
  if (props.tableName === props.sourceTableName) {
    problems.push(`tableName and sourceTableName must differ (both '${props.tableName}').`);
  }
  if (resolved(props.workGroupName) && !WORKGROUP.test(props.workGroupName)) {
    problems.push(
      `workGroupName '${props.workGroupName}' must be 1 to 128 letters, digits, '.', '_' or '-'.`,
    );
  }
  if (props.keyFormat !== KeyFormat.PARTITIONED) {
    problems.push(
      `keyFormat '${props.keyFormat}' has no day folders, so a day cannot be compacted without reading every log: ` +
        `use keyFormat 'partitioned' or turn compaction off (-c logCompactionEnabled=false).`,
    );
  }
  const reserved = resolved(props.prefixTemplate) ? reservedPrefixProblem(props.prefixTemplate) : undefined;
  if (reserved !== undefined) problems.push(reserved);
  const whole = (prop: 'lateDays' | 'chunkSize' | 'maxConcurrency', min: number, max: number) => {
    const v = props[prop];
    if (resolved(v) && (!Number.isInteger(v) || v < min || v > max)) {
      problems.push(`${prop} must be a whole number from ${min} to ${max} (got ${v}).`);
    }
  };
  whole('lateDays', 0, LIMITS.lateDays);
  whole('chunkSize', 1, LIMITS.chunkSize);
  whole('maxConcurrency', 1, LIMITS.maxConcurrency);
  const cutoff = props.bytesScannedCutoffPerQuery;
  if (resolved(cutoff) && (!Number.isInteger(cutoff) || cutoff < MIN_BYTES_SCANNED_CUTOFF)) {
    problems.push(
      `bytesScannedCutoffPerQuery must be at least 10 MB, Athena's minimum (got ${cutoff} bytes).`,
    );
  }
  const expression = props.schedule?.expressionString;
  if (expression !== undefined && resolved(expression) && runsMoreThanDaily(expression)) {
    problems.push(
      `schedule '${expression}' runs more than once a day: each run compacts ${props.lateDays + 1} day(s) again, ` +
        'so the Athena scans (the cost) multiply with the runs. Use one run a day, e.g. cron(0 6 * * ? *).',
    );
  }
  if (resolved(props.projectionStart) && !START.test(props.projectionStart)) {
    problems.push(
      `projectionStart '${props.projectionStart}' must be a day as yyyy/MM/dd or NOW-<n>DAYS (e.g. NOW-90DAYS).`,
    );
  }
  return problems;
}

/**
 * Whether an EventBridge schedule expression starts the compaction more than once a day: a rate under a day, or
 * a cron whose minutes or hours field names more than one value (`*`, a list, a range or a step). Pure.
 */
export function runsMoreThanDaily(expression: string): boolean {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression.trim());
  if (rate !== null)
    return !rate[2].startsWith('day') && Number(rate[1]) * (rate[2].startsWith('hour') ? 60 : 1) < 1440;
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (cron === null) return false;
  const [minutes, hours] = cron[1].trim().split(/\s+/);
  return [minutes, hours].some((field) => field === undefined || !/^\d+$/.test(field));
}
