import { Command, Option } from 'commander';
import type { SavedQuery } from 's3-access-logs/saved-queries';
import { SAVED_QUERIES } from 's3-access-logs/saved-queries';
import { readSummary, runSavedQuery } from '../engine/duckdb';
import { UsageError } from '../errors';
import type { TimeWindow } from '../inputs/time-window';
import { DAY_FORMS, dayStartMs, dayText, intersect, TIME_FORM, timeWindow } from '../inputs/time-window';
import type { Io } from '../io';
import { writeTo } from '../io';
import { grouped } from '../reports/numbers';
import type { RowsFormat } from '../reports/rows-text';
import { writeRows } from '../reports/rows-text';
import type { ScanOptions, ScanRun } from './common';
import { addScanOptions, endRun, INPUTS_HELP, PROGRAM } from './common';
import type { CheckedParameters } from './query-params';
import { checkParameters, parameterError } from './query-params';
import { withRecordsInEngine } from './records-engine';

interface QueryOptions extends ScanOptions {
  readonly list?: boolean;
  readonly param: string[];
  readonly format: RowsFormat;
}

/** `query`: a saved query of the Athena table, run locally on DuckDB over the given logs. */
export function queryCommand(io: Io): Command {
  const command = new Command('query')
    .description('run a saved query of the Athena table locally (same SQL, on DuckDB); --list shows them')
    .argument('[name]', 'the saved query (see --list)')
    .argument('[inputs...]', INPUTS_HELP)
    .option('--list', 'list the saved queries and their parameters')
    .option(
      '--param <value>',
      "a value for the query's next parameter, in order (repeat it); 'quoted' like Athena or bare. " +
        'Days: 2024/05/01, 2024-05-01, today, yesterday, -7d; times: ISO 8601 with a zone',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .addOption(
      new Option(
        '--format <format>',
        'table: for people (full values, wrapped to the terminal); json: one array; jsonl: one row per line; csv',
      )
        .choices(['table', 'json', 'jsonl', 'csv'])
        .default('table'),
    );
  addScanOptions(command).action(
    async (name: string | undefined, inputs: string[], options: QueryOptions) => {
      if (options.list) return void (await writeTo(io.stdout)(listing()));
      if (name === undefined) throw new UsageError(`give a saved query's name, or --list to see them`);
      const query = SAVED_QUERIES.find((q) => q.name === name);
      if (query === undefined) {
        throw new UsageError(
          `no saved query named '${name}'; there are: ${SAVED_QUERIES.map((q) => q.name).join(', ')}`,
        );
      }
      const parameters = checkParameters(query, options.param);
      const window = queryWindow(options, parameters);
      if (inputs.length === 0)
        throw new UsageError(`${query.name}: give the log files, folders or s3:// prefixes to read`);
      await runQuery(io, query, parameters, window, inputs, options);
    },
  );
  return command;
}

/**
 * The requests worth reading: those of the days the query asks for (it filters `day BETWEEN ? AND ?`, and
 * `day` is the request's UTC day), within --since/--until. Only those go into the temporary copy.
 */
function queryWindow(options: QueryOptions, parameters: CheckedParameters): TimeWindow {
  const window = timeWindow(options.since, options.until);
  if (parameters.days === undefined) return window;
  const { first, last } = parameters.days;
  const days = { sinceMs: dayStartMs(first), untilMs: dayStartMs(last + 1) };
  return intersect(window, days, `the days ${dayText(first)} to ${dayText(last)}`);
}

function listing(): string {
  return (
    `${SAVED_QUERIES.map((q) => describe(q)).join('\n\n')}\n\n` +
    // The queries' own texts (shared with Athena) say yyyy/MM/dd; locally every form of a day is taken.
    `Days may be given as ${DAY_FORMS}; they are passed to the query as yyyy/MM/dd. Times: ${TIME_FORM}.\n` +
    `Run one: ${PROGRAM} query <name> <inputs...> --param <value>...\n`
  );
}

function describe(query: SavedQuery): string {
  const example = query.parameters.map((p) => `--param ${p.example}`).join(' ');
  return [
    `${query.name}: ${query.description}`,
    ...query.parameters.map((p, i) => `  ${i + 1}. ${p.name}: ${p.description}`),
    `  e.g. ${PROGRAM} query ${query.name} logs/ ${example}`,
  ].join('\n');
}

async function runQuery(
  io: Io,
  query: SavedQuery,
  parameters: CheckedParameters,
  window: TimeWindow,
  inputs: string[],
  options: QueryOptions,
): Promise<void> {
  // Only the records of the days asked for are copied for DuckDB.
  const { run } = await withRecordsInEngine(io, inputs, options, window, async (connection, scanned) => {
    const result = await runSavedQuery(connection, query, parameters.values).catch((error: unknown) => {
      throw parameterError(error, query, parameters.values);
    });
    const rows = await writeRows(writeTo(io.stdout), result, options.format, io.stdout.columns);
    if (rows === 0) io.stderr.write(await whatWasRead(connection, scanned, parameters));
  });
  endRun(run);
}

/** Why a query found nothing: what it read, so a wrong day or input shows (on standard error). */
async function whatWasRead(
  connection: Parameters<typeof readSummary>[0],
  run: ScanRun,
  parameters: CheckedParameters,
): Promise<string> {
  const { summary } = run;
  const read = await readSummary(connection);
  const asked = parameters.days
    ? ` in the days asked for (${dayText(parameters.days.first)} to ${dayText(parameters.days.last)})`
    : '';
  const n = summary.outside;
  const outside =
    n > 0
      ? `; ${grouped(n)} other record${n === 1 ? ' was' : 's were'} outside the days or --since/--until`
      : '';
  const days = read.firstDay === null ? '' : `, days ${read.firstDay} to ${read.lastDay}`;
  const buckets =
    read.buckets.length === 0
      ? ''
      : `, bucket${read.bucketCount === 1 ? '' : 's'} ${read.buckets.join(', ')}${read.bucketCount > read.buckets.length ? `, ... (${read.bucketCount} in all)` : ''}`;
  return (
    `${PROGRAM}: no rows: read ${grouped(summary.records)} record${summary.records === 1 ? '' : 's'}${asked} ` +
    `from ${grouped(run.inputs)} input${run.inputs === 1 ? '' : 's'}${days}${buckets}${outside}\n`
  );
}
