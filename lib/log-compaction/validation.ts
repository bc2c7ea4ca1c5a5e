/**
 * LogCompaction's defaults and the checks on its props, apart from the construct so that they are tested
 * without synthesizing a stack.
 */
import { Duration, Size, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { KeyFormat, reservedPrefixProblem } from '../conventions';
import {
  bytesScannedCutoffProblem,
  glueNameProblem,
  projectionStartProblem,
  workGroupNameProblem,
} from '../prop-rules';

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

/**
 * Every problem with the props, as messages naming the prop and the fix. Tokens are skipped. A flat list of
 * independent checks, one per prop, so its ~65 lines read as a table rather than a flow.
 */
export function compactionProblems(props: {
  readonly databaseName: string;
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
  const add = (problem: string | undefined) => {
    if (problem !== undefined) problems.push(problem);
  };
  add(glueNameProblem('databaseName', props.databaseName));
  add(glueNameProblem('tableName', props.tableName));
  add(glueNameProblem('sourceTableName', props.sourceTableName));
  if (props.tableName === props.sourceTableName) {
    problems.push(`tableName and sourceTableName must differ (both '${props.tableName}').`);
  }
  add(workGroupNameProblem('workGroupName', props.workGroupName));
  if (props.keyFormat !== KeyFormat.PARTITIONED) {
    problems.push(
      `keyFormat '${props.keyFormat}' has no day folders, so a day cannot be compacted without reading every log: ` +
        `use keyFormat 'partitioned', or leave LogCompaction out (an AccessLogsStack's logCompactionEnabled: false).`,
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
  add(bytesScannedCutoffProblem('bytesScannedCutoffPerQuery', props.bytesScannedCutoffPerQuery));
  const expression = props.schedule?.expressionString;
  if (expression !== undefined && resolved(expression) && runsMoreThanDaily(expression)) {
    problems.push(
      `schedule '${expression}' runs more than once a day: each run compacts ${props.lateDays + 1} day(s) again, ` +
        'so the Athena scans (the cost) multiply with the runs. Use one run a day, e.g. cron(0 6 * * ? *).',
    );
  }
  add(projectionStartProblem('projectionStart', props.projectionStart));
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
